import { fail } from '../../shared/domain/errors.ts';
import { applyTimer } from '../../shared/domain/timer.ts';
import { command, done } from '../command.ts';
import { isFacilitator } from '../permissions.ts';

export const timerCommands = [
  command('timer:control', isFacilitator, (ctx, { eventId, stepId, action }) => {
    const step = ctx.repos.steps.get(eventId, stepId);
    if (!step) return fail('step_not_found');
    const next = applyTimer(step.timer, action, ctx.now);
    if (!next.ok) return next;
    ctx.repos.steps.save(eventId, { ...step, timer: next.data });
    return done({ stepId, timer: next.data }, { type: 'timerChanged', eventId, stepId, timer: next.data }, { type: 'runSheetChanged', eventId });
  }),
] as const;
