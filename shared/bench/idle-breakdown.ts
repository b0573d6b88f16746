/**
 * Where an idle connection's bytes go: starts a server with `--heapsnapshot-signal`, takes a heap
 * snapshot before and after opening N connections that have each answered one `version`, and
 * prints the objects the connections added, per connection, by V8's constructor name. RSS is left
 * to the bench's connections mode: writing a snapshot itself takes memory that RSS would count.
 *
 *   node --import tsx shared/bench/idle-breakdown.ts [--target phase2|phase4|bare] [--connections 10000]
 * @module
 */
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, rmSync, statSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { phaseArgs, startProcess, type RunningServer } from '../testing/server-process.ts';
import { BARE_SERVER_ENTRY } from './bare-server.ts';
import { setTimeout as delay } from 'node:timers/promises';

/** The parts of a .heapsnapshot this script reads. */
interface HeapSnapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] } };
  nodes: number[];
  edges: number[];
  strings: string[];
}

function readSnapshot(path: string): HeapSnapshot {
  return JSON.parse(readFileSync(path, 'utf8')) as HeapSnapshot;
}

/** Every node's id (V8 keeps an object's id from one snapshot to the next in one process). */
function nodeIds(snapshot: HeapSnapshot): Set<number> {
  const width = snapshot.snapshot.meta.node_fields.length;
  const idAt = snapshot.snapshot.meta.node_fields.indexOf('id');
  const ids = new Set<number>();
  for (let i = 0; i < snapshot.nodes.length; i += width) ids.add(snapshot.nodes[i + idAt]!);
  return ids;
}

/** Objects of one kind: how many, their own (shallow) bytes, and who holds them. */
interface Tally {
  count: number;
  bytes: number;
  holders: Map<string, number>;
}

/**
 * The nodes of `after` whose ids `before` lacks, grouped by "type:name" (strings and numbers by
 * type alone: their names are their values), each with the object and edge that hold it.
 */
function addedNodes(after: HeapSnapshot, before: Set<number>): Map<string, Tally> {
  const meta = after.snapshot.meta;
  const width = meta.node_fields.length;
  const [typeAt, nameAt, idAt, sizeAt, edgeCountAt] = ['type', 'name', 'id', 'self_size', 'edge_count'].map((f) => meta.node_fields.indexOf(f));
  const edgeWidth = meta.edge_fields.length;
  const [edgeTypeAt, edgeNameAt, toAt] = ['type', 'name_or_index', 'to_node'].map((f) => meta.edge_fields.indexOf(f));
  const types = meta.node_types[0];
  const edgeTypes = meta.edge_types[0];
  const label = (node: number): string => {
    const type = types[after.nodes[node + typeAt!]!]!;
    const named = type === 'object' || type === 'closure' || type === 'native' || type === 'hidden' || type === 'code';
    return named ? `${type}:${after.strings[after.nodes[node + nameAt!]!]}` : type;
  };
  // One holder per node (the first strong edge to it), found by walking every edge once.
  const holder = new Map<number, string>();
  for (let node = 0, edge = 0; node < after.nodes.length; node += width) {
    const edges = after.nodes[node + edgeCountAt!]!;
    for (let e = 0; e < edges; e++, edge += edgeWidth) {
      const to = after.edges[edge + toAt!]!;
      const edgeType = edgeTypes[after.edges[edge + edgeTypeAt!]!];
      if (edgeType === 'weak' || holder.has(to)) continue;
      const name = edgeType === 'element' || edgeType === 'hidden' ? '[]' : String(after.strings[after.edges[edge + edgeNameAt!]!]);
      holder.set(to, `${label(node)}.${name}`);
    }
  }
  const tallies = new Map<string, Tally>();
  for (let node = 0; node < after.nodes.length; node += width) {
    if (before.has(after.nodes[node + idAt!]!)) continue;
    const key = label(node);
    const tally = tallies.get(key) ?? { count: 0, bytes: 0, holders: new Map() };
    tally.count++;
    tally.bytes += after.nodes[node + sizeAt!]!;
    const by = holder.get(node) ?? '(root)';
    tally.holders.set(by, (tally.holders.get(by) ?? 0) + 1);
    tallies.set(key, tally);
  }
  return tallies;
}

/** How often the snapshot file is looked at while the server writes it. */
const POLL_MS = 100;

/**
 * Asks the server for a snapshot and waits until it is written: the file is complete once the
 * server answers again (it writes on its main thread) and the JSON has its closing brace.
 */
