import type { CommandInput } from '../../shared/protocol.ts';
import { ConsoleCommands } from '../state/command.svelte.ts';

/** The facilitators' commands for an evaluation; each answers whether it was applied (the panel shows the error). */
export class EvaluationAdmin extends ConsoleCommands {
  async configure(payload: CommandInput<'evaluation:configure'>): Promise<boolean> {
    return (await this.command('evaluation:configure', payload)).ok;
  }

  async setStatus(payload: CommandInput<'evaluation:status'>): Promise<boolean> {
    return (await this.command('evaluation:status', payload)).ok;
  }

  async moderate(payload: CommandInput<'evaluation:moderate'>): Promise<boolean> {
    return (await this.command('evaluation:moderate', payload)).ok;
  }
}
