/**
 * The users a server lets in: memcached's auth file (`-Y FILE`), one `user:password` per line,
 * split at the first colon (so a password may hold colons), CR or LF ending a line. Each password
 * is kept only as its SHA-256 digest, and a check hashes the offered password and compares the two
 * digests with `crypto.timingSafeEqual`: equal-length inputs, compared in time that does not depend
 * on where they differ, so the answer's timing tells an attacker nothing about how close a guess
 * was. An unknown user is compared against a digest that matches nothing, so it costs the same.
 * @module
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * A line longer than this is refused when the file is loaded: memcached reads at most 256 bytes
 * of each entry (its MAX_ENTRY_LEN), and a credential longer than that is a mistake in the file.
 */
export const MAX_ENTRY_BYTES = 256;
/**
 * Users a file may hold. memcached keeps 8 and silently drops the rest; this keeps many more, and
 * refuses a file above the bound instead of dropping anyone, so every entry written is honoured.
 */
export const MAX_USERS = 10_000;

/** Why an auth file was refused; the message names the file and the line, never a password. */
export class CredentialsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CredentialsError';
  }
}

function digest(password: Buffer): Buffer {
  return createHash('sha256').update(password).digest();
}

/** The users of one auth file; immutable, so a reload swaps a whole new set in at once. */
export class Credentials {
  /** A digest no password has: what an unknown user's guess is compared against. */
  private static readonly NOBODY = digest(randomBytes(32));

  private constructor(
    private readonly digests: ReadonlyMap<string, Buffer>,
    /**
     * Users whose password holds a space: the text handshake carries `user password` as words,
     * so they can log in over SASL only (memcached has the same limit). Said at load, not found out at login.
     */
    readonly spacedPasswords: readonly string[],
  ) {}

  /**
   * Parses an auth file; throws {@link CredentialsError} naming the first bad line. Names and
   * passwords are bytes, compared byte for byte as memcached compares them: each byte is read as
   * one latin1 character, the way the protocol layer hands keys and words over.
   */
  static parse(file: Buffer, source = 'the auth file'): Credentials {
    const digests = new Map<string, Buffer>();
    const spaced: string[] = [];
    const lines = file.toString('latin1').split(/\r\n|\r|\n/);
    for (let index = 0; index < lines.length; index++) {
      const line = lines[index]!;
      // Blank lines (a trailing newline, a separator) hold nobody.
      if (line.trim() === '') continue;
      const where = `${source}, line ${index + 1}`;
      if (line.length > MAX_ENTRY_BYTES) throw new CredentialsError(`${where}: longer than ${MAX_ENTRY_BYTES} bytes`);
      const colon = line.indexOf(':');
      // memcached's words for such a file: "has a malformed entry. Should be 'user:password'".
      if (colon <= 0) throw new CredentialsError(`${where}: a malformed entry; should be 'user:password'`);
      const user = line.slice(0, colon);
      // Credentials travel as space-separated words in the ASCII handshake: a space cannot be sent.
      if (/[ \t]/.test(user)) throw new CredentialsError(`${where}: the user name holds a space`);
      if (digests.has(user)) throw new CredentialsError(`${where}: the user ${JSON.stringify(user)} appears twice`);
      if (digests.size === MAX_USERS) throw new CredentialsError(`${source}: more than ${MAX_USERS} users`);
      const password = line.slice(colon + 1);
      if (password.includes(' ')) spaced.push(user);
      digests.set(user, digest(Buffer.from(password, 'latin1')));
    }
    return new Credentials(digests, spaced);
  }

  /** How many users may authenticate. */
  get size(): number {
    return this.digests.size;
  }

  /**
   * Whether `password` is `user`'s (`user` in latin1, one character per byte). The password is hashed whatever the user, and the digests are
   * compared with timingSafeEqual, so the time taken is the same for a wrong user, a wrong
   * password and a near miss. (The map lookup itself is a hash lookup, whose time does not depend
   * on how much of a user name matches.)
   */
  check(user: string, password: Buffer): boolean {
    const offered = digest(password);
    const expected = this.digests.get(user);
    const equal = timingSafeEqual(offered, expected ?? Credentials.NOBODY);
    return equal && expected !== undefined;
  }
}
