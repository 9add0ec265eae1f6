import type { CommandInput } from '../../shared/protocol.ts';
import { ConsoleCommands } from '../state/command.svelte.ts';

/** The facilitators' commands for questions and the FAQ; each answers whether it was applied (the panel shows the error). */
export class QuestionAdmin extends ConsoleCommands {
  async moderate(payload: CommandInput<'question:moderate'>): Promise<boolean> {
    return (await this.command('question:moderate', payload)).ok;
  }

  async answer(payload: CommandInput<'question:answer'>): Promise<boolean> {
    return (await this.command('question:answer', payload)).ok;
  }

  async merge(payload: CommandInput<'question:merge'>): Promise<boolean> {
    return (await this.command('question:merge', payload)).ok;
  }

  async configure(payload: CommandInput<'questions:configure'>): Promise<boolean> {
    return (await this.command('questions:configure', payload)).ok;
  }

  async createFaq(payload: CommandInput<'faq:create'>): Promise<boolean> {
    return (await this.command('faq:create', payload)).ok;
  }

  async updateFaq(payload: CommandInput<'faq:update'>): Promise<boolean> {
    return (await this.command('faq:update', payload)).ok;
  }

  async removeFaq(payload: CommandInput<'faq:remove'>): Promise<boolean> {
    return (await this.command('faq:remove', payload)).ok;
  }
}
