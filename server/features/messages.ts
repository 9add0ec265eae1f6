import { ok } from '../../shared/domain/errors.ts';
import type { Broadcast } from '../../shared/schemas/message.ts';
import { rooms, type CommandContext, type Handlers } from '../context.ts';

function show(ctx: CommandContext, eventId: string, message: Broadcast | null): void {
  ctx.services.repos.events.setMessage(eventId, message);
  ctx.after(() => ctx.services.io.to(rooms.event(eventId)).emit('message:sent', { message }));
}

export const messageHandlers: Pick<Handlers, 'message:send' | 'message:clear'> = {
  'message:send'(ctx, { eventId, text }) {
    const message = { text, sentAt: ctx.now };
    show(ctx, eventId, message);
    return ok(message);
  },
  'message:clear'(ctx, { eventId }) {
    show(ctx, eventId, null);
    return ok(null);
  },
};
