import type { CommandInput } from '../../shared/protocol.ts';
import { ConsoleCommands } from '../state/command.svelte.ts';
import type { CommandOutcome } from '../state/outcome.ts';

type Round = { eventId: string; stepId: string };

/** The facilitators' commands for a breakout round: rounds, phases, tables, people and messages. */
export class BreakoutAdmin extends ConsoleCommands {
  readonly #round: () => Round;

  /** `round` gives the event and step the panel is showing now. */
  constructor(round: () => Round) {
    super();
    this.#round = round;
  }

  /** Forms the tables of a new round. */
  newRound(): Promise<CommandOutcome<'breakout:round'>> {
    return this.command('breakout:round', this.#round());
  }

  phase(phase: CommandInput<'breakout:phase'>['phase']): Promise<CommandOutcome<'breakout:phase'>> {
    return this.command('breakout:phase', { ...this.#round(), phase });
  }

  /** Shows one table on the projector (null: all of them). */
  show(groupId: string | null): Promise<CommandOutcome<'breakout:show'>> {
    return this.command('breakout:show', { ...this.#round(), groupId });
  }

  /** Moves a person to a table (null: to no table). */
  move(participantId: string, groupId: string | null): Promise<CommandOutcome<'group:move'>> {
    return this.command('group:move', { ...this.#round(), participantId, groupId });
  }

  host(groupId: string, participantId: string | null): Promise<CommandOutcome<'group:host'>> {
    return this.command('group:host', { ...this.#round(), groupId, participantId });
  }

  markDone(groupId: string, done: boolean): Promise<CommandOutcome<'group:done'>> {
    return this.command('group:done', { ...this.#round(), groupId, done });
  }

  message(groupId: string, text: string): Promise<CommandOutcome<'group:message'>> {
    return this.command('group:message', { ...this.#round(), groupId, text });
  }
}
