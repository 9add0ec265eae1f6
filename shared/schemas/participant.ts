import { z } from 'zod';
import { EventScoped, Key, text } from './common.ts';

export const GENDERS = ['woman', 'man', 'nonbinary', 'self-described', 'undisclosed'] as const;
export const AGE_BANDS = ['under-25', '25-34', '35-49', '50-64', '65-plus', 'undisclosed'] as const;
export const LIVED_EXPERIENCE = ['yes', 'no', 'undisclosed'] as const;

/** Optional self-description (ADS+). Only ever shown as aggregates; every field may be left out. */
export const Profile = z.object({
  territory: text(1, 80).optional(),
  category: Key.optional(),
  gender: z.enum(GENDERS).optional(),
  ageBand: z.enum(AGE_BANDS).optional(),
  livedExperience: z.enum(LIVED_EXPERIENCE).optional(),
});
export type Profile = z.infer<typeof Profile>;

export const DisplayName = text(1, 40);

export const ParticipantJoin = z.object({
  code: z.string().max(20),
  displayName: DisplayName.optional(),
  /** A random secret kept by a shared device (a tablet at a table): people who join on it stay together. */
  deviceKey: z
    .string()
    .regex(/^[A-Za-z0-9_-]{16,64}$/)
    .optional(),
  cid: z.string().max(64).optional(),
});

/** Consent given: the profile is stored. Consent refused or withdrawn: any stored profile is erased. */
export const ProfileSet = EventScoped.extend({
  consent: z.boolean(),
  profile: Profile.default({}),
});

export const ParticipantRename = EventScoped.extend({ displayName: DisplayName.nullable() });

/** A facilitator adds someone who has no phone; they count in presence and can be given a device later. */
export const ParticipantAdd = EventScoped.extend({
  displayName: DisplayName.optional(),
  profile: Profile.optional(),
});

export interface Me {
  participantId: string;
  displayName: string | null;
  consent: boolean | null;
  profile: Profile | null;
}

export interface Joined {
  eventId: string;
  participantId: string;
  /** The device keeps this secret; it is the participant's only identity. */
  token: string;
}
