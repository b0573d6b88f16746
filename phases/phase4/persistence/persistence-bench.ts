/**
 * What persistence costs and what it gives back, in one run on this machine:
 *
 *   1. write throughput and get latency under that write load, for persistence off and each
 *      fsync policy (the same load each time: `--writers` connections sending sets one at a
 *      time, one more connection sending gets one at a time);
 *   2. restart time for `--items` items, from a snapshot (after a clean stop) and from the log
 *      alone (after kill -9), and the disk bytes per item of each;
 *   3. the same restore in process, wall-clock and CPU time apart (on a busy machine the CPU
 *      time is the figure that carries over).
 *
 *   node --import tsx phases/phase4/persistence/persistence-bench.ts [--seconds 5] [--writers 16] [--items 1000000]
 *
 * Prints its context (Node, CPUs, load average) first: figures from a shared machine drift, so
 * compare the rows of one run, not runs.
 * @module
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Socket } from 'node:net';
import { writeFileSync } from 'node:fs';
import { openSocket } from '../../../shared/testing/line-client.ts';
import { SharedStore } from '../../../shared/store/shared-store.ts';
import { StoreMode } from '../../../shared/store/store.ts';
import { RecordBuilder } from './record-format.ts';
import { logPath } from './log-files.ts';
import { recover } from './recovery.ts';
import { startPhase, type RunningServer } from '../../../shared/testing/server-process.ts';

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '5' }, writers: { type: 'string', default: '16' }, items: { type: 'string', default: '1000000' } },
});
const SECONDS = Number(values.seconds);
const WRITERS = Number(values.writers);
const ITEMS = Number(values.items);
const VALUE = 'v'.repeat(100);

function start(dir: string | null, fsync: string, memoryMb = 256): Promise<RunningServer> {
  const persist = dir === null ? [] : ['--persist', dir, '--fsync', fsync, '--snapshot-log-size', '1g'];
  return startPhase('phase4', ['--workers', '0', '--memory-mb', String(memoryMb), ...persist], { readyTimeoutMs: 300_000 });
}

/** Sends `request` on `socket` over and over, one at a time, until `until`; counts and times replies. */
function loop(socket: Socket, next: (n: number) => string, reply: string, until: { done: boolean }, latencies?: number[]): Promise<number> {
  return new Promise((resolve) => {
    let count = 0;
    let sentAt = 0;
    let buffered = '';
    const send = () => {
      if (until.done) return resolve(count);
      sentAt = performance.now();
      socket.write(next(count));
    };
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('latin1');
      if (!buffered.endsWith(reply)) return;
      buffered = '';
      latencies?.push(performance.now() - sentAt);
      count++;
      send();
    });
    send();
  });
}

