import type { SuppressedCount } from '../domain/suppression.ts';

export interface PresenceCounts {
  connected: number;
  joined: number;
}

/** Facilitators also see joined people by category; small groups are suppressed. */
export interface PresenceDetail extends PresenceCounts {
  byCategory: { key: string; value: SuppressedCount }[];
}
