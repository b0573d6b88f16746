/**
 * The convenient face of the client: one method per memcached command, each borrowing a pooled
 * connection for the length of one request. Error replies become `SERVER_REPLY` errors; misses and
 * refusals (`NOT_STORED`, `NOT_FOUND`) are ordinary results. For pipelining, borrow a
 * {@link "shared/client/connection"!Connection} with {@link Client.pool} and send several requests before awaiting.
 * @module
 */
import { ClientError } from './client-errors.ts';
import { Pool, type PoolOptions } from './pool.ts';
import type { Item, Reply, Status } from './reply.ts';
import type { Request, StoreOp, StoreOptions } from './request.ts';

/** A value as given by the caller: bytes, or a string sent as UTF-8. */
export type Value = Buffer | string;

function toBuffer(value: Value): Buffer {
  return typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
}

/** Raises an error reply; returns every other reply. */
function checked(reply: Reply): Reply {
  if (reply.kind === 'error') {
    throw new ClientError('SERVER_REPLY', `${reply.type}${reply.message ? ` ${reply.message}` : ''}`, { reply });
  }
  return reply;
}

function unexpected(reply: Reply, request: Request): ClientError {
  return new ClientError('BAD_REPLY', `${request.op} got a ${reply.kind} reply`);
}

/** A memcached client over a connection pool. */
export class Client {
  /** The pool behind every call; acquire from it to pipeline on one connection. */
  readonly pool: Pool;

  /** @param options - the server, the connection settings and the pool limits */
  constructor(options: PoolOptions) {
    this.pool = new Pool(options);
  }

  /** Sends any request and returns its reply, error replies included. */
  request(request: Request): Promise<Reply> {
    return this.pool.use((connection) => connection.request(request));
  }

  /** The item stored under `key`, or undefined on a miss. */
  async get(key: string): Promise<Item | undefined> {
    const items = await this.getMany([key]);
    return items.get(key);
  }

  /** The item under `key` with its CAS token (for {@link Client.cas}), or undefined on a miss. */
  async gets(key: string): Promise<Item | undefined> {
    const items = await this.values({ op: 'gets', keys: [key] });
    return items.get(key);
  }

  /** The items found among `keys`, by key; misses are absent. */
  getMany(keys: readonly string[]): Promise<Map<string, Item>> {
    return this.values({ op: 'get', keys });
  }

  /** Stores unconditionally; true when STORED. */
  set(key: string, value: Value, options: StoreOptions = {}): Promise<boolean> {
    return this.store('set', key, value, options);
  }

  /** Stores only if the key is absent; false when it exists. */
  add(key: string, value: Value, options: StoreOptions = {}): Promise<boolean> {
    return this.store('add', key, value, options);
  }

  /** Stores only if the key exists; false when it is absent. */
  replace(key: string, value: Value, options: StoreOptions = {}): Promise<boolean> {
    return this.store('replace', key, value, options);
  }

  /** Adds bytes after the stored value (flags and exptime are kept); false on a miss. */
  append(key: string, value: Value): Promise<boolean> {
    return this.store('append', key, value, {});
  }

  /** Adds bytes before the stored value; false on a miss. */
  prepend(key: string, value: Value): Promise<boolean> {
    return this.store('prepend', key, value, {});
  }

  /** Stores only if the item's CAS token still equals `cas`: `STORED`, `EXISTS` or `NOT_FOUND`. */
  async cas(key: string, value: Value, cas: bigint, options: StoreOptions = {}): Promise<Status> {
    return this.status({ op: 'cas', key, value: toBuffer(value), cas, ...options });
  }

  /** Removes the item; false on a miss. */
  async delete(key: string): Promise<boolean> {
    return (await this.status({ op: 'delete', key })) === 'DELETED';
  }

  /** Adds `delta` to a decimal value (wrapping at 2^64); undefined on a miss. */
  incr(key: string, delta: bigint | number = 1n): Promise<bigint | undefined> {
    return this.arith({ op: 'incr', key, delta: BigInt(delta) });
  }

  /** Subtracts `delta` from a decimal value (stopping at 0); undefined on a miss. */
  decr(key: string, delta: bigint | number = 1n): Promise<bigint | undefined> {
    return this.arith({ op: 'decr', key, delta: BigInt(delta) });
  }

  /** Sets a new expiry time; false on a miss. */
  async touch(key: string, exptime: number): Promise<boolean> {
    return (await this.status({ op: 'touch', key, exptime })) === 'TOUCHED';
  }

  /** Invalidates every item, now or after `delay` seconds. */
  async flushAll(delay?: number): Promise<void> {
    await this.status(delay === undefined ? { op: 'flush_all' } : { op: 'flush_all', delay });
  }

  /** The server's version string. */
  async version(): Promise<string> {
    const request: Request = { op: 'version' };
    const reply = checked(await this.request(request));
    if (reply.kind !== 'version') throw unexpected(reply, request);
    return reply.version;
  }

  /** The server's statistics (`group` selects `items`, `slabs`, …). */
  async stats(group?: string): Promise<ReadonlyMap<string, string>> {
    const request: Request = group === undefined ? { op: 'stats' } : { op: 'stats', group };
    const reply = checked(await this.request(request));
    if (reply.kind !== 'stats') throw unexpected(reply, request);
    return reply.stats;
  }

  /** Closes every connection; pending calls fail with `POOL_CLOSED`. */
  close(): Promise<void> {
    return this.pool.close();
  }

  private async values(request: Request): Promise<Map<string, Item>> {
    const reply = checked(await this.request(request));
    if (reply.kind !== 'values') throw unexpected(reply, request);
    return new Map(reply.items.map((item) => [item.key, item]));
  }

  private async store(op: StoreOp, key: string, value: Value, options: StoreOptions): Promise<boolean> {
    return (await this.status({ op, key, value: toBuffer(value), ...options })) === 'STORED';
  }

  private async status(request: Request): Promise<Status> {
    const reply = checked(await this.request(request));
    if (reply.kind !== 'status') throw unexpected(reply, request);
    return reply.status;
  }

  private async arith(request: Request): Promise<bigint | undefined> {
    const reply = checked(await this.request(request));
    if (reply.kind === 'number') return reply.value;
    if (reply.kind === 'status' && reply.status === 'NOT_FOUND') return undefined;
    throw unexpected(reply, request);
  }
}
