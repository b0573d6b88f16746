/**
 * Reference answer to exercise 2.4 (event-connection): the connection phase 2 runs on its event
 * loop, phases/phase2/event-connection.ts, re-exported so the two can never drift. Why it is
 * written so:
 *
 * - A turn serves at most `requestsPerTurn` requests (memcached's `-R`), then yields with
 *   setImmediate. setImmediate runs after the loop has polled every other socket; process.nextTick
 *   or a resolved promise would run *before* them, and one pipelining client would starve the rest.
 * - The socket is paused during the yield, so no new bytes pile up in the session meanwhile.
 * - All the replies of a turn leave in one write: one system call (one writev) instead of one per
 *   reply. Runs of small pieces are joined with Buffer.concat — one small copy is cheaper than
 *   many tiny iovecs — and each piece of 1 KiB or more (a value) is written as it is, between
 *   cork() and uncork(), so large values are not copied again (shared/runtime/write-replies.ts).
 *   With phase 4's store such a value is a view of the store's memory, lent for the turn
 *   (`lendValues`/`endLending`) and given back once the socket is done with it — the reference
 *   does this; a connection that does not lend gets copies, and is just as correct.
 * - Backpressure is decided twice. During the turn: it ends early once its replies would push the
 *   socket past `writeHighWater` (64 requests of 1 MiB values would otherwise queue 64 MiB at
 *   once). After writing: when more than `writeHighWater` bytes wait in the socket, the
 *   connection stops reading *and serving* (`blocked`), and 'drain' — the kernel took the bytes —
 *   starts it again. A client that never reads costs the server at most the mark plus one reply.
 * - `quit` and hopeless input end the connection only after the replies before them are written,
 *   with `closeAfterReplies`: `socket.end()` alone would wait for the client's FIN, which a socket
 *   paused with unread input never sees — so it reads on, discarding, and lingers at most 2 s.
 * @module
 */
export * from '../../phases/phase2/event-connection.ts';
