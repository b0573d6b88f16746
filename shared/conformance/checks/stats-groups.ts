/**
 * The `stats` groups against memcached 1.6.18's key sets and reply grammar, group by group: the
 * target must answer exactly memcached's keys (captured in memcached-stat-keys.ts) minus the
 * documented omissions, with at most the documented additions — and real memcached, the reference
 * target, exactly memcached's keys, which is what proves the captured lists right. Values differ
 * between servers; only their form is checked, and the counters that `stats reset` and `stats
 * detail` promise to move.
 * @module
 */
import assert from 'node:assert/strict';
import { encodeRequest } from '../../protocol/binary/request-encoder.ts';
import { splitResponses, type BinaryResponse } from '../../protocol/binary/response-decoder.ts';
import { REPLY_TIMEOUT_MS } from '../transcript-player.ts';
import type { Target } from '../target.ts';
import { WireConnection } from '../wire-connection.ts';
import { ask } from './ask.ts';
import {
  ADDED_GENERAL, MEMCACHED_CONN_FIELDS, MEMCACHED_GENERAL, MEMCACHED_ITEM_FIELDS, MEMCACHED_SETTINGS, MEMCACHED_SLAB_FIELDS,
  MEMCACHED_SLAB_TOTALS, OMITTED_GENERAL, OMITTED_ITEM_FIELDS, OMITTED_SETTINGS, OMITTED_SLAB_FIELDS,
  omittedBut, SERVER_DEPENDENT_SETTINGS, SLAB_MEMORY_KEYS, TLS_SETTINGS_KEYS,
} from './memcached-stat-keys.ts';
import { Capability } from '../capabilities.ts';

/** The binary protocol's Stat opcode and its "Not found" status. */
const STAT_OPCODE = 0x10;
const KEY_NOT_FOUND = 0x0001;

/** One `STAT <name> <value>` line, as the check reads it. */
const STAT_LINE = /^STAT (\S+) (\S.*)$/;

/** Sends `stats <group>` and returns its lines, checking that every line before END is a STAT line. */
export async function readGroup(connection: WireConnection, group: string, label: string): Promise<[string, string][]> {
  const command = group === '' ? 'stats' : `stats ${group}`;
  const reply = await ask(connection, `${command}\r\n`, 'END\r\n');
  const lines = reply.split('\r\n').slice(0, -2);
  return lines.map((line) => {
    const match = STAT_LINE.exec(line);
    assert.ok(match, `${label}: \`${command}\` sent a line that is not "STAT <name> <value>": ${JSON.stringify(line)}`);
    return [match[1]!, match[2]!];
  });
}

/**
 * Asserts that `names` are memcached's `reference` keys minus `omitted` (all of them for the
 * reference server), in memcached's order; `optional` keys may be there or not, and so may the
 * `added` ones beyond memcached's (never from the reference server), in any place.
 */
function assertKeys(
  label: string, what: string, names: readonly string[], reference: readonly string[], omitted: Readonly<Record<string, string>>,
  isReference: boolean, optional: readonly string[] = [], added: Readonly<Record<string, string>> = {},
): void {
  const have = new Set(names);
  const known = new Set(reference);
  const missing = reference.filter((name) => !have.has(name) && (isReference || (!(name in omitted) && !optional.includes(name))));
  const unexpected = names.filter((name) => (!known.has(name) && (isReference || !(name in added))) || (!isReference && name in omitted));
  assert.deepEqual({ missing, unexpected }, { missing: [], unexpected: [] }, `${label}: ${what} keys against memcached 1.6.18's`);
  const order = names.filter((name) => known.has(name));
  const expectedOrder = reference.filter((name) => have.has(name));
  assert.deepEqual(order, expectedOrder, `${label}: ${what} keys are not in memcached's order`);
}

/** Splits `<id>:<field>` names (or `items:<id>:<field>`) into each id's fields; others are returned apart. */
function byId(names: readonly string[], pattern: RegExp): { classes: Map<string, string[]>; rest: string[] } {
  const classes = new Map<string, string[]>();
  const rest: string[] = [];
  for (const name of names) {
    const match = pattern.exec(name);
    if (!match) {
      rest.push(name);
      continue;
    }
    const fields = classes.get(match[1]!) ?? [];
    fields.push(match[2]!);
    classes.set(match[1]!, fields);
  }
  return { classes, rest };
}

