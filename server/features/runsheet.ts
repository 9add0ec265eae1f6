import { formGroups, publishGroups } from './breakouts.ts';
import { fail, ok } from '../../shared/domain/errors.ts';
import { checkStepAxes, editStep, insertStep, moveStep, newStep, removeStep } from '../../shared/domain/runSheet.ts';
import type { CommandContext, Handlers } from '../context.ts';
import { newId } from '../security.ts';
import { publishEvaluationStart } from './evaluations.ts';
import { buildSnapshot, publishCurrentStep, publishRunSheet } from './state.ts';

/** After any change: facilitators get the run sheet; everyone gets the current step if it changed. */
function announce(ctx: CommandContext, eventId: string, currentChanged: boolean): void {
  ctx.after(() => {
    publishRunSheet(ctx.services, eventId);
    if (currentChanged) {
      const stored = ctx.services.repos.events.get(eventId);
      const current = stored?.currentStepId ? (ctx.services.repos.steps.get(eventId, stored.currentStepId) ?? null) : null;
      publishCurrentStep(ctx.services, eventId, current);
    }
  });
}

function order(ctx: CommandContext, eventId: string): string[] {
  return ctx.services.repos.steps.list(eventId).map((s) => s.id);
}

export const runSheetHandlers: Pick<
  Handlers,
  'state:get' | 'step:add' | 'step:update' | 'step:remove' | 'step:move' | 'step:start'
> = {
  'state:get'(ctx) {
    if (ctx.actor.kind === 'guest') return fail('forbidden');
    const snapshot = buildSnapshot(ctx.services, ctx.actor, ctx.token);
    return snapshot ? ok(snapshot) : fail('event_not_found');
  },

  'step:add'(ctx, { eventId, step: draft, afterStepId }) {
    const { steps, events } = ctx.services.repos;
    if (!checkStepAxes(events.get(eventId)?.info.axes ?? [], draft.axes)) return fail('axis_unknown');
    const step = newStep(newId(), draft);
    const placed = insertStep(order(ctx, eventId), step.id, afterStepId);
    if (!placed.ok) return placed;
    steps.insert(eventId, step, placed.data.length);
    steps.reorder(placed.data);
    announce(ctx, eventId, false);
    return ok(step);
  },

  'step:update'(ctx, { eventId, stepId, changes }) {
    const { steps, events } = ctx.services.repos;
    const step = steps.get(eventId, stepId);
    if (!step) return fail('step_not_found');
    if (!checkStepAxes(events.get(eventId)?.info.axes ?? [], changes.axes)) return fail('axis_unknown');
    const next = editStep(step, changes.axes ? { ...changes, axes: [...new Set(changes.axes)] } : changes);
    steps.save(eventId, next);
    announce(ctx, eventId, events.get(eventId)?.currentStepId === stepId);
    return ok(next);
  },

  'step:remove'(ctx, { eventId, stepId }) {
    const { steps, events } = ctx.services.repos;
    const removed = removeStep(order(ctx, eventId), stepId, events.get(eventId)?.currentStepId ?? null);
    if (!removed.ok) return removed;
    steps.remove(eventId, stepId);
    steps.reorder(removed.data);
    announce(ctx, eventId, false);
    return ok({ stepId });
  },

  'step:move'(ctx, { eventId, stepId, toIndex }) {
    const moved = moveStep(order(ctx, eventId), stepId, toIndex);
    if (!moved.ok) return moved;
    ctx.services.repos.steps.reorder(moved.data);
    announce(ctx, eventId, false);
    return ok({ order: moved.data });
  },

  'step:start'(ctx, { eventId, stepId }) {
    const { steps, events } = ctx.services.repos;
    const step = stepId === null ? undefined : steps.get(eventId, stepId);
    if (stepId !== null && !step) return fail('step_not_found');
    events.setCurrentStep(eventId, stepId);
    // A step in groups forms them the first time it starts; later it shows the same ones.
    if (step?.breakout) formGroups(ctx.services, eventId, step);
    ctx.services.logger.info('step started', { eventId, stepId });
    announce(ctx, eventId, true);
    ctx.after(() => {
      publishGroups(ctx.services, eventId);
      if (step?.kind === 'evaluation') publishEvaluationStart(ctx.services, eventId, step.id);
    });
    return ok({ currentStepId: stepId });
  },
};
