/**
 * Dot voting (vote par gommettes): pure rules, each with the spec ID its tests quote.
 */
import { fail, ok, type Result } from './errors.ts';
import { shuffle } from './groups.ts';
import { SUPPRESSION_THRESHOLD } from './suppression.ts';

export const MAX_BUDGET = 20;
export const DEFAULT_CAP = 3;

/** [DV-BUDGET] Dots per person: items ÷ 3, rounded down, at least 1 and at most 20. */
export function defaultBudget(items: number): number {
  return Math.max(1, Math.min(MAX_BUDGET, Math.floor(items / 3)));
}

/** One person's dots: item id → dots (no zero entries). */
export type Allocation = ReadonlyMap<string, number>;

export type DotError = 'vote_not_open' | 'vote_item_unknown' | 'vote_budget_spent' | 'vote_cap_reached' | 'vote_no_dot_here';

/**
 * [DV-BUDGET] [DV-CAP] [DV-CHANGES] One change (+1 or −1 on an item) while the vote is open: never
 * more than the budget in all, never more than the cap on one item, never below zero.
 */
export function applyDot(
  allocation: Allocation,
  itemId: string,
  delta: 1 | -1,
  rules: { budget: number; cap: number; open: boolean; items: ReadonlySet<string> },
): Result<Map<string, number>, DotError> {
  if (!rules.open) return fail('vote_not_open');
  if (!rules.items.has(itemId)) return fail('vote_item_unknown');
  const next = new Map(allocation);
  const here = next.get(itemId) ?? 0;
  if (delta === 1) {
    if (spent(allocation) >= rules.budget) return fail('vote_budget_spent');
    if (here >= rules.cap) return fail('vote_cap_reached');
    next.set(itemId, here + 1);
  } else {
    if (here <= 0) return fail('vote_no_dot_here');
    if (here === 1) next.delete(itemId);
    else next.set(itemId, here - 1);
  }
  return ok(next);
}

export function spent(allocation: Allocation): number {
  let n = 0;
  for (const v of allocation.values()) n += v;
  return n;
}

/** [DV-ORDER] Items shuffled per person, in an order that stays the same for that person and vote. */
export function itemOrder<T extends { id: string }>(items: readonly T[], voteId: string, personKey: string): T[] {
  const sorted = [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return shuffle(sorted, `${voteId}:${personKey}`);
}

/** [DV-HIDDEN] Whether tallies may be shown to someone: facilitators always; others when live, or once closed. */
export function talliesVisible(vote: { mode: 'hidden' | 'live'; status: 'draft' | 'open' | 'closed' }, audience: 'facilitator' | 'room'): boolean {
  if (audience === 'facilitator') return true;
  return vote.status === 'closed' || (vote.mode === 'live' && vote.status === 'open');
}

export interface Ranked {
  id: string;
  dots: number;
  /** Competition ranking: 1, 2, 2, 4. */
  rank: number;
  tied: boolean;
}

/** [DV-TIES] Ranking at close: most dots first; equal dots share a rank and are marked as ties. */
export function rank(tallies: readonly { id: string; dots: number }[]): Ranked[] {
  const sorted = [...tallies].sort((a, b) => b.dots - a.dots || (a.id < b.id ? -1 : 1));
  const count = new Map<number, number>();
  for (const t of sorted) count.set(t.dots, (count.get(t.dots) ?? 0) + 1);
  let rankNow = 0;
  let previous: number | null = null;
  return sorted.map((t, i) => {
    if (t.dots !== previous) rankNow = i + 1;
    previous = t.dots;
    return { id: t.id, dots: t.dots, rank: rankNow, tied: (count.get(t.dots) ?? 0) > 1 };
  });
}

/**
 * [DV-RUNOFF] The items of a run-off: the top K (with every item tied with the K-th, so that nobody
 * is cut by a tie), or only the items tied at the given rank.
 */
export function runoffItems(ranked: readonly Ranked[], choice: { top: number } | { tiedAt: number }): string[] {
  if ('top' in choice) {
    const last = ranked[Math.max(0, Math.min(choice.top, ranked.length) - 1)];
    if (!last) return [];
    return ranked.filter((r, i) => i < choice.top || r.dots === last.dots).map((r) => r.id);
  }
  return ranked.filter((r) => r.rank === choice.tiedAt && r.tied).map((r) => r.id);
}

export type Cell2D = { shown: true; count: number } | { shown: false; reason: 'small' | 'complementary' };

/**
 * [DV-SUPPRESS] A table of counts about people (rows: items; columns: categories), with the row and
 * column totals shown beside it. Counts of 1 to 4 are hidden ("< 5"); then, as long as a row or a
 * column has exactly one hidden cell (its total would give it back), the smallest other non-zero
 * cell of that row or column is hidden too.
 */
export function suppressTable(counts: readonly (readonly number[])[]): Cell2D[][] {
  const small = (n: number) => n > 0 && n < SUPPRESSION_THRESHOLD;
  const out: Cell2D[][] = counts.map((row) => row.map((n) => (small(n) ? { shown: false, reason: 'small' } : { shown: true, count: n })));
  const rows = counts.length;
  const cols = counts[0]?.length ?? 0;
  const hideSmallestOther = (cells: [number, number][]): boolean => {
    const hidden = cells.filter(([r, c]) => !out[r]?.[c]?.shown && (counts[r]?.[c] ?? 0) > 0);
    if (hidden.length !== 1) return false;
    let best: [number, number] | null = null;
    for (const [r, c] of cells) {
      const n = counts[r]?.[c] ?? 0;
      if (n === 0 || !out[r]?.[c]?.shown) continue;
      if (!best || n < (counts[best[0]]?.[best[1]] ?? Infinity)) best = [r, c];
    }
    if (!best) return false;
    const row = out[best[0]];
    if (row) row[best[1]] = { shown: false, reason: 'complementary' };
    return true;
  };
  for (let changed = true, guard = 0; changed && guard < rows * cols + 2; guard++) {
    changed = false;
    for (let r = 0; r < rows; r++) changed = hideSmallestOther(Array.from({ length: cols }, (_, c) => [r, c])) || changed;
    for (let c = 0; c < cols; c++) changed = hideSmallestOther(Array.from({ length: rows }, (_, r) => [r, c])) || changed;
  }
  return out;
}
