/**
 * The operator's HTTP listener, apart from the memcached port: `GET /metrics` (the Prometheus
 * text format), `GET /healthz` (200 while the process serves) and `GET /readyz` (200 when ready,
 * 503 while starting or draining). It is small and bounded on purpose: GET only, no request body,
 * short header and request timeouts, and a connection limit, so a misbehaving scraper cannot
 * hold the process's resources.
 * @module
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { EXPOSITION_CONTENT_TYPE } from './prometheus-text.ts';

/**
 * Headers must arrive within 5 s and the whole request within 10 s: a scrape sends a few hundred
 * bytes at once, so anything slower is a stuck or hostile client (Node's defaults are 60 s and 300 s).
 */
const HEADERS_TIMEOUT_MS = 5_000;
const REQUEST_TIMEOUT_MS = 10_000;
/** An idle keep-alive connection is closed after 5 s (Prometheus reconnects cheaply). */
const KEEP_ALIVE_TIMEOUT_MS = 5_000;
/** 16 connections: a few Prometheus servers, a health checker and a person with curl. */
const MAX_CONNECTIONS = 16;
/** 8 KiB of headers (Node's default is 16 KiB): scrapers send under 1 KiB. */
const MAX_HEADER_BYTES = 8 * 1024;

/** What {@link startMetricsServer} needs. */
export interface MetricsServerOptions {
  /** Address to listen on; loopback unless the metrics are meant to be scraped from elsewhere. */
  readonly host: string;
  /** Port; 0 picks a free one (read it back from `address`). */
  readonly port: number;
  /** The `/metrics` page, rendered on each scrape. */
  readonly render: () => string;
  /** Whether the server is ready for traffic (false while starting or draining). */
  readonly ready: () => boolean;
  readonly log: Pick<Logger, 'info' | 'warn'>;
}

/** A running metrics listener. */
export interface MetricsServer {
  /** Where it listens. */
  readonly address: { readonly host: string; readonly port: number };
  /** Stops listening and closes every connection, idle or not; resolves once closed. */
  close(): Promise<void>;
}

/** Sends a short plain-text answer. */
function reply(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

/** True when the request announces a body, which no endpoint here accepts. */
function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** Starts the listener; resolves once it is bound (rejects if it cannot bind). */
export function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const { render, ready, log } = options;
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    if (req.method !== 'GET') return reply(res, 405, 'only GET\n', { Allow: 'GET' });
    // Answer without reading it, and close: the unread body must not be parsed as a next request.
    if (hasBody(req)) return reply(res, 413, 'no request body accepted\n', { Connection: 'close' });
    const path = (req.url ?? '/').split('?', 1)[0];
    switch (path) {
      case '/metrics': {
        let page: string;
        try {
          page = render();
        } catch (error) {
          log.warn({ err: error }, 'metrics: rendering /metrics failed');
          return reply(res, 500, 'metrics unavailable\n');
        }
        return reply(res, 200, page, { 'Content-Type': EXPOSITION_CONTENT_TYPE });
      }
      case '/healthz':
        return reply(res, 200, 'ok\n');
      case '/readyz':
        return ready() ? reply(res, 200, 'ready\n') : reply(res, 503, 'not ready\n');
      default:
        return reply(res, 404, 'not found: try /metrics, /healthz or /readyz\n');
    }
  };

  const server = createServer({
    headersTimeout: HEADERS_TIMEOUT_MS,
    requestTimeout: REQUEST_TIMEOUT_MS,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    maxHeaderSize: MAX_HEADER_BYTES,
  }, handle);
  server.maxConnections = MAX_CONNECTIONS;

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      server.on('error', (error) => log.warn({ err: error }, 'metrics: listener error'));
      const bound = server.address() as AddressInfo;
      const address = { host: bound.address, port: bound.port };
      log.info({ address: `${address.host}:${address.port}` }, 'metrics: listening');
      let closing: Promise<void> | undefined;
      resolve({
        address,
        close(): Promise<void> {
          closing ??= new Promise<void>((done) => {
            server.close(() => done());
            // close() alone waits for keep-alive connections to go idle and time out.
            server.closeAllConnections();
          });
          return closing;
        },
      });
    });
  });
}
