import { z } from 'zod';

/**
 * Trimmed text with a length range; control characters other than newlines are removed.
 * The range is checked on what was sent (so documents show it) and again once trimmed.
 */
export function text(min: number, max: number) {
  return z
    .string()
    .min(min)
    .max(max)
    .transform((s) => s.replace(/[\u0000-\u0009\u000B-\u001F\u007F]/g, '').trim())
    .pipe(z.string().min(min));
}

export const Id = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);
export const Key = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/);
/** A client command id: retried or queued commands carry the same one and are applied once. */
export const CommandId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);

/** Every command that acts on an event names it: rules check it against the caller's own event. */
export const EventScoped = z.object({ eventId: Id, cid: CommandId.optional() });

export const Locale = z.enum(['fr-CA', 'en-CA']);
export type Locale = z.infer<typeof Locale>;
