import { fail } from '../../shared/domain/errors.ts';
import { checkStepAxes, editStep, insertStep, moveStep, newStep, removeStep } from '../../shared/domain/runSheet.ts';
import { command, done, type CommandContext } from '../command.ts';
import type { Effect } from '../effects.ts';
import { isFacilitator, isMember } from '../permissions.ts';
import { newId } from '../security.ts';
import { buildSnapshot } from '../views/snapshot.ts';
import { formGroups } from './breakouts.ts';

function order(ctx: CommandContext, eventId: string): string[] {
  return ctx.repos.steps.list(eventId).map((s) => s.id);
}

export const runSheetCommands = [
  command('state:get', isMember, (ctx, { eventId }) => {
    // The count of connected screens is the publisher's; a snapshot pushed on connection carries it.
    const snapshot = buildSnapshot(ctx, ctx.actor, ctx.token, ctx.connected(eventId), ctx.now);
    return snapshot ? done(snapshot) : fail('event_not_found');
  }),

  command('step:add', isFacilitator, (ctx, { eventId, step: draft, afterStepId }) => {
    const { steps, events } = ctx.repos;
    if (!checkStepAxes(events.get(eventId)?.info.axes ?? [], draft.axes)) return fail('axis_unknown');
    const step = newStep(newId(), draft);
    const placed = insertStep(order(ctx, eventId), step.id, afterStepId);
    if (!placed.ok) return placed;
    steps.insert(eventId, step, placed.data.length);
    steps.reorder(placed.data);
    return done(step, { type: 'runSheetChanged', eventId });
  }),

  command('step:update', isFacilitator, (ctx, { eventId, stepId, changes }) => {
    const { steps, events } = ctx.repos;
    const step = steps.get(eventId, stepId);
    if (!step) return fail('step_not_found');
    if (!checkStepAxes(events.get(eventId)?.info.axes ?? [], changes.axes)) return fail('axis_unknown');
    const next = editStep(step, changes.axes ? { ...changes, axes: [...new Set(changes.axes)] } : changes);
    steps.save(eventId, next);
    const current = events.get(eventId)?.currentStepId === stepId;
    return done(next, { type: 'runSheetChanged', eventId }, current && { type: 'currentStepChanged', eventId });
  }),

  command('step:remove', isFacilitator, (ctx, { eventId, stepId }) => {
    const { steps, events } = ctx.repos;
    const removed = removeStep(order(ctx, eventId), stepId, events.get(eventId)?.currentStepId ?? null);
    if (!removed.ok) return removed;
    steps.remove(eventId, stepId);
    steps.reorder(removed.data);
    return done({ stepId }, { type: 'runSheetChanged', eventId });
  }),

  command('step:move', isFacilitator, (ctx, { eventId, stepId, toIndex }) => {
    const moved = moveStep(order(ctx, eventId), stepId, toIndex);
    if (!moved.ok) return moved;
    ctx.repos.steps.reorder(moved.data);
    return done({ order: moved.data }, { type: 'runSheetChanged', eventId });
  }),

  command('step:start', isFacilitator, (ctx, { eventId, stepId }) => {
    const { steps, events } = ctx.repos;
    const step = stepId === null ? undefined : steps.get(eventId, stepId);
    if (stepId !== null && !step) return fail('step_not_found');
    events.setCurrentStep(eventId, stepId);
    // A step in groups forms them the first time it starts; later it shows the same ones.
    if (step?.breakout) formGroups(ctx, eventId, step);
    ctx.logger.info('step started', { eventId, stepId });
    const effects: Effect[] = [
      { type: 'runSheetChanged', eventId },
      { type: 'currentStepChanged', eventId },
      { type: 'groupsChanged', eventId },
    ];
    if (step?.kind === 'evaluation') effects.push({ type: 'evaluationStarted', eventId, stepId: step.id });
    return done({ currentStepId: stepId }, ...effects);
  }),
] as const;
