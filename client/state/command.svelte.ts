import type { MessageKey } from '../../shared/i18n/index.ts';
import type { CommandInput, CommandName } from '../../shared/protocol.ts';
import { send } from '../socket.ts';
import { errorMessageKey, type CommandOutcome } from './outcome.ts';

/**
 * A console panel's commands: each feature's panel class extends this one with its named commands,
 * and the panel shows the translated error of the last one that failed.
 */
export class ConsoleCommands {
  error = $state<MessageKey | null>(null);

  protected async command<N extends CommandName>(name: N, payload: CommandInput<N>): Promise<CommandOutcome<N>> {
    this.error = null;
    const result = await send(name, payload);
    if (!result.ok) this.error = errorMessageKey(result.code);
    return result;
  }

  /** Sends a command; true when it was applied (the panel shows the error otherwise). */
  protected async applied<N extends CommandName>(name: N, payload: CommandInput<N>): Promise<boolean> {
    return (await this.command(name, payload)).ok;
  }
}
