/** What each audience may see of a vote: tallies hidden from the room until the close unless the vote is live. */
import { itemOrder, rank, spent, suppressTable, talliesVisible, defaultBudget } from '../../shared/domain/voting.ts';
import type { Breakdown, ItemTally, MyDots, VoteItem, VoteView } from '../../shared/schemas/vote.ts';
import type { StoredVote } from '../db/votes.ts';
import type { Reads } from './reads.ts';
import { frozenAggregates } from './retention.ts';

/** Tally updates for the projector and consoles: at most this often per vote, never one per dot. */
export const TALLY_EVERY_MS = 100;

export function budgetOf(vote: StoredVote, items: number): number {
  return vote.budget ?? defaultBudget(items);
}

/** Latest paper entry per item and category, summed per item (a new entry corrects the previous one). */
function paperTotals(reads: Pick<Reads, 'repos'>, stepId: string): Map<string, number> {
  const latest = new Map<string, { itemId: string; count: number }>();
  for (const e of reads.repos.votes.paperLog(stepId)) latest.set(`${e.itemId}|${e.category ?? ''}`, { itemId: e.itemId, count: e.count });
  const out = new Map<string, number>();
  for (const { itemId, count } of latest.values()) out.set(itemId, (out.get(itemId) ?? 0) + count);
  return out;
}

export function talliesOf(reads: Pick<Reads, 'repos'>, stepId: string, items: readonly VoteItem[]): ItemTally[] {
  const online = reads.repos.votes.online(stepId);
  const paper = paperTotals(reads, stepId);
  return items.map((i) => {
    const o = online.get(i.id) ?? 0;
    const p = paper.get(i.id) ?? 0;
    return { itemId: i.id, dots: o + p, online: o, paper: p };
  });
}

/**
 * [DV-SUPPRESS] Online dots on each item by the voters' category or territory: a cell is shown only
 * when 5 people or more stand behind it (and no total can give a hidden one back).
 */
function breakdown(reads: Pick<Reads, 'repos'>, eventId: string, stepId: string, items: readonly VoteItem[], by: 'category' | 'territory'): Breakdown {
  // Once purged, profiles are gone: the breakdown frozen at the purge is the one that stays.
  const frozen = frozenAggregates(reads, eventId)?.votes[stepId];
  const kept = by === 'category' ? frozen?.byCategory : frozen?.byTerritory;
  if (kept) return kept;
  const event = reads.repos.events.get(eventId);
  const people = new Map(reads.repos.participants.people(eventId).map((p) => [p.id, p]));
  const keyOf = (pid: string): string => {
    const me = people.get(pid)?.me;
    const value = me?.consent ? (by === 'category' ? me.profile?.category : me.profile?.territory) : undefined;
    return value ?? '';
  };
  const known =
    by === 'category'
      ? (event?.info.categories ?? []).map((c) => ({ key: c.key, title: c.title }))
      : (event?.info.territories ?? []).map((t) => ({ key: t, title: t }));
  const columns = [...known, { key: '', title: '' }];
  const col = new Map(columns.map((c, i) => [c.key, i]));
  const peopleIn = items.map(() => columns.map(() => new Set<string>()));
  const dotsIn = items.map(() => columns.map(() => 0));
  const row = new Map(items.map((item, i) => [item.id, i]));
  for (const d of reads.repos.votes.allDots(stepId)) {
    const r = row.get(d.item_id);
    const c = col.get(keyOf(d.participant_id)) ?? columns.length - 1;
    if (r === undefined) continue;
    peopleIn[r]?.[c]?.add(d.participant_id);
    const line = dotsIn[r];
    if (line) line[c] = (line[c] ?? 0) + d.count;
  }
  const hidden = suppressTable(peopleIn.map((line) => line.map((s) => s.size)));
  return {
    columns,
    rows: items.map((item, r) => ({
      itemId: item.id,
      cells: columns.map((_, c) => {
        const cell = hidden[r]?.[c];
        return cell && !cell.shown ? cell : { shown: true as const, count: dotsIn[r]?.[c] ?? 0 };
      }),
    })),
  };
}

/** What a screen may see of a vote: tallies only where they may be seen (hidden until close by default). */
export function voteView(reads: Pick<Reads, 'repos'>, eventId: string, stepId: string, audience: 'staff' | 'room'): VoteView | null {
  const vote = reads.repos.votes.get(stepId);
  if (!vote || vote.eventId !== eventId) return null;
  const items = reads.repos.votes.items(stepId);
  const visible = talliesVisible(vote, audience === 'staff' ? 'facilitator' : 'room');
  const tallies = visible ? talliesOf(reads, stepId, items) : null;
  const closed = vote.status === 'closed';
  const results = closed || audience === 'staff';
  return {
    stepId,
    status: vote.status,
    mode: vote.mode,
    budget: budgetOf(vote, items.length),
    cap: vote.cap,
    items,
    runoffOf: vote.runoffOf,
    tallies,
    voters: visible ? reads.repos.votes.voters(stepId) : null,
    ranking:
      closed && tallies
        ? rank(tallies.map((t) => ({ id: t.itemId, dots: t.dots }))).map((r) => ({
            ...(tallies.find((t) => t.itemId === r.id) as ItemTally),
            rank: r.rank,
            tied: r.tied,
          }))
        : null,
    byCategory: results && visible ? breakdown(reads, eventId, stepId, items, 'category') : null,
    byTerritory: results && visible ? breakdown(reads, eventId, stepId, items, 'territory') : null,
  };
}

export function myDots(reads: Pick<Reads, 'repos'>, stepId: string, participantId: string): MyDots | null {
  const vote = reads.repos.votes.get(stepId);
  if (!vote) return null;
  const items = reads.repos.votes.items(stepId);
  const dots = reads.repos.votes.dotsOf(stepId, participantId);
  return {
    stepId,
    dots: Object.fromEntries(dots),
    left: Math.max(0, budgetOf(vote, items.length) - spent(dots)),
    order: itemOrder(items, stepId, participantId).map((i) => i.id),
  };
}
