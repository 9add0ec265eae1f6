import { fail, ok } from '../../shared/domain/errors.ts';
import { applyTimer } from '../../shared/domain/timer.ts';
import { rooms, type Handlers } from '../context.ts';
import { publishRunSheet } from './state.ts';

export const timerHandlers: Pick<Handlers, 'timer:control'> = {
  'timer:control'(ctx, { eventId, stepId, action }) {
    const { steps } = ctx.services.repos;
    const step = steps.get(eventId, stepId);
    if (!step) return fail('step_not_found');
    const next = applyTimer(step.timer, action, ctx.now);
    if (!next.ok) return next;
    steps.save(eventId, { ...step, timer: next.data });
    ctx.after(() => {
      const serverNow = ctx.services.clock.now();
      ctx.services.io.to(rooms.event(eventId)).emit('timer:updated', { stepId, timer: next.data, serverNow });
      publishRunSheet(ctx.services, eventId);
    });
    return ok({ stepId, timer: next.data });
  },
};
