/**
 * The life cycle every phase's entry point shares: start, print the ready line, stay up, and on
 * SIGINT/SIGTERM close cleanly and exit. An exception that escapes a handler is logged and the
 * server carries on serving the other connections.
 * @module
 */
import type { Logger } from 'pino';

/** What a phase's start function returns. */
export interface Closable {
  readonly address: { host: string; port: number };
  /** Stops accepting, closes the connections and releases threads; resolves when all is closed. */
  close(): Promise<void>;
}

/** Formats a bound address as `host:port`, bracketing IPv6. */
export function formatAddress(address: { host: string; port: number }): string {
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}

/**
 * Starts a server, prints `kvlab <name> listening on HOST:PORT (<details>)` on stdout, and wires
 * the signals. The ready line is the contract tests and tools wait for.
 */
export async function runServer(name: string, log: Logger, start: () => Promise<Closable>, details = ''): Promise<void> {
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
  console.log(`kvlab ${name} listening on ${formatAddress(server.address)}${details ? ` (${details})` : ''}`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    server.close().then(
      () => log.flush(() => process.exit(0)),
      (error: unknown) => {
        log.error({ err: error }, 'error while shutting down');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