async function takeSnapshot(server: RunningServer, dir: string, probe: () => Promise<void>): Promise<string> {
  const before = new Set(readdirSync(dir));
  process.kill(server.pid, 'SIGUSR2');
  await probe();
  for (let waited = 0; waited < SNAPSHOT_TIMEOUT_MS; waited += POLL_MS) {
    const made = readdirSync(dir).filter((name) => !before.has(name) && name.endsWith('.heapsnapshot'));
    if (made.length === 1 && endsComplete(join(dir, made[0]!))) return join(dir, made[0]!);
    await delay(POLL_MS);
  }
  throw new Error(`no complete heap snapshot in ${dir} within ${SNAPSHOT_TIMEOUT_MS} ms`);
}

/** A snapshot of 10,000 connections is written in seconds; a minute means something is wrong. */
const SNAPSHOT_TIMEOUT_MS = 60_000;

/** True when the file's last byte closes the JSON document. */
function endsComplete(path: string): boolean {
  const size = statSync(path).size;
  if (size === 0) return false;
  const last = Buffer.alloc(1);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, last, 0, 1, size - 1);
  } finally {
    closeSync(fd);
  }
  return last[0] === 0x7d; // '}'
}

/** Opens a connection and, unless `silent`, waits for its answer to `version`. */
function openOne(port: number, silent: boolean): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('error', reject);
    socket.once('connect', () => {
      if (silent) return resolve(socket);
      socket.write('version\r\n');
      socket.once('data', (chunk) => (chunk.toString('latin1').startsWith('VERSION') ? resolve(socket) : reject(new Error(`unexpected reply ${chunk.toString('latin1')}`))));
    });
  });
}

async function openMany(port: number, count: number, silent: boolean): Promise<Socket[]> {
  const sockets: Socket[] = [];
  // 200 connects in flight: below every accept backlog.
  for (let i = 0; i < count; i += 200) {
    sockets.push(...await Promise.all(Array.from({ length: Math.min(200, count - i) }, () => openOne(port, silent))));
  }
  return sockets;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { target: { type: 'string', default: 'phase2' }, connections: { type: 'string', default: '10000' } } });
  const target = values.target;
  const count = Number(values.connections);
  if (!(count >= 1 && count <= 19_000)) throw new Error('--connections must be 1 … 19,000 (one client process)');
  const dir = mkdtempSync(join(tmpdir(), 'kvlab-breakdown-'));
  const nodeArgs = ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${dir}`];
  const bare = target === 'bare';
  const server = bare
    ? await startProcess('bare', process.execPath, [...nodeArgs, '--import', 'tsx', BARE_SERVER_ENTRY, '--port', '0'])
    : await startProcess(target, process.execPath, [...nodeArgs, ...phaseArgs(target, ['--max-connections', String(count + 100)])]);
  const probeSockets: Socket[] = [];
  // The bare server answers nothing: a new connection being accepted shows that its thread is free again.
  const probe = async () => {
    probeSockets.push(...await openMany(server.port, 1, bare));
  };
  try {
    // A few connections first, so that code compiled and caches filled on first use are in the baseline.
    const warm = await openMany(server.port, 50, bare);
    for (const socket of warm) socket.destroy();
    await probe();
    const first = await takeSnapshot(server, dir, probe);
    const sockets = await openMany(server.port, count, bare);
    const second = await takeSnapshot(server, dir, probe);
    const added = addedNodes(readSnapshot(second), nodeIds(readSnapshot(first)));
    const rows = [...added].map(([key, t]) => ({ key, count: t.count / count, bytes: t.bytes / count, holders: t.holders }));
    rows.sort((x, y) => y.bytes - x.bytes);
    const heapBytes = rows.reduce((sum, row) => sum + row.bytes, 0);
    console.log(`${target}: ${count} idle connections (${bare ? 'none asked anything: the bare server serves no protocol' : 'each answered one version'}), snapshot ${statSync(second).size >> 20} MiB`);
    console.log(`JS heap added per connection (shallow sizes): ${heapBytes.toFixed(0)} B`);
    console.log('per connection: objects  bytes  kind  (held by, objects per connection)');
    for (const row of rows.filter((r) => r.bytes >= 4).slice(0, 30)) {
      const holders = [...row.holders].sort((x, y) => y[1] - x[1]).filter(([, n]) => n / count >= 0.5).slice(0, 6)
        .map(([by, n]) => `${by} ${(n / count).toFixed(1)}`).join(', ');
      console.log(`${row.count.toFixed(2).padStart(8)} ${row.bytes.toFixed(0).padStart(7)}  ${row.key}  (${holders})`);
    }
    for (const socket of sockets) socket.destroy();
  } finally {
    for (const socket of probeSockets) socket.destroy();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
