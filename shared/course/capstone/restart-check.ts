/**
 * The capstone's check of phase 4's persistence: what a client stored is there again after a
 * crash. Items written after the suite — of several sizes, one overwritten, one deleted — are
 * followed by SIGKILL, so nothing gets the chance to snapshot; the server started again on the
 * same folder must replay its log (the record reader deciding where the valid records end) and
 * serve exactly those items. The server must run with `--fsync always`: under `everysec` a reply
 * may leave before its record is written, and a crash may then lose it, as documented. The suite
 * alone never restarts a server, so without this a learner's broken reader would pass unnoticed.
 * @module
 */
import { ask, readStats } from '../../conformance/checks/ask.ts';
import { WireConnection } from '../../conformance/wire-connection.ts';
import type { RunningServer } from '../../testing/server-process.ts';
import { Mark } from '../cli/paint.ts';
import type { OperationsOutcome } from './operations.ts';

/** The sizes of the items written before the crash: from a byte to half a megabyte, so several slab classes. */
const SIZES = [1, 100, 1000, 10_000, 100_000, 500_000];

/** One item the restart must bring back (or, for the deleted one, must not). */
interface Marker {
  readonly key: string;
  readonly flags: number;
  /** Null: deleted before the crash. */
  readonly value: string | null;
}

function markers(prefix: string): Marker[] {
  const list: Marker[] = SIZES.map((size, i) => ({ key: `${prefix}-${size}`, flags: i + 1, value: String.fromCharCode(97 + i).repeat(size) }));
  list.push({ key: `${prefix}-overwritten`, flags: 7, value: 'second' });
  list.push({ key: `${prefix}-deleted`, flags: 0, value: null });
  return list;
}

/** Stores the markers (the overwritten one twice, the deleted one then deleted); null when every write was answered as expected. */
export async function storeMarkers(server: RunningServer, prefix: string): Promise<OperationsOutcome | null> {
  const connection = await WireConnection.open(server.host, server.port);
  try {
    const set = (key: string, flags: number, value: string) => ask(connection, `set ${key} ${flags} 0 ${value.length}\r\n${value}\r\n`, '\r\n');
    for (const marker of markers(prefix)) {
      const first = marker.value === null || marker.key.endsWith('-overwritten') ? 'first' : marker.value;
      const replies = [await set(marker.key, marker.flags, first)];
      if (marker.value === null) replies.push(await ask(connection, `delete ${marker.key}\r\n`, '\r\n'));
      else if (first !== marker.value) replies.push(await set(marker.key, marker.flags, marker.value));
      const expected = marker.value === null ? ['STORED\r\n', 'DELETED\r\n'] : replies.map(() => 'STORED\r\n');
      if (replies.join('') !== expected.join('')) {
        return { ok: false, lines: [`    ${Mark.fail()} restart: writing ${marker.key} before the crash was answered ${JSON.stringify(replies.join(''))}`] };
      }
    }
    return null;
  } catch (error) {
    return { ok: false, lines: [`    ${Mark.fail()} restart: the writes before the crash failed: ${(error as Error).message}`] };
  } finally {
    connection.destroy();
  }
}

/** Kills the server as a crash would: no drain, no snapshot, no closing of the log. */
export async function crash(server: RunningServer): Promise<void> {
  process.kill(server.pid, 'SIGKILL');
  await server.exited;
}

/** Reads the markers back from the restarted server and checks what its start says it restored. */
export async function checkRestored(server: RunningServer, prefix: string): Promise<OperationsOutcome> {
  const connection = await WireConnection.open(server.host, server.port);
  try {
    const wrong: string[] = [];
    for (const marker of markers(prefix)) {
      const reply = await ask(connection, `get ${marker.key}\r\n`, 'END\r\n');
      const expected = marker.value === null ? 'END\r\n' : `VALUE ${marker.key} ${marker.flags} ${marker.value.length}\r\n${marker.value}\r\nEND\r\n`;
      if (reply !== expected) {
        const shown = (text: string) => JSON.stringify(text.length > 80 ? `${text.slice(0, 60)}… (${text.length} bytes)` : text);
        wrong.push(`      get ${marker.key}: expected ${shown(expected)}, received ${shown(reply)}`);
      }
    }
    const restored = Number((await readStats(connection)).get('persist_restored_items'));
    const live = markers(prefix).filter((marker) => marker.value !== null).length;
    // The suite's own items were flushed before the markers were written: the start restored at least these.
    if (wrong.length === 0 && !(restored >= live)) wrong.push(`      stats: persist_restored_items ${restored}, expected at least the ${live} items stored`);
    if (wrong.length > 0) {
      return {
        ok: false,
        lines: [`    ${Mark.fail()} restart: after a crash (SIGKILL) the restarted server does not serve what was stored (persist_restored_items ${restored}):`, ...wrong.slice(0, 4)],
      };
    }
    return { ok: true, lines: [`    ${Mark.pass()} restart: after a crash (SIGKILL) the log replayed — ${live} items back as they were written, the deleted one gone (persist_restored_items ${restored})`] };
  } catch (error) {
    return { ok: false, lines: [`    ${Mark.fail()} restart: reading back after the crash failed: ${(error as Error).message}`] };
  } finally {
    connection.destroy();
  }
}
