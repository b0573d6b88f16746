/**
 * `openssl s_client` as a TLS client for tests: a tool nobody here wrote, so a server's TLS is
 * checked against OpenSSL's own idea of it.
 * @module
 */
import { spawn } from 'node:child_process';
import { OPENSSL } from './test-certificates.ts';

/** What `openssl s_client` printed, and how it exited. */
export interface SClientRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `openssl s_client` against 127.0.0.1:`port` with `args` (the CA file, verification
 * options…) and `input` on its stdin, which it sends once the handshake is done; at most 15 s.
 */
export function sClient(port: number, args: readonly string[], input: string): Promise<SClientRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(OPENSSL, ['s_client', '-connect', `127.0.0.1:${port}`, '-quiet', '-nocommands', ...args], { timeout: 15_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('latin1')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('latin1')));
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(input);
  });
}
