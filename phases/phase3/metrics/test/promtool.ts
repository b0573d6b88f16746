/**
 * Where the tests find Prometheus' tools (Debian package `prometheus`), and a way to run
 * `promtool check metrics` on a page. Tests skip with this reason when they are missing.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Debian's paths. */
export const PROMTOOL = '/usr/bin/promtool';
export const PROMETHEUS = '/usr/bin/prometheus';

/** The skip reason, or false when both tools are installed. */
export function prometheusMissing(): string | false {
  return existsSync(PROMTOOL) && existsSync(PROMETHEUS) ? false : 'promtool/prometheus not installed (apt-get install -y prometheus; CI installs it)';
}

/** Runs `promtool check metrics` on `page`; resolves with its exit code and what it printed. */
export function promtoolCheck(page: string, timeoutMs = 10_000): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(PROMTOOL, ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'], timeout: timeoutMs, killSignal: 'SIGKILL' });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
    child.stdin.end(page);
  });
}
