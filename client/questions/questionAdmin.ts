import type { CommandInput } from '../../shared/protocol.ts';
import { ConsoleCommands } from '../state/command.svelte.ts';

/** The facilitators' commands for questions and the FAQ; each answers whether it was applied (the panel shows the error). */
export class QuestionAdmin extends ConsoleCommands {
  moderate = (payload: CommandInput<'question:moderate'>): Promise<boolean> => this.applied('question:moderate', payload);
  answer = (payload: CommandInput<'question:answer'>): Promise<boolean> => this.applied('question:answer', payload);
  merge = (payload: CommandInput<'question:merge'>): Promise<boolean> => this.applied('question:merge', payload);
  configure = (payload: CommandInput<'questions:configure'>): Promise<boolean> => this.applied('questions:configure', payload);
  createFaq = (payload: CommandInput<'faq:create'>): Promise<boolean> => this.applied('faq:create', payload);
  updateFaq = (payload: CommandInput<'faq:update'>): Promise<boolean> => this.applied('faq:update', payload);
  removeFaq = (payload: CommandInput<'faq:remove'>): Promise<boolean> => this.applied('faq:remove', payload);
}
