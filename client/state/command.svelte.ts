import type { MessageKey } from '../../shared/i18n/index.ts';
import type { CommandInput, CommandName } from '../../shared/protocol.ts';
import { errorMessageKey, send } from '../socket.ts';

/** A console panel's commands: sends one, and keeps the translated error of the last one that failed. */
export class CommandRunner {
  error = $state<MessageKey | null>(null);

  run = async <N extends CommandName>(name: N, payload: CommandInput<N>): Promise<boolean> => {
    this.error = null;
    const result = await send(name, payload);
    if (!result.ok) this.error = errorMessageKey(result.code);
    return result.ok;
  };
}
