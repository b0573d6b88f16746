/**
 * Where phase 1 runs a command. The connection hands over a parsed command and gets its reply
 * back; whether the work happened on this thread or in a pool of workers is invisible to it.
 * @module
 */
import type { TextCommand } from '../../shared/protocol/text/text-command.ts';
import type { After } from '../../shared/protocol/after.ts';

/** A command's reply: the pieces to write, and whether the connection stays open. */
export interface Reply {
  readonly chunks: Uint8Array[];
  readonly after: After;
}

/** Something that executes text commands against the shared store. */
export interface CommandExecutor {
  /** Threads that execute commands (reported by `stats` as `threads`). */
  readonly threads: number;
  /** Executes one command; resolves with its reply chunks and what the connection does next. */
  execute(command: TextCommand): Promise<Reply>;
  /** Stops the threads; in-flight commands finish first. */
  close(): Promise<void>;
}
