/**
 * Source (address, port) pairs that the client processes of connections mode choose themselves,
 * so that no connect asks the kernel to search for a free ephemeral port. Each client process
 * gets a slice of the port range of its own, on every source address, so no two processes ever
 * pick the same pair; within its slice a process walks the pairs in order, addresses turning
 * fastest, and skips the ports the servers listen on.
 * @module
 */

/** A range of ports, both ends included. */
export interface PortRange {
  readonly low: number;
  readonly high: number;
}

/**
 * The ports the client processes choose from: below 10,000 live the well-known and registered
 * services a machine may run; above 60,999 nothing here. The kernel's own ephemeral range
 * (net.ipv4.ip_local_port_range, 32768–60999 here) lies inside: a port is taken per address,
 * and the source addresses 127.0.0.2 … are the bench's alone, so the only clashes are with
 * sockets bound to every address (0.0.0.0), which a retry on the next pair steps over.
 * 51,000 ports on each source address: 16 addresses give 816,000 pairs.
 */
export const SOURCE_PORT_RANGE: PortRange = { low: 10_000, high: 60_999 };

/** One source pair: where a connection binds before it connects. */
export interface SourcePair {
  readonly localAddress: string;
  readonly localPort: number;
}

/**
 * Client process `index` of `processes`: its contiguous share of `range`, disjoint from every
 * other process's (the first `size % processes` shares are one port larger).
 */
export function portSlice(range: PortRange, index: number, processes: number): PortRange {
  const size = range.high - range.low + 1;
  if (!(processes >= 1 && index >= 0 && index < processes)) throw new RangeError(`client process ${index} of ${processes}`);
  if (processes > size) throw new RangeError(`${processes} client processes cannot share ${size} ports`);
  const base = Math.floor(size / processes);
  const extra = size % processes;
  const low = range.low + index * base + Math.min(index, extra);
  return { low, high: low + base + (index < extra ? 1 : 0) - 1 };
}

/** Hands out the pairs of one client process's slice, in order, each once. */
export class SourcePairs {
  private readonly ports: number[];
  private next = 0;

  /**
   * @param addresses - the source addresses, turned through fastest
   * @param slice - this process's ports (see {@link portSlice})
   * @param avoid - ports never to use: those the servers listen on
   */
  constructor(private readonly addresses: readonly string[], slice: PortRange, avoid: Iterable<number> = []) {
    if (addresses.length === 0) throw new RangeError('no source address');
    const skip = new Set(avoid);
    this.ports = [];
    for (let port = slice.low; port <= slice.high; port++) if (!skip.has(port)) this.ports.push(port);
  }

  /** How many pairs there are in all. */
  get size(): number {
    return this.ports.length * this.addresses.length;
  }

  /** The next unused pair, or undefined when every pair has been handed out. */
  take(): SourcePair | undefined {
    if (this.next >= this.size) return undefined;
    const k = this.next++;
    return { localAddress: this.addresses[k % this.addresses.length]!, localPort: this.ports[Math.floor(k / this.addresses.length)]! };
  }
}

/** A pair that another socket holds (EADDRINUSE), or whose connection to this server exists (EADDRNOTAVAIL). */
const PAIR_TAKEN = new Set(['EADDRINUSE', 'EADDRNOTAVAIL']);
/** Enough to step over a cluster of ports someone else holds; a run that needs more has a wider problem. */
export const MAX_PAIR_RETRIES = 64;

/** Every pair of a client process's slice is used: the error a connect then fails with. */
export class PairsExhausted extends Error {
  override readonly name = 'SOURCE_PAIRS_EXHAUSTED';
}

/** The socket error code under an error (the client wraps it as `cause`). */
function socketCode(error: unknown): string | undefined {
  const cause = (error as { cause?: unknown } | undefined)?.cause ?? error;
  return (cause as NodeJS.ErrnoException | undefined)?.code;
}

/**
 * Connects from the next pair; when that pair is taken, from the one after, up to
 * {@link MAX_PAIR_RETRIES} times. `onRetry` counts the pairs stepped over.
 */
export async function connectFromPairs<T>(pairs: SourcePairs, connect: (pair: SourcePair) => Promise<T>, onRetry?: (code: string) => void): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const pair = pairs.take();
    if (pair === undefined) throw new PairsExhausted(`all ${pairs.size} source pairs of this client process are used`);
    try {
      return await connect(pair);
    } catch (error) {
      const code = socketCode(error);
      if (code === undefined || !PAIR_TAKEN.has(code) || attempt >= MAX_PAIR_RETRIES) throw error;
      onRetry?.(code);
    }
  }
}
