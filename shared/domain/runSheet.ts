import { BreakoutSpec } from '../schemas/breakout.ts';
import type { StepKind } from '../schemas/step.ts';
import { fail, ok, type Result } from './errors.ts';
import { idleTimer } from './timer.ts';
import type { Step, StepDraft } from '../schemas/step.ts';

export type StepChanges = Partial<Pick<Step, 'kind' | 'title' | 'notes' | 'minutes' | 'start' | 'axes'>>;

export function newStep(id: string, draft: StepDraft): Step {
  return {
    id,
    kind: draft.kind,
    title: draft.title,
    notes: draft.notes ?? '',
    minutes: draft.minutes,
    start: draft.start ?? null,
    axes: draft.axes ? [...new Set(draft.axes)] : null,
    breakout: breakoutOf(draft.kind, draft.breakout ?? null),
    timer: idleTimer(draft.minutes),
  };
}

/** [RS1] A step goes after the one named, or at the end; the answer is the new order. */
export function insertStep(order: readonly string[], stepId: string, afterStepId: string | null | undefined): Result<string[], 'step_not_found'> {
  if (afterStepId == null) return ok([...order, stepId]);
  const at = order.indexOf(afterStepId);
  if (at === -1) return fail('step_not_found');
  return ok([...order.slice(0, at + 1), stepId, ...order.slice(at + 1)]);
}

/** [RS2] Moving clamps the target place into the run sheet. */
export function moveStep(order: readonly string[], stepId: string, toIndex: number): Result<string[], 'step_not_found'> {
  const from = order.indexOf(stepId);
  if (from === -1) return fail('step_not_found');
  const rest = order.filter((id) => id !== stepId);
  const to = Math.min(Math.max(0, toIndex), rest.length);
  return ok([...rest.slice(0, to), stepId, ...rest.slice(to)]);
}

/** [RS3] The running step cannot be removed: the room would be left on a step that no longer exists. */
export function removeStep(order: readonly string[], stepId: string, currentStepId: string | null): Result<string[], 'step_not_found' | 'step_active'> {
  if (!order.includes(stepId)) return fail('step_not_found');
  if (stepId === currentStepId) return fail('step_active');
  return ok(order.filter((id) => id !== stepId));
}

/** [RS4] Changing the planned minutes of a step whose timer has not started resets its duration. */
export function editStep(step: Step, changes: StepChanges): Step {
  const next: Step = { ...step, ...changes };
  next.breakout = breakoutOf(next.kind, next.breakout);
  if (changes.minutes !== undefined && step.timer.status === 'idle') next.timer = idleTimer(changes.minutes);
  return next;
}

/** [RS6] The axes a step opens must be the event's own. */
export function checkStepAxes(eventAxes: readonly { key: string }[], axes: readonly string[] | null | undefined): boolean {
  return !axes || axes.every((a) => eventAxes.some((e) => e.key === a));
}

/**
 * [RS7] Breakout steps always make groups (balanced tables of 8 unless told otherwise); a board step
 * runs in groups only when given a breakout spec; other kinds never do.
 */
export function breakoutOf(kind: StepKind, spec: BreakoutSpec | null): BreakoutSpec | null {
  if (kind === 'breakout') return spec ?? BreakoutSpec.parse({});
  return kind === 'board' ? spec : null;
}