/** stats, stats settings, items, slabs, sizes, an unknown group, stats detail and stats reset. */
export async function checkStatsGroups(target: Target, prefix: string): Promise<void> {
  const connection = await WireConnection.open(target.host, target.port);
  const label = target.label;
  const isReference = target.reference;
  // A target with slab memory reports the page and LRU keys the other stores omit.
  const slabs = target.capabilities.has(Capability.SlabMemory);
  const omitted = (list: Readonly<Record<string, string>>, reported: readonly string[]) => slabs ? omittedBut(list, reported) : list;
  try {
    const general = await readGroup(connection, '', label);
    assertKeys(label, 'stats', general.map(([name]) => name), MEMCACHED_GENERAL, omitted(OMITTED_GENERAL, SLAB_MEMORY_KEYS.general), isReference, [], ADDED_GENERAL);

    const settings = await readGroup(connection, 'settings', label);
    // A server that can serve TLS lists memcached's ssl_* settings too, whether TLS is on or not.
    const tls = target.capabilities.has(Capability.Tls);
    const omittedSettings = tls ? omittedBut(omitted(OMITTED_SETTINGS, SLAB_MEMORY_KEYS.settings), TLS_SETTINGS_KEYS) : omitted(OMITTED_SETTINGS, SLAB_MEMORY_KEYS.settings);
    assertKeys(label, 'stats settings', settings.map(([name]) => name), MEMCACHED_SETTINGS, omittedSettings, isReference, SERVER_DEPENDENT_SETTINGS);

    // One item, so that at least one class shows in items and slabs.
    assert.equal(await ask(connection, `set ${prefix}:item 0 0 5\r\nhello\r\n`, '\r\n'), 'STORED\r\n');
    const items = byId((await readGroup(connection, 'items', label)).map(([name]) => name), /^items:(\d+):(\w+)$/);
    assert.deepEqual(items.rest, [], `${label}: stats items has lines that are not items:<class>:<field>`);
    assert.ok(items.classes.size > 0, `${label}: stats items shows no class after a set`);
    for (const [id, fields] of items.classes) {
      assertKeys(label, `stats items (class ${id})`, fields, MEMCACHED_ITEM_FIELDS, omitted(OMITTED_ITEM_FIELDS, SLAB_MEMORY_KEYS.items), isReference);
    }

    const slabs = byId((await readGroup(connection, 'slabs', label)).map(([name]) => name), /^(\d+):(\w+)$/);
    assert.deepEqual(slabs.rest, MEMCACHED_SLAB_TOTALS, `${label}: stats slabs should end with active_slabs and total_malloced`);
    assert.ok(slabs.classes.size > 0, `${label}: stats slabs shows no class after a set`);
    for (const [id, fields] of slabs.classes) {
      assertKeys(label, `stats slabs (class ${id})`, fields, MEMCACHED_SLAB_FIELDS, omitted(OMITTED_SLAB_FIELDS, SLAB_MEMORY_KEYS.slabs), isReference);
    }

    assert.equal(await ask(connection, 'stats sizes\r\n', 'END\r\n'), 'STAT sizes_status disabled\r\nEND\r\n', `${label}: stats sizes`);
    assert.equal(await ask(connection, 'stats kvlab-no-such-group\r\n', '\r\n'), 'ERROR\r\n', `${label}: an unknown stats group`);
    await checkDetail(connection, label, prefix);
    await checkReset(connection, label);
  } finally {
    connection.destroy();
  }
}

/** stats detail: the usage error, on, counts per prefix, off. */
async function checkDetail(connection: WireConnection, label: string, prefix: string): Promise<void> {
  const usage = 'CLIENT_ERROR usage: stats detail on|off|dump\r\n';
  assert.equal(await ask(connection, 'stats detail\r\n', '\r\n'), usage, `${label}: stats detail without a word`);
  assert.equal(await ask(connection, 'stats detail sideways\r\n', '\r\n'), usage, `${label}: stats detail with an unknown word`);
  assert.equal(await ask(connection, 'stats detail on\r\n', '\r\n'), 'OK\r\n', `${label}: stats detail on`);
  try {
    const p = `${prefix}-detail`;
    assert.equal(await ask(connection, `set ${p}:a 0 0 1\r\nx\r\n`, '\r\n'), 'STORED\r\n');
    assert.equal(await ask(connection, `get ${p}:a ${p}:b\r\n`, 'END\r\n'), `VALUE ${p}:a 0 1\r\nx\r\nEND\r\n`);
    assert.equal(await ask(connection, `delete ${p}:a\r\n`, '\r\n'), 'DELETED\r\n');
    const dump = await ask(connection, 'stats detail dump\r\n', 'END\r\n');
    for (const line of dump.split('\r\n').slice(0, -2)) {
      assert.match(line, /^PREFIX \S* get \d+ hit \d+ set \d+ del \d+$/, `${label}: a stats detail dump line`);
    }
    assert.ok(dump.includes(`PREFIX ${p} get 2 hit 1 set 1 del 1\r\n`), `${label}: stats detail dump after a set, two gets (one hit) and a delete:\n${dump}`);
  } finally {
    assert.equal(await ask(connection, 'stats detail off\r\n', '\r\n'), 'OK\r\n', `${label}: stats detail off`);
  }
}

