import { z } from 'zod';
import { cleanText } from '../domain/text.ts';

/**
 * Trimmed text with a length range, made safe to show (shared/domain/text.ts: NFC, no control
 * characters but newlines, no bidirectional overrides, combining marks capped). The range is checked
 * on what was sent (so documents show it) and again once cleaned.
 */
export function text(min: number, max: number) {
  return z.string().min(min).max(max).transform(cleanText).pipe(z.string().min(min));
}

export const Id = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);
export const Key = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/);
/** A client command id: retried or queued commands carry the same one and are applied once. */
export const CommandId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);

/** Every command that acts on an event names it: rules check it against the caller's own event. */
export const EventScoped = z.object({ eventId: Id, cid: CommandId.optional() });

export const Locale = z.enum(['fr-CA', 'en-CA']);
export type Locale = z.infer<typeof Locale>;
