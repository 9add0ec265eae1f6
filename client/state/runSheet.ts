import type { CommandInput } from '../../shared/protocol.ts';
import { send } from '../socket.ts';
import { eventState } from './event.svelte.ts';
import type { CommandOutcome } from './outcome.ts';

/** The console's run sheet: steps added, edited, moved, removed and started, and the step's timer. */
class RunSheet {
  /** Makes a step the current one on every screen (null: back to the welcome screen). */
  start(eventId: string, stepId: string | null): Promise<CommandOutcome<'step:start'>> {
    return send('step:start', { eventId, stepId });
  }

  move(eventId: string, stepId: string, toIndex: number): Promise<CommandOutcome<'step:move'>> {
    return send('step:move', { eventId, stepId, toIndex });
  }

  remove(eventId: string, stepId: string): Promise<CommandOutcome<'step:remove'>> {
    return send('step:remove', { eventId, stepId });
  }

  /** Edits a step; this console shows it at once, the broadcast follows. */
  async update(eventId: string, stepId: string, changes: CommandInput<'step:update'>['changes']): Promise<CommandOutcome<'step:update'>> {
    const result = await send('step:update', { eventId, stepId, changes });
    if (result.ok) eventState.stepSaved(result.data);
    return result;
  }

  /** Adds a step at the end of the run sheet. */
  async add(eventId: string, step: CommandInput<'step:add'>['step']): Promise<CommandOutcome<'step:add'>> {
    const result = await send('step:add', { eventId, step, afterStepId: null });
    if (result.ok) eventState.stepSaved(result.data);
    return result;
  }

  timer(eventId: string, stepId: string, action: CommandInput<'timer:control'>['action']): Promise<CommandOutcome<'timer:control'>> {
    return send('timer:control', { eventId, stepId, action });
  }
}

export const runSheet = new RunSheet();
