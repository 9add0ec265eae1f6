import { suppressCells } from './suppression.ts';
import type { EventInfo } from '../schemas/event.ts';
import type { PresenceDetail } from '../schemas/presence.ts';

export const NO_CATEGORY = 'none';

/** [PS1] Joined people by the event's categories plus "not said", with small cells suppressed. */
export function presenceDetail(
  categories: EventInfo['categories'],
  counts: readonly { category: string | null; n: number }[],
  connected: number,
): PresenceDetail {
  const known = new Set(categories.map((c) => c.key));
  const tally = new Map<string, number>();
  let joined = 0;
  for (const { category, n } of counts) {
    const key = category !== null && known.has(category) ? category : NO_CATEGORY;
    tally.set(key, (tally.get(key) ?? 0) + n);
    joined += n;
  }
  const cells = [...categories.map((c) => c.key), NO_CATEGORY].map((key) => ({ key, count: tally.get(key) ?? 0 }));
  return { connected, joined, byCategory: suppressCells(cells) };
}