function percentile(sorted: number[], q: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

/** One row of the policy table. */
async function policyRow(policy: string): Promise<string> {
  const dir = policy === 'off' ? null : mkdtempSync(join(tmpdir(), 'kvlab-bench-'));
  const server = await start(dir, policy);
  try {
    const until = { done: false };
    const writers = await Promise.all(Array.from({ length: WRITERS }, () => openSocket(server.port)));
    const reader = await openSocket(server.port);
    const setup = await openSocket(server.port);
    setup.write(`set hot 0 0 ${VALUE.length}\r\n${VALUE}\r\n`);
    const latencies: number[] = [];
    const runs = writers.map((socket, w) => loop(socket, (n) => `set w${w}-${n % 10000} 0 0 ${VALUE.length}\r\n${VALUE}\r\n`, 'STORED\r\n', until));
    const gets = loop(reader, () => 'get hot\r\n', 'END\r\n', until, latencies);
    await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
    until.done = true;
    const sets = (await Promise.all(runs)).reduce((a, b) => a + b, 0);
    const getCount = await gets;
    for (const socket of [...writers, reader, setup]) socket.destroy();
    latencies.sort((a, b) => a - b);
    const row = [
      policy.padEnd(9), String(Math.round(sets / SECONDS)).padStart(10), String(Math.round(getCount / SECONDS)).padStart(8),
      percentile(latencies, 0.5).toFixed(2).padStart(8), percentile(latencies, 0.99).toFixed(2).padStart(8),
    ];
    return row.join('  ');
  } finally {
    await server.stop(60_000);
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

/** Stores `ITEMS` items quickly: pipelined batches of sets with noreply, then one get to wait on. */
async function fill(port: number): Promise<void> {
  const socket = await openSocket(port);
  const batch = 500;
  for (let i = 0; i < ITEMS; i += batch) {
    let text = '';
    for (let j = i; j < Math.min(ITEMS, i + batch); j++) text += `set key:${j} 0 0 ${VALUE.length} noreply\r\n${VALUE}\r\n`;
    if (!socket.write(text)) await new Promise((resolve) => socket.once('drain', resolve));
  }
  await new Promise<void>((resolve) => {
    let seen = '';
    socket.on('data', (chunk: Buffer) => {
      seen += chunk.toString('latin1');
      if (seen.endsWith('END\r\n')) resolve();
    });
    socket.write(`get key:${ITEMS - 1}\r\n`);
  });
  socket.destroy();
}

function dirBytes(dir: string): number {
  return readdirSync(dir).reduce((total, name) => total + statSync(join(dir, name)).size, 0);
}

/** Restarts after a clean stop (snapshot) or kill -9 (log only); returns what the new server reports. */
async function restartRow(how: 'SIGTERM' | 'SIGKILL'): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'kvlab-restart-'));
  const memoryMb = Math.max(256, Math.ceil((ITEMS * 300) / (1024 * 1024)));
  try {
    const first = await start(dir, 'everysec', memoryMb);
    await fill(first.port);
    if (how === 'SIGKILL') {
      // everysec: wait for its fsync so the comparison is the replay, not what a crash loses.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      process.kill(first.pid, 'SIGKILL');
      await first.exited;
    } else {
      await first.stop(300_000);
    }
    const bytes = dirBytes(dir);
    const started = performance.now();
    const second = await start(dir, 'everysec', memoryMb);
    const ready = performance.now() - started;
    const restored = /restored (\d+) items \((\d+) bytes\) in ([\d.]+) s/.exec(second.output());
    await second.stop(300_000);
    const from = how === 'SIGTERM' ? 'snapshot' : 'log only';
    return [from.padEnd(9), (restored?.[1] ?? '?').padStart(9), (restored?.[3] ?? '?').padStart(10), (ready / 1000).toFixed(2).padStart(9),
      String(Math.round(bytes / ITEMS)).padStart(10)].join('  ');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Section 3: recovery and loading of ITEMS Set records, timed in this process. */
async function inProcessRestore(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'kvlab-restore-'));
  try {
    const builder = new RecordBuilder(1 << 20);
    const value = Buffer.from(VALUE);
    for (let i = 0; i < ITEMS; i++) builder.set({ key: `key:${i}`, flags: 0, expiresAt: 0, cas: BigInt(i + 1), value, binaryKey: false });
    writeFileSync(logPath(dir, 0), builder.take());
    const wall = performance.now();
    const cpu = process.cpuUsage();
    const { map } = await recover(dir, { repair: false, warn: () => undefined });
    const readWall = performance.now() - wall;
    const readCpu = process.cpuUsage(cpu).user / 1000;
    const store = SharedStore.create({ memoryBytes: Math.max(256, Math.ceil((ITEMS * 300) / (1024 * 1024))) * 1024 * 1024, maxItemSize: 1024 * 1024 });
    const loadWall = performance.now();
    const loadCpu = process.cpuUsage();
    for (const [key, item] of map.items) store.store(StoreMode.Set, key, item.flags, 0, item.value, 0n, { explicitCas: item.cas });
    const loaded = performance.now() - loadWall;
    const loadedCpu = process.cpuUsage(loadCpu).user / 1000;
    return `read+replay ${(readWall / 1000).toFixed(2)} s wall, ${(readCpu / 1000).toFixed(2)} s CPU; load into the store ${(loaded / 1000).toFixed(2)} s wall, ${(loadedCpu / 1000).toFixed(2)} s CPU`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`persistence-bench: node ${process.version}, ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log(`command: node --import tsx phases/phase4/persistence/persistence-bench.ts --seconds ${SECONDS} --writers ${WRITERS} --items ${ITEMS}`);
console.log(`\n${WRITERS} writers (100-byte sets, one at a time each) and 1 reader (gets, one at a time), ${SECONDS} s each:`);
console.log('policy     sets/s      gets/s   get p50  get p99 (ms)');
for (const policy of ['off', 'no', 'everysec', 'always']) console.log(await policyRow(policy));
console.log(`\nrestart with ${ITEMS} items of 100 bytes:`);
console.log('from        items   restore s   ready s  disk B/item');
for (const how of ['SIGTERM', 'SIGKILL'] as const) console.log(await restartRow(how));
console.log('\nin process, a log of the same items read and loaded into a store:');
console.log(await inProcessRestore());
console.log(`\nload average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
