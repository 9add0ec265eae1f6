import { z } from 'zod';
import { EventScoped, Id, Key, text } from './common.ts';
import { MAX_VOTE_ITEMS, VOTE_MODES } from './limits.ts';

const StepScoped = EventScoped.extend({ stepId: Id });

export const VoteRef = StepScoped;
/** A typed item. */
export const VoteItemAdd = StepScoped.extend({ text: text(1, 280), axis: Key.nullable().optional() });
export const VoteItemUpdate = StepScoped.extend({ itemId: Id, text: text(1, 280) });
export const VoteItemRemove = StepScoped.extend({ itemId: Id });
/** Merge items before the vote opens: the kept item records the others in its origin. */
export const VoteItemsMerge = StepScoped.extend({ keepId: Id, mergeIds: z.array(Id).min(1).max(50) });
/**
 * Items from the plenary boards of some axes (all: null), keeping their origin: promoted items,
 * clusters (title, with their cards), or every visible card.
 */
export const VoteImport = StepScoped.extend({
  axes: z.array(Key).max(12).nullable().default(null),
  from: z.enum(['promoted', 'clusters', 'cards']),
});
/** Before opening: dots per person (null: items ÷ 3), dots per item, hidden or live tallies. */
export const VoteConfigure = StepScoped.extend({
  changes: z.object({ budget: z.number().int().min(1).max(20).nullable(), cap: z.number().int().min(1).max(20), mode: z.enum(VOTE_MODES) }).partial(),
});
/** One dot put on (+1) or taken back (−1). */
export const VoteDot = StepScoped.extend({ itemId: Id, delta: z.union([z.literal(1), z.literal(-1)]) });
/** Counts from a paper poster, in total (category null) or for one category; a new entry corrects the last. */
export const VotePaper = StepScoped.extend({ itemId: Id, category: Key.nullable(), count: z.number().int().min(0).max(100_000) });
/** For the bilan: a priority retained (true), not retained (false), or undecided (null). */
export const VoteRetain = StepScoped.extend({ itemId: Id, retained: z.boolean().nullable() });
/** A run-off vote after this one: its top K items (with ties), or the items tied at a rank. */
export const VoteRunoff = StepScoped.extend({
  top: z.number().int().min(1).max(MAX_VOTE_ITEMS).optional(),
  tiedAt: z.number().int().min(1).max(MAX_VOTE_ITEMS).optional(),
}).refine((p) => (p.top === undefined) !== (p.tiedAt === undefined), { message: 'top or tiedAt' });

export interface VoteItemOrigin {
  /** The board it came from, and the card or cluster. */
  board: string;
  cardId?: string;
  clusterId?: string;
  /** plenary, or group-<id>. */
  scope: string;
  /** Cards gathered in it (merged, clustered or promoted ones). */
  cardIds: string[];
}

export interface VoteItem {
  id: string;
  text: string;
  axis: string | null;
  origin: VoteItemOrigin | null;
  /** For the bilan, after close. */
  retained: boolean | null;
}

export interface ItemTally {
  itemId: string;
  /** Online and paper together. */
  dots: number;
  online: number;
  paper: number;
}

export interface RankedItem extends ItemTally {
  rank: number;
  tied: boolean;
}

export type SuppressedValue = { shown: true; count: number } | { shown: false; reason: 'small' | 'complementary' };

/** Dots on each item by participant category (and territory): cells about fewer than 5 people are hidden. */
export interface Breakdown {
  columns: { key: string; title: string }[];
  rows: { itemId: string; cells: SuppressedValue[] }[];
}

export interface VoteView {
  stepId: string;
  status: 'draft' | 'open' | 'closed';
  mode: (typeof VOTE_MODES)[number];
  budget: number;
  cap: number;
  items: VoteItem[];
  runoffOf: string | null;
  /** Only where they may be seen: facilitators always, others when live or closed. */
  tallies: ItemTally[] | null;
  /** How many people placed at least one dot: facilitators only, or once visible. */
  voters: number | null;
  /** After close: the ranking with ties, and the breakdowns. */
  ranking: RankedItem[] | null;
  byCategory: Breakdown | null;
  byTerritory: Breakdown | null;
}

/** A participant's own dots and the order their phone shows the items in. */
export interface MyDots {
  stepId: string;
  dots: Record<string, number>;
  left: number;
  order: string[];
}

export interface PaperEntry {
  itemId: string;
  category: string | null;
  count: number;
  enteredBy: string;
  at: number;
}
