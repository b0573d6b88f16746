/**
 * The capstone's checks of what an operator relies on, beyond the protocol: the metrics page a
 * Prometheus server scrapes (phase 3's histogram exposition and bucket bounds at work) and a
 * stop on SIGTERM that drains and exits 0 (phase 3's shutdown sequence). The conformance suite
 * speaks only memcached's protocols, so without these a learner's broken exposition or shutdown
 * would pass the capstone unnoticed.
 * @module
 */
import type { RunningServer } from '../../testing/server-process.ts';
import { Mark } from '../cli/paint.ts';
import { loggedErrors, WARN_LEVEL } from './server-log.ts';

/** What one operations check found, in lines for the report. */
export interface OperationsOutcome {
  readonly ok: boolean;
  readonly lines: string[];
}

/** The ready line's `metrics on HOST:PORT` detail. */
const METRICS_ADDRESS = /metrics on (\[[^\]]+\]|[^\s:,)]+):(\d+)/;
/** A scrape renders a page from memory: a second is generous, 5 s means it is stuck. */
const SCRAPE_TIMEOUT_MS = 5000;
/** Every request of the suite was timed, so the page has a latency series and its `+Inf` bucket. */
const INF_BUCKET = /^kvlab_request_duration_seconds_bucket\{[^}]*le="\+Inf"\} (\d+)$/m;
const COUNT_LINE = /^kvlab_request_duration_seconds_count\{[^}]*\} (\d+)$/m;

/** The first lines the server logged at `level` or above (errors by default), each with the line of the learner's file it came from. */
function loggedProblems(server: RunningServer, level?: number): string[] {
  return loggedErrors(server.output(), 3, level).map((error) => `      your server logged: ${error.message}${error.where ? ` (at ${error.where})` : ''}`);
}

/** Scrapes `/metrics` once and checks that it holds a whole latency histogram. */
export async function checkMetricsPage(server: RunningServer): Promise<OperationsOutcome> {
  const address = METRICS_ADDRESS.exec(server.output());
  if (address === null) return { ok: false, lines: [`    ${Mark.fail()} metrics: the ready line names no metrics address (is --metrics-port given?)`] };
  // The host keeps its brackets when it is IPv6, as a URL wants it.
  const url = `http://${address[1]}:${address[2]}/metrics`;
  let status: number;
  let page: string;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(SCRAPE_TIMEOUT_MS) });
    status = response.status;
    page = await response.text();
  } catch (error) {
    return { ok: false, lines: [`    ${Mark.fail()} metrics: GET ${url} failed: ${(error as Error).message}`, ...loggedProblems(server, WARN_LEVEL)] };
  }
  if (status !== 200) {
    return { ok: false, lines: [`    ${Mark.fail()} metrics: GET ${url} answered ${status}: ${page.trim().slice(0, 200)}`, ...loggedProblems(server, WARN_LEVEL)] };
  }
  const inf = INF_BUCKET.exec(page);
  const count = COUNT_LINE.exec(page);
  if (inf === null || count === null) {
    const shown = page.split('\n').filter((line) => line.startsWith('kvlab_request_duration_seconds')).slice(0, 6);
    return {
      ok: false,
      lines: [
        `    ${Mark.fail()} metrics: no whole latency histogram on ${url}`,
        '      expected: kvlab_request_duration_seconds_bucket{…,le="+Inf"} N and kvlab_request_duration_seconds_count{…} N',
        `      received: ${shown.length > 0 ? shown.join('\n                ') : 'no kvlab_request_duration_seconds line at all'}`,
      ],
    };
  }
  return { ok: true, lines: [`    ${Mark.pass()} metrics: /metrics holds the latency histograms (+Inf bucket ${inf[1]}, count ${count[1]})`] };
}

/** The summary line run-server.ts logs once a graceful shutdown is done. */
const SUMMARY = /shut down: (\d+) connections drained, (\d+) forced, in (\d+) ms/;

/** Sends SIGTERM and checks that the server drains, says so, and exits 0 within `graceMs`. */
export async function checkGracefulStop(server: RunningServer, graceMs: number): Promise<OperationsOutcome> {
  const started = Date.now();
  const code = await server.stop(graceMs);
  const summary = SUMMARY.exec(server.output());
  if (code === 0 && summary !== null) {
    return { ok: true, lines: [`    ${Mark.pass()} SIGTERM: drained and exited 0 (${summary[0]})`] };
  }
  const what = code === -1 ? `it did not exit within ${graceMs / 1000} s and was killed` : `it exited with ${code} after ${Date.now() - started} ms`;
  return {
    ok: false,
    lines: [
      `    ${Mark.fail()} SIGTERM: ${what}${summary === null ? ', without the "shut down: …" summary line' : ''}`,
      '      expected: stop accepting, drain, close, log "shut down: N connections drained, M forced, in T ms", exit 0',
      ...loggedProblems(server),
    ],
  };
}
