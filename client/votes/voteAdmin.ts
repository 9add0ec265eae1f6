import type { CommandInput } from '../../shared/protocol.ts';
import { ConsoleCommands } from '../state/command.svelte.ts';
import type { CommandOutcome } from '../state/outcome.ts';

type VoteRef = { eventId: string; stepId: string };

/** The facilitators' commands for the current step's vote: its items, its rules, opening and closing. */
export class VoteAdmin extends ConsoleCommands {
  readonly #vote: () => VoteRef;

  /** `vote` gives the event and step the panel is showing now. */
  constructor(vote: () => VoteRef) {
    super();
    this.#vote = vote;
  }

  addItem(text: string): Promise<CommandOutcome<'vote:item:add'>> {
    return this.command('vote:item:add', { ...this.#vote(), text });
  }

  updateItem(itemId: string, text: string): Promise<CommandOutcome<'vote:item:update'>> {
    return this.command('vote:item:update', { ...this.#vote(), itemId, text });
  }

  removeItem(itemId: string): Promise<CommandOutcome<'vote:item:remove'>> {
    return this.command('vote:item:remove', { ...this.#vote(), itemId });
  }

  mergeItems(keepId: string, mergeIds: string[]): Promise<CommandOutcome<'vote:items:merge'>> {
    return this.command('vote:items:merge', { ...this.#vote(), keepId, mergeIds });
  }

  /** Items from the boards: promoted cards, clusters or every card. */
  importItems(from: CommandInput<'vote:import'>['from']): Promise<CommandOutcome<'vote:import'>> {
    return this.command('vote:import', { ...this.#vote(), axes: null, from });
  }

  /** Dots counted on paper, added to an item. */
  paper(itemId: string, category: string | null, count: number): Promise<CommandOutcome<'vote:paper'>> {
    return this.command('vote:paper', { ...this.#vote(), itemId, category, count });
  }

  configure(changes: CommandInput<'vote:configure'>['changes']): Promise<CommandOutcome<'vote:configure'>> {
    return this.command('vote:configure', { ...this.#vote(), changes });
  }

  retain(itemId: string, retained: boolean): Promise<CommandOutcome<'vote:retain'>> {
    return this.command('vote:retain', { ...this.#vote(), itemId, retained });
  }

  open(): Promise<CommandOutcome<'vote:open'>> {
    return this.command('vote:open', this.#vote());
  }

  close(): Promise<CommandOutcome<'vote:close'>> {
    return this.command('vote:close', this.#vote());
  }

  /** A run-off between the top items, or between the items tied at a rank. */
  runoff(choice: { top: number } | { tiedAt: number }): Promise<CommandOutcome<'vote:runoff'>> {
    return this.command('vote:runoff', { ...this.#vote(), ...choice });
  }
}
