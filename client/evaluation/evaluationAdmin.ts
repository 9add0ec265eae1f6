import type { CommandInput } from '../../shared/protocol.ts';
import { ConsoleCommands } from '../state/command.svelte.ts';

/** The facilitators' commands for an evaluation; each answers whether it was applied (the panel shows the error). */
export class EvaluationAdmin extends ConsoleCommands {
  configure = (payload: CommandInput<'evaluation:configure'>): Promise<boolean> => this.applied('evaluation:configure', payload);
  setStatus = (payload: CommandInput<'evaluation:status'>): Promise<boolean> => this.applied('evaluation:status', payload);
  moderate = (payload: CommandInput<'evaluation:moderate'>): Promise<boolean> => this.applied('evaluation:moderate', payload);
}
