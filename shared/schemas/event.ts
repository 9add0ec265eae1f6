import { z } from 'zod';
import { EventScoped, Id, Key, Locale, text } from './common.ts';
import { StepDraft } from './step.ts';
import { MAX_COMMAND_BYTES } from './limits.ts';

export const Axis = z.object({ key: Key.optional(), title: text(1, 80), subtitle: text(0, 160).optional() });
export const Category = z.object({ key: Key.optional(), title: text(1, 100) });

export const EventSetup = z.object({
  title: text(1, 120),
  date: z.iso.date().optional(),
  place: text(0, 160).optional(),
  locale: Locale.default('fr-CA'),
  axes: z.array(Axis).max(12).default([]),
  territories: z.array(text(1, 80)).max(40).default([]),
  categories: z.array(Category).max(20).default([]),
  agenda: z.array(StepDraft).max(60).default([]),
  /** Whether people may sign their contributions with their display name (they still choose). */
  allowNamedContributions: z.boolean().default(false),
});
export type EventSetupInput = z.input<typeof EventSetup>;
export type EventSetup = z.output<typeof EventSetup>;

export const EventCreate = EventSetup.extend({ cid: z.string().max(64).optional() }).refine(
  (setup) => new TextEncoder().encode(JSON.stringify(setup)).length <= MAX_COMMAND_BYTES,
  { message: 'too large' },
);

export const EventLookup = z.object({ code: z.string().max(20) });

export const EventRef = z.object({ eventId: Id });

/** The day the personal data of the event is purged (null: none set). */
export const EventRetention = EventScoped.extend({ purgeOn: z.iso.date().nullable() });
/** Purge now: confirmed by typing the event's join code. */
export const EventPurge = EventScoped.extend({ confirm: z.string().max(20) });

/** The staff link to replace: the old one stops working at once. */
export const StaffLink = z.enum(['facilitator', 'cofacilitator', 'projector']);
export type StaffLink = z.infer<typeof StaffLink>;
export const EventRotate = EventScoped.extend({ link: StaffLink });

export interface Retention {
  purgeOn: string | null;
  /** The day personal data was purged: names, profiles and participant tokens are gone. */
  purgedOn: string | null;
}

/** What everyone in an event sees of it. */
export interface EventInfo {
  id: string;
  joinCode: string;
  title: string;
  date: string | null;
  place: string | null;
  locale: Locale;
  axes: { key: string; title: string; subtitle: string | null }[];
  territories: string[];
  categories: { key: string; title: string }[];
  allowNamedContributions: boolean;
}

/** Secret links: the facilitator's own, the co-facilitators', the projector's. */
export interface EventLinks {
  facilitator: string;
  cofacilitator: string;
  projector: string;
  join: string;
  joinCode: string;
  /** An SVG image of the QR code for the join link, served by the API. */
  qrUrl: string;
}

export interface CreatedEvent {
  event: EventInfo;
  links: EventLinks;
}
