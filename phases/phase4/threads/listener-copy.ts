/**
 * A copy of a listening socket for another event loop: a second file descriptor for the same
 * kernel socket, owned by a handle of this thread's loop, so `server.listen(handle)` here accepts
 * from the queue the first loop accepts from, and the kernel gives each connection to one of them.
 *
 * Why a copy, not the number: two handles over one descriptor would each close it, and the second
 * close would hit whatever file the process had opened under that number in between. Node 20 has
 * no dup(2); what it has is handle passing over a child's IPC channel (SCM_RIGHTS), which delivers
 * a descriptor of its own to the receiver. So a tiny child inherits the socket and sends it back,
 * then exits. The kernel socket lives until its last descriptor is closed; each loop closes only
 * its own, so loops stop accepting one by one and none closes a file it does not own.
 *
 * A unix listening socket (memcached's -s) is copied the same way: the child's handle is then a
 * pipe handle, and so is the copy. Only the loop that bound the path removes the file when it
 * closes; a copy, opened from a descriptor, knows no path.
 * @module
 */
import { spawn } from 'node:child_process';

/**
 * The child's whole program (CommonJS, so it needs no loader and starts in tens of milliseconds):
 * wrap descriptor 3, the inherited socket, in a handle without reading from it, send the handle
 * back, and exit when the parent hangs up.
 */
const COPIER = `
const net = require('node:net');
const socket = new net.Socket({ fd: 3, readable: false, writable: false });
process.send('listener', socket._handle);
process.on('disconnect', () => process.exit(0));
`;

/** How long the child may take (a busy machine starts node slowly): then the loop fails to start. */
const COPY_TIMEOUT_MS = 15_000;

/** A handle of this thread over a new descriptor for the listening socket `fd` (this process's, TCP or unix). */
export function copyListener(fd: number): Promise<object> {
  return new Promise((resolve, reject) => {
    // stdio[3] = fd: the child gets the socket as its descriptor 3; stdio[4] is the IPC channel.
    const child = spawn(process.execPath, ['-e', COPIER], { stdio: ['ignore', 'ignore', 'inherit', fd, 'ipc'] });
    const timer = setTimeout(() => fail(new Error(`no copy of listening socket ${fd} within ${COPY_TIMEOUT_MS} ms`)), COPY_TIMEOUT_MS);
    const done = () => {
      clearTimeout(timer);
      child.removeAllListeners();
      // Past this point the child only exits; an error from it then has no one to tell.
      child.on('error', () => undefined);
    };
    const fail = (error: Error) => {
      done();
      child.kill();
      reject(error);
    };
    child.once('message', (_message, handle) => {
      done();
      // Hanging up ends the child (its program exits on 'disconnect'), so none is left behind.
      child.disconnect();
      if (handle === undefined || handle === null) reject(new Error(`the copy of listening socket ${fd} arrived without a handle`));
      else resolve(handle);
    });
    child.once('error', fail);
    child.once('exit', (code) => fail(new Error(`the listener copier exited with ${code} before sending socket ${fd}`)));
  });
}
