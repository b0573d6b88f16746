/**
 * Reply shapes several case tables share, spelled as memcached sends them.
 * @module
 */
import { literal, matching, type Reply } from '../transcript.ts';

/** One `VALUE` block of a get reply: the header line, the data and its CRLF. */
export function valueBlock(key: string, flags: number, data: string): string {
  return `VALUE ${key} ${flags} ${data.length}\r\n${data}\r\n`;
}

/**
 * A `gets` (or `gats`) reply for one item, with its CAS unique captured under `name` for later
 * steps: the unique differs from server to server, so it is matched, not spelled out.
 */
export function casReply(key: string, flags: number, data: string, name = 'cas'): Reply {
  const header = `VALUE ${literal(key)} ${flags} ${data.length} (?<${name}>\\d+)\\r\\n`;
  return matching(new RegExp(`^${header}${literal(data)}\\r\\nEND\\r\\n$`), 'END\r\n');
}
