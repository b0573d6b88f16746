/**
 * The control experiment: execute each command on the main thread, with no pool at all
 * (`--workers 0`). The phase 1 guide compares it with the worker pool to show what the pool costs.
 * @module
 */
import type { Store } from '../../shared/store/store.ts';
import type { ServerInfo } from '../../shared/protocol/server-info.ts';
import type { TextCommand } from '../../shared/protocol/text/text-command.ts';
import { executeText } from '../../shared/protocol/text/text-executor.ts';
import { TextReply } from '../../shared/protocol/text/text-reply.ts';
import { After } from '../../shared/protocol/after.ts';
import type { CommandExecutor, Reply } from './executor.ts';

/** Executes commands synchronously on the calling thread. */
export class InlineExecutor implements CommandExecutor {
  readonly threads = 1;
  private readonly out = new TextReply();

  constructor(
    private readonly store: Store,
    private readonly server: ServerInfo,
    /** Told of a command that threw (it has been answered with SERVER_ERROR). */
    private readonly onFault: (error: unknown) => void = () => undefined,
  ) {}

  /**
   * Executes the command at once on the calling thread; the promise is already settled. A command
   * that throws is answered with SERVER_ERROR, as a worker answers it: one reply lost, no more.
   */
  execute(command: TextCommand): Promise<Reply> {
    try {
      const after = executeText(command, this.store, this.server, this.out);
      return Promise.resolve({ chunks: this.out.take(), after });
    } catch (error) {
      this.out.take();
      this.out.error('INTERNAL');
      this.onFault(error);
      return Promise.resolve({ chunks: this.out.take(), after: After.Continue });
    }
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
