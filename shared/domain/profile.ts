import { fail, ok, type Result } from './errors.ts';
import type { EventInfo } from '../schemas/event.ts';
import type { Profile } from '../schemas/participant.ts';

/** [PR1] Territory and category must be among the event's own; empty answers are dropped. */
export function checkProfile(event: Pick<EventInfo, 'territories' | 'categories'>, profile: Profile): Result<Profile, 'profile_value_unknown'> {
  if (profile.territory !== undefined && !event.territories.includes(profile.territory)) return fail('profile_value_unknown');
  if (profile.category !== undefined && !event.categories.some((c) => c.key === profile.category)) {
    return fail('profile_value_unknown');
  }
  const clean: Profile = {};
  for (const [k, v] of Object.entries(profile) as [keyof Profile, string | undefined][]) {
    if (v !== undefined) (clean as Record<string, string>)[k] = v;
  }
  return ok(clean);
}
