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
import type { CommandExecutor, Reply } from './executor.ts';

/** Executes commands synchronously on the calling thread. */
export class InlineExecutor implements CommandExecutor {
  readonly threads = 1;
  private readonly out = new TextReply();

  constructor(
    private readonly store: Store,
    private readonly server: ServerInfo,
  ) {}

  /** Executes the command at once on the calling thread; the promise is already settled. */
  execute(command: TextCommand): Promise<Reply> {
    const after = executeText(command, this.store, this.server, this.out);
    return Promise.resolve({ chunks: this.out.take(), after });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
