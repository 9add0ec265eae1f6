import { EventScoped, text } from './common.ts';

export const MessageSend = EventScoped.extend({ text: text(1, 280) });

export interface Broadcast {
  text: string;
  sentAt: number;
}
