/**
 * A Cyrus SASL configuration for real memcached's `-S`: a sasldb holding the users of a
 * `user:password` file (written with sasl2-bin's saslpasswd2) and a memcached.conf offering PLAIN
 * only. memcached finds it through the SASL_CONF_PATH variable, and reads it as user `nobody`.
 * @module
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where Debian's sasl2-bin installs the tool that writes a Cyrus sasldb. */
export const SASLPASSWD = '/usr/sbin/saslpasswd2';

/** Why a sasldb cannot be written here, or false. */
export function saslUnavailable(): string | false {
  return existsSync(SASLPASSWD) ? false : `${SASLPASSWD} is not installed (apt-get install sasl2-bin)`;
}

/**
 * Writes the configuration into `dir/sasl` for the users of `usersText` (`user:password` lines; a
 * password holds everything after the first colon) and returns the folder SASL_CONF_PATH must name.
 */
export function writeSaslConfig(dir: string, usersText: string): string {
  const saslDir = join(dir, 'sasl');
  mkdirSync(saslDir, { recursive: true });
  const sasldb = join(saslDir, 'sasldb2');
  for (const line of usersText.trim().split('\n')) {
    const colon = line.indexOf(':');
    execFileSync(SASLPASSWD, ['-a', 'memcached', '-c', '-p', '-f', sasldb, line.slice(0, colon)], { input: line.slice(colon + 1), timeout: 10_000 });
  }
  writeFileSync(join(saslDir, 'memcached.conf'), `mech_list: plain\nsasldb_path: ${sasldb}\n`);
  chmodSync(dir, 0o755);
  chmodSync(saslDir, 0o755);
  chmodSync(sasldb, 0o644);
  return saslDir;
}
