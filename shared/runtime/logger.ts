/**
 * The phases' logger: pino, one JSON object per line on stderr, so stdout stays free for the
 * ready line that tests and tools wait for.
 * @module
 */
import pino, { type Logger } from 'pino';

/** Creates a logger named after the phase, at `level` (fatal … debug, or silent). */
export function createLogger(name: string, level: string): Logger {
  return pino({ name, level }, pino.destination({ fd: 2, sync: false }));
}