/** stats reset: RESET, then the counters of events are 0 and those of the present are kept. */
async function checkReset(connection: WireConnection, label: string): Promise<void> {
  const before = new Map(await readGroup(connection, '', label));
  assert.equal(await ask(connection, 'stats reset\r\n', '\r\n'), 'RESET\r\n', `${label}: stats reset`);
  const after = new Map(await readGroup(connection, '', label));
  const zeroed = ['cmd_get', 'cmd_set', 'get_hits', 'get_misses', 'delete_hits', 'total_items', 'total_connections'];
  // `stats` itself is not a get; the only traffic since the reset is the stats command.
  assert.deepEqual(zeroed.map((name) => [name, after.get(name)]), zeroed.map((name) => [name, '0']), `${label}: counters after stats reset`);
  for (const name of ['curr_items', 'curr_connections', 'bytes']) {
    assert.equal(after.get(name), before.get(name), `${label}: stats reset must keep ${name}`);
  }
}

/** stats conns: each socket's fields; the asking connection is listed with the server's address as listen_addr. */
export async function checkStatsConns(target: Target): Promise<void> {
  const connection = await WireConnection.open(target.host, target.port);
  try {
    const lines = await readGroup(connection, 'conns', target.label);
    const sockets = new Map<string, Map<string, string>>();
    for (const [name, value] of lines) {
      const match = /^(\d+):(\w+)$/.exec(name);
      assert.ok(match, `${target.label}: stats conns line ${name} is not <id>:<field>`);
      const fields = sockets.get(match[1]!) ?? new Map<string, string>();
      fields.set(match[2]!, value);
      sockets.set(match[1]!, fields);
    }
    const listenAddr = `tcp:${target.host}:${target.port}`;
    let clients = 0;
    for (const [id, fields] of sockets) {
      const listening = fields.get('state') === 'conn_listening';
      const expected = MEMCACHED_CONN_FIELDS.filter((field) => !listening || field !== 'listen_addr');
      assert.deepEqual([...fields.keys()], expected, `${target.label}: stats conns fields of ${id}`);
      assert.match(fields.get('addr') ?? '', /^tcp6?:\S+:\d+$/, `${target.label}: stats conns ${id}:addr`);
      assert.match(fields.get('state') ?? '', /^conn_[a-z_]+$/, `${target.label}: stats conns ${id}:state`);
      assert.match(fields.get('secs_since_last_cmd') ?? '', /^\d+$/, `${target.label}: stats conns ${id}:secs_since_last_cmd`);
      if (!listening && fields.get('listen_addr') === listenAddr) clients++;
    }
    assert.ok(clients >= 1, `${target.label}: stats conns lists no connection accepted on ${listenAddr}`);
  } finally {
    connection.destroy();
  }
}

/** Sends one binary Stat request with `key` and collects responses up to the empty one (or an error). */
async function binaryStat(connection: WireConnection, key: string): Promise<BinaryResponse[]> {
  await connection.write([encodeRequest({ opcode: STAT_OPCODE, key, opaque: 7 })]);
  const done = (): BinaryResponse[] | undefined => {
    const { responses } = splitResponses(connection.unread);
    const end = responses.findIndex((r) => r.status !== 0 || r.key.length === 0);
    return end < 0 ? undefined : responses.slice(0, end + 1);
  };
  await connection.waitUntil(() => done() !== undefined, REPLY_TIMEOUT_MS);
  const responses = done();
  assert.ok(responses, `no complete binary Stat answer to key ${JSON.stringify(key)}`);
  connection.consume(responses.reduce((total, r) => total + 24 + r.extras.length + r.key.length + r.value.length, 0));
  return responses;
}

/** The binary Stat opcode with a group key answers the text group's keys; conns and unknown keys are "Not found". */
export async function checkBinaryStatsGroups(target: Target): Promise<void> {
  const text = await WireConnection.open(target.host, target.port);
  const binary = await WireConnection.open(target.host, target.port);
  try {
    for (const group of ['settings', 'slabs', 'sizes']) {
      const textKeys = (await readGroup(text, group, target.label)).map(([name]) => name);
      const responses = await binaryStat(binary, group);
      assert.ok(responses.every((r) => r.status === 0 && r.opaque === 7), `${target.label}: binary Stat ${group} statuses`);
      const binaryKeys = responses.slice(0, -1).map((r) => r.key.toString('latin1'));
      assert.deepEqual(binaryKeys, textKeys, `${target.label}: binary Stat ${group} against text stats ${group}`);
    }
    for (const key of ['conns', 'kvlab-no-such-group', 'detail']) {
      const [response] = await binaryStat(binary, key);
      assert.equal(response?.status, KEY_NOT_FOUND, `${target.label}: binary Stat ${JSON.stringify(key)} should be "Not found"`);
    }
    const dump = await binaryStat(binary, 'detail dump');
    assert.deepEqual(dump.map((r) => r.key.toString('latin1')), ['detailed', ''], `${target.label}: binary Stat "detail dump"`);
    assert.match(dump[0]!.value.toString('latin1'), /END\r\n$/, `${target.label}: binary Stat "detail dump" value`);
    const reset = await binaryStat(binary, 'reset');
    assert.deepEqual(reset.map((r) => [r.status, r.key.length]), [[0, 0]], `${target.label}: binary Stat reset sends only the empty response`);
  } finally {
    text.destroy();
    binary.destroy();
  }
}
