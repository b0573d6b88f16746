/**
 * The life cycle every phase's entry point shares: start, print the ready line, stay up, and on
 * SIGINT/SIGTERM drain and exit (a second signal forces). An exception that escapes a handler is
 * logged and the server carries on serving the other connections.
 * @module
 */
import type { Logger } from 'pino';

/** What a phase's start function returns. */
export interface Closable {
  readonly address: { host: string; port: number };
  /** Stops accepting, closes the connections and releases threads; resolves when all is closed. */
  close(): Promise<void>;
  /** The graceful stop (see compose-server.ts); servers without it are closed at once. */
  shutdown?(timeoutMs: number): Promise<{ drained: number; forced: number; milliseconds: number }>;
}

/** How long a graceful shutdown waits for connections to drain before forcing them, by default. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

/** Formats a bound address as `host:port`, bracketing IPv6 (a unix socket: `unix:<path>`). */
export function formatAddress(address: { host: string; port: number }): string {
  // A unix socket's address is already written whole (`unix:/run/kvlab.sock`).
  if (address.host.startsWith('unix:')) return address.host;
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}

/**
 * Starts a server, prints `kvlab <name> listening on HOST:PORT (<details>)` on stdout, and wires
 * the signals. The ready line is the contract tests and tools wait for. The first SIGINT/SIGTERM
 * drains (at most `shutdownTimeoutMs`), logs one summary line and exits 0; a second one forces.
 */
export async function runServer(
  name: string, log: Logger, start: () => Promise<Closable>, details: string | (() => string) = '', shutdownTimeoutMs = DEFAULT_SHUTDOWN_TIMEOUT_MS,
): Promise<void> {
  process.on('uncaughtException', (error) => log.error({ err: error }, 'uncaught exception'));
  process.on('unhandledRejection', (error) => log.error({ err: error }, 'unhandled rejection'));
  let server: Closable;
  try {
    server = await start();
  } catch (error) {
    log.fatal({ err: error }, 'could not start');
    console.error(`kvlab ${name}: could not start: ${(error as Error).message}`);
    process.exitCode = 1;
    return;
  }
  // Details may depend on what start() bound (a second listener's port, say): read them now.
  const shown = typeof details === 'function' ? details() : details;
  let signals = 0;
  const exit = (code: number) => log.flush(() => process.exit(code));
  const stop = (signal: string) => {
    signals++;
    if (signals > 1) {
      log.warn({ signal }, 'second signal: closing every connection now');
      server.close().then(() => exit(0), () => exit(1));
      return;
    }
    log.info({ signal, timeoutMs: shutdownTimeoutMs }, 'shutting down: draining connections');
    const stopped = server.shutdown ? server.shutdown(shutdownTimeoutMs) : server.close().then(() => null);
    stopped.then(
      (summary) => {
        if (summary) log.info(summary, `shut down: ${summary.drained} connections drained, ${summary.forced} forced, in ${summary.milliseconds} ms`);
        exit(0);
      },
      (error: unknown) => {
        log.error({ err: error }, 'error while shutting down');
        exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // Ready only now: whoever waits for this line may signal at once, and must find the handlers.
  console.log(`kvlab ${name} listening on ${formatAddress(server.address)}${shown ? ` (${shown})` : ''}`);
}
