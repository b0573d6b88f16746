/**
 * The table behind `stats conns`: every open socket with a number of its own (Node shows no file
 * descriptors, so the server numbers its sockets), its peer and listening addresses, and when it
 * last sent something. The thread that owns the sockets keeps it; the listener's line comes first,
 * as in memcached.
 * @module
 */
import type { Socket } from 'node:net';
import type { ConnectionInfo } from '../protocol/server-info.ts';

interface Entry {
  readonly id: number;
  readonly addr: string;
  readonly listenAddr: string;
  lastMs: number;
}

/** memcached's way of writing an address: `tcp:127.0.0.1:11211`, `tcp6:[::1]:11211`. */
export function wireAddress(host: string | undefined, port: number | undefined): string {
  // A unix socket's address comes written whole (`unix:/path`).
  if (host?.startsWith('unix:')) return host;
  return host?.includes(':') ? `tcp6:[${host}]:${port}` : `tcp:${host}:${port}`;
}

/** Open sockets, for `stats conns`. */
export class ConnectionTable {
  private readonly entries = new Map<Socket, Entry>();
  /** Number 0 is the listener's; clients count from 1. */
  private nextId = 1;
  private listening: { addr: string; sinceMs: number } | null = null;

  /** The listening socket's address, once bound. */
  listeningOn(host: string, port: number): void {
    this.listening = { addr: wireAddress(host, port), sinceMs: Date.now() };
  }

  /** Adds an accepted socket; it leaves the table when it closes. */
  add(socket: Socket): void {
    // A unix socket's peer has no address: it is listed under the socket's path, as memcached does.
    const local = socket.remoteAddress === undefined ? (this.listening?.addr ?? 'unix:') : undefined;
    const entry: Entry = {
      id: this.nextId++,
      addr: local ?? wireAddress(socket.remoteAddress, socket.remotePort),
      listenAddr: local ?? wireAddress(socket.localAddress, socket.localPort),
      lastMs: Date.now(),
    };
    this.entries.set(socket, entry);
    // One clock read per read from the socket (not per request): idle time is what matters here.
    socket.on('data', () => {
      entry.lastMs = Date.now();
    });
    socket.once('close', () => this.entries.delete(socket));
  }

  /** Every socket, the listener first. */
  describe(): ConnectionInfo[] {
    const now = Date.now();
    const seconds = (since: number) => Math.floor((now - since) / 1000);
    const rows: ConnectionInfo[] = [];
    if (this.listening) rows.push({ id: 0, addr: this.listening.addr, state: 'conn_listening', secsSinceLastCmd: seconds(this.listening.sinceMs) });
    for (const entry of this.entries.values()) {
      // The table cannot see inside a connection: one that is open is, as memcached would say, waiting.
      rows.push({ id: entry.id, addr: entry.addr, listenAddr: entry.listenAddr, state: 'conn_waiting', secsSinceLastCmd: seconds(entry.lastMs) });
    }
    return rows;
  }
}
