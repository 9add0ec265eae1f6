import type { SuppressedCount } from '../../shared/domain/suppression.ts';
import type { Retention } from '../../shared/schemas/event.ts';
import type { Breakdown } from '../../shared/schemas/vote.ts';
import type { Reads } from './reads.ts';

export interface CountRow {
  key: string;
  title: string;
  value: SuppressedCount;
}

/** The figures about people frozen at the purge, small cells already suppressed, for the bilan. */
export interface FrozenAggregates {
  participation: { people: number; added: number; byCategory: CountRow[]; byTerritory: CountRow[] };
  votes: Record<string, { byCategory: Breakdown | null; byTerritory: Breakdown | null }>;
}

export function frozenAggregates(reads: Pick<Reads, 'repos'>, eventId: string): FrozenAggregates | null {
  return reads.repos.events.aggregates(eventId) as FrozenAggregates | null;
}

export function retentionOf(reads: Pick<Reads, 'repos'>, eventId: string): Retention {
  return reads.repos.events.get(eventId)?.retention ?? { purgeOn: null, purgedOn: null };
}
