import type { Broadcast } from '../../shared/schemas/message.ts';
import { command, done } from '../command.ts';
import { isFacilitator } from '../permissions.ts';

export const messageCommands = [
  command('message:send', isFacilitator, (ctx, { eventId, text }) => {
    const message: Broadcast = { text, sentAt: ctx.now };
    ctx.repos.events.setMessage(eventId, message);
    return done(message, { type: 'messageChanged', eventId, message });
  }),
  command('message:clear', isFacilitator, (ctx, { eventId }) => {
    ctx.repos.events.setMessage(eventId, null);
    return done(null, { type: 'messageChanged', eventId, message: null });
  }),
] as const;
