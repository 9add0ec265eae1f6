import { parseBoardName } from '../../shared/domain/boards.ts';
import { fail, ok, type Result } from '../../shared/domain/errors.ts';
import { newStep } from '../../shared/domain/runSheet.ts';
import { suppressTable } from '../../shared/domain/voting.ts';
import { applyDot, defaultBudget, itemOrder, rank, runoffItems, spent, talliesVisible } from '../../shared/domain/voting.ts';
import { createTranslator } from '../../shared/i18n/index.ts';
import type { Breakdown, ItemTally, MyDots, VoteItem, VoteItemOrigin, VoteView } from '../../shared/schemas/vote.ts';
import type { Step } from '../../shared/schemas/step.ts';
import type { StoredVote } from '../db/votes.ts';
import { rooms, type CommandContext, type Handlers, type Services } from '../context.ts';
import { newId } from '../security.ts';
import { publishRunSheet } from './state.ts';
import type { FrozenAggregates } from './retention.ts';

/** Tally updates for the projector and consoles: at most this often per vote, never one per dot. */
export const TALLY_EVERY_MS = 100;

function budgetOf(vote: StoredVote, items: number): number {
  return vote.budget ?? defaultBudget(items);
}

/** Latest paper entry per item and category, summed per item (a new entry corrects the previous one). */
function paperTotals(services: Services, stepId: string): Map<string, number> {
  const latest = new Map<string, { itemId: string; count: number }>();
  for (const e of services.repos.votes.paperLog(stepId)) latest.set(`${e.itemId}|${e.category ?? ''}`, { itemId: e.itemId, count: e.count });
  const out = new Map<string, number>();
  for (const { itemId, count } of latest.values()) out.set(itemId, (out.get(itemId) ?? 0) + count);
  return out;
}

export function talliesOf(services: Services, stepId: string, items: readonly VoteItem[]): ItemTally[] {
  const online = services.repos.votes.online(stepId);
  const paper = paperTotals(services, stepId);
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
function breakdown(services: Services, eventId: string, stepId: string, items: readonly VoteItem[], by: 'category' | 'territory'): Breakdown {
  // Once purged, profiles are gone: the breakdown frozen at the purge is the one that stays.
  const frozen = (services.repos.events.aggregates(eventId) as FrozenAggregates | null)?.votes[stepId];
  const kept = by === 'category' ? frozen?.byCategory : frozen?.byTerritory;
  if (kept) return kept;
  const event = services.repos.events.get(eventId);
  const people = new Map(services.repos.participants.people(eventId).map((p) => [p.id, p]));
  const keyOf = (pid: string): string => {
    const me = people.get(pid)?.me;
    const value = me?.consent ? (by === 'category' ? me.profile?.category : me.profile?.territory) : undefined;
    return value ?? '';
  };
  const known = by === 'category' ? (event?.info.categories ?? []).map((c) => ({ key: c.key, title: c.title })) : (event?.info.territories ?? []).map((t) => ({ key: t, title: t }));
  const columns = [...known, { key: '', title: '' }];
  const col = new Map(columns.map((c, i) => [c.key, i]));
  const peopleIn = items.map(() => columns.map(() => new Set<string>()));
  const dotsIn = items.map(() => columns.map(() => 0));
  const row = new Map(items.map((item, i) => [item.id, i]));
  for (const d of services.repos.votes.allDots(stepId)) {
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
export function voteView(services: Services, eventId: string, stepId: string, audience: 'staff' | 'room'): VoteView | null {
  const vote = services.repos.votes.get(stepId);
  if (!vote || vote.eventId !== eventId) return null;
  const items = services.repos.votes.items(stepId);
  const visible = talliesVisible(vote, audience === 'staff' ? 'facilitator' : 'room');
  const tallies = visible ? talliesOf(services, stepId, items) : null;
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
    voters: visible ? services.repos.votes.voters(stepId) : null,
    ranking: closed && tallies ? rank(tallies.map((t) => ({ id: t.itemId, dots: t.dots }))).map((r) => ({ ...(tallies.find((t) => t.itemId === r.id) as ItemTally), rank: r.rank, tied: r.tied })) : null,
    byCategory: results && visible ? breakdown(services, eventId, stepId, items, 'category') : null,
    byTerritory: results && visible ? breakdown(services, eventId, stepId, items, 'territory') : null,
  };
}

export function myDots(services: Services, stepId: string, participantId: string): MyDots | null {
  const vote = services.repos.votes.get(stepId);
  if (!vote) return null;
  const items = services.repos.votes.items(stepId);
  const dots = services.repos.votes.dotsOf(stepId, participantId);
  return {
    stepId,
    dots: Object.fromEntries(dots),
    left: Math.max(0, budgetOf(vote, items.length) - spent(dots)),
    order: itemOrder(items, stepId, participantId).map((i) => i.id),
  };
}

/** Everyone hears the vote as they may see it: staff with tallies, the room without (while hidden). */
export function publishVote(services: Services, eventId: string, stepId: string): void {
  services.io.to(rooms.staff(eventId)).emit('vote:updated', { vote: voteView(services, eventId, stepId, 'staff') });
  services.io.to(rooms.event(eventId)).except(rooms.staff(eventId)).emit('vote:updated', { vote: voteView(services, eventId, stepId, 'room') });
}

/** The coalesced tally: to facilitators always, to the room only when the vote is live. */
export function publishTally(services: Services, eventId: string, stepId: string): void {
  const vote = services.repos.votes.get(stepId);
  if (!vote) return;
  const items = services.repos.votes.items(stepId);
  const payload = { stepId, tallies: talliesOf(services, stepId, items), voters: services.repos.votes.voters(stepId) };
  services.io.to(rooms.staff(eventId)).emit('vote:tally', payload);
  if (talliesVisible(vote, 'room')) services.io.to(rooms.event(eventId)).except(rooms.staff(eventId)).emit('vote:tally', payload);
}

/** The vote of a vote step, made on first use. */
function voteOf(ctx: CommandContext, eventId: string, stepId: string): Result<StoredVote> {
  const step = ctx.services.repos.steps.get(eventId, stepId);
  if (!step || step.kind !== 'vote') return fail('vote_not_found');
  const { votes } = ctx.services.repos;
  if (!votes.get(stepId)) votes.create(eventId, stepId);
  const vote = votes.get(stepId);
  return vote ? ok(vote) : fail('vote_not_found');
}

function draft(ctx: CommandContext, eventId: string, stepId: string): Result<StoredVote> {
  const vote = voteOf(ctx, eventId, stepId);
  if (vote.ok && vote.data.status !== 'draft') return fail('vote_already_open');
  return vote;
}

function announce(ctx: CommandContext, eventId: string, stepId: string): void {
  ctx.after(() => publishVote(ctx.services, eventId, stepId));
}

/** Items from the plenary boards, keeping where they came from; items already imported are skipped. */
function importItems(ctx: CommandContext, eventId: string, stepId: string, axes: string[] | null, from: 'promoted' | 'clusters' | 'cards'): VoteItem[] {
  const event = ctx.services.repos.events.get(eventId);
  if (!event) return [];
  const existing = ctx.services.repos.votes.items(stepId);
  const seen = new Set(existing.map((i) => `${i.origin?.board}|${i.origin?.cardId ?? ''}|${i.origin?.clusterId ?? ''}`));
  const added: VoteItem[] = [];
  const add = (text: string, axis: string, origin: VoteItemOrigin) => {
    const key = `${origin.board}|${origin.cardId ?? ''}|${origin.clusterId ?? ''}`;
    if (seen.has(key)) return;
    seen.add(key);
    added.push({ id: newId(), text, axis, origin, retained: null });
  };
  for (const axis of event.info.axes) {
    if (axes && !axes.includes(axis.key)) continue;
    const board = `board:${eventId}:plenary:${axis.key}`;
    const address = parseBoardName(board);
    if (!address) continue;
    const content = ctx.services.boards.read(board, { address, role: 'facilitator', participantId: null });
    const cards = [...content.cards.values()].filter((c) => !c.hidden);
    if (from === 'clusters') {
      for (const cluster of content.clusters.values()) {
        const members = cards.filter((c) => c.clusterId === cluster.id);
        if (members.length) add(cluster.title, axis.key, { board, clusterId: cluster.id, scope: 'plenary', cardIds: members.flatMap((c) => [c.id, ...(c.origin?.cardIds ?? [])]).slice(0, 200) });
      }
      continue;
    }
    for (const card of cards) {
      const promoted = card.origin !== undefined && card.origin.scope !== 'plenary';
      if (from === 'promoted' && !promoted) continue;
      add(card.text, axis.key, { board, cardId: card.id, scope: card.origin?.scope ?? 'plenary', cardIds: [card.id, ...(card.origin?.cardIds ?? [])].slice(0, 200) });
    }
  }
  return added;
}

export const voteHandlers: Pick<
  Handlers,
  | 'vote:item:add'
  | 'vote:item:update'
  | 'vote:item:remove'
  | 'vote:items:merge'
  | 'vote:import'
  | 'vote:configure'
  | 'vote:open'
  | 'vote:dot'
  | 'vote:close'
  | 'vote:paper'
  | 'vote:retain'
  | 'vote:runoff'
> = {
  'vote:item:add'(ctx, { eventId, stepId, text, axis }) {
    const vote = draft(ctx, eventId, stepId);
    if (!vote.ok) return vote;
    if (axis && !ctx.services.repos.events.get(eventId)?.info.axes.some((a) => a.key === axis)) return fail('axis_unknown');
    const item: VoteItem = { id: newId(), text, axis: axis ?? null, origin: null, retained: null };
    ctx.services.repos.votes.addItem(stepId, item);
    announce(ctx, eventId, stepId);
    return ok(item);
  },

  'vote:item:update'(ctx, { eventId, stepId, itemId, text }) {
    const vote = draft(ctx, eventId, stepId);
    if (!vote.ok) return vote;
    const item = ctx.services.repos.votes.items(stepId).find((i) => i.id === itemId);
    if (!item) return fail('vote_item_unknown');
    const next = { ...item, text };
    ctx.services.repos.votes.updateItem(stepId, next);
    announce(ctx, eventId, stepId);
    return ok(next);
  },

  'vote:item:remove'(ctx, { eventId, stepId, itemId }) {
    const vote = draft(ctx, eventId, stepId);
    if (!vote.ok) return vote;
    if (!ctx.services.repos.votes.items(stepId).some((i) => i.id === itemId)) return fail('vote_item_unknown');
    ctx.services.repos.votes.removeItem(stepId, itemId);
    announce(ctx, eventId, stepId);
    return ok({ itemId });
  },

  /** The kept item gathers the others' cards in its origin; the others leave the vote. */
  'vote:items:merge'(ctx, { eventId, stepId, keepId, mergeIds }) {
    const vote = draft(ctx, eventId, stepId);
    if (!vote.ok) return vote;
    const items = ctx.services.repos.votes.items(stepId);
    const keep = items.find((i) => i.id === keepId);
    const others = mergeIds.filter((id) => id !== keepId).map((id) => items.find((i) => i.id === id));
    if (!keep || others.some((o) => !o)) return fail('vote_item_unknown');
    const cardIds = new Set(keep.origin?.cardIds ?? []);
    for (const o of others) for (const id of [...(o?.origin?.cardIds ?? []), ...(o?.origin?.cardId ? [o.origin.cardId] : [])]) cardIds.add(id);
    const origin: VoteItemOrigin = keep.origin ? { ...keep.origin, cardIds: [...cardIds].slice(0, 200) } : { board: '', scope: 'typed', cardIds: [...cardIds].slice(0, 200) };
    const merged: VoteItem = { ...keep, origin };
    ctx.services.repos.votes.updateItem(stepId, merged);
    for (const o of others) if (o) ctx.services.repos.votes.removeItem(stepId, o.id);
    announce(ctx, eventId, stepId);
    return ok(merged);
  },

  'vote:import'(ctx, { eventId, stepId, axes, from }) {
    const vote = draft(ctx, eventId, stepId);
    if (!vote.ok) return vote;
    const known = ctx.services.repos.events.get(eventId)?.info.axes ?? [];
    if (axes && !axes.every((a) => known.some((k) => k.key === a))) return fail('axis_unknown');
    const added = importItems(ctx, eventId, stepId, axes, from);
    for (const item of added) ctx.services.repos.votes.addItem(stepId, item);
    announce(ctx, eventId, stepId);
    return ok({ added });
  },

  'vote:configure'(ctx, { eventId, stepId, changes }) {
    const vote = draft(ctx, eventId, stepId);
    if (!vote.ok) return vote;
    const next: StoredVote = {
      ...vote.data,
      ...(changes.budget !== undefined ? { budget: changes.budget } : {}),
      ...(changes.cap !== undefined ? { cap: changes.cap } : {}),
      ...(changes.mode !== undefined ? { mode: changes.mode } : {}),
    };
    ctx.services.repos.votes.save(next);
    announce(ctx, eventId, stepId);
    const view = voteView(ctx.services, eventId, stepId, 'staff');
    return view ? ok(view) : fail('vote_not_found');
  },

  'vote:open'(ctx, { eventId, stepId }) {
    const vote = draft(ctx, eventId, stepId);
    if (!vote.ok) return vote;
    if (ctx.services.repos.votes.items(stepId).length === 0) return fail('vote_empty');
    ctx.services.repos.votes.save({ ...vote.data, status: 'open' });
    announce(ctx, eventId, stepId);
    return ok({ status: 'open' as const });
  },

  /** [DV-BUDGET] [DV-CAP] Checked and written in one transaction: two tabs or a shared tablet cannot overspend. */
  'vote:dot'(ctx, { eventId, stepId, itemId, delta }) {
    const participantId = ctx.actor.kind === 'participant' ? ctx.actor.participantId : '';
    const vote = voteOf(ctx, eventId, stepId);
    if (!vote.ok) return vote;
    const { votes } = ctx.services.repos;
    const items = votes.items(stepId);
    const current = votes.dotsOf(stepId, participantId);
    const next = applyDot(current, itemId, delta, {
      budget: budgetOf(vote.data, items.length),
      cap: vote.data.cap,
      open: vote.data.status === 'open',
      items: new Set(items.map((i) => i.id)),
    });
    if (!next.ok) return next;
    votes.setDots(stepId, participantId, itemId, next.data.get(itemId) ?? 0);
    const mine = myDots(ctx.services, stepId, participantId);
    if (!mine) return fail('vote_not_found');
    ctx.after(() => {
      // The person's other screens (a second tab, the tablet) follow; the room hears nothing per dot.
      ctx.socket.to(rooms.participant(participantId)).emit('vote:mine', mine);
      ctx.services.tallies.schedule(eventId, stepId);
    });
    return ok(mine);
  },

  'vote:close'(ctx, { eventId, stepId }) {
    const vote = voteOf(ctx, eventId, stepId);
    if (!vote.ok) return vote;
    if (vote.data.status !== 'open') return fail('vote_not_open');
    ctx.services.repos.votes.save({ ...vote.data, status: 'closed' });
    announce(ctx, eventId, stepId);
    return ok({ status: 'closed' as const });
  },

  /** Paper dots join the same tally, marked as paper; every entry is kept with who entered it and when. */
  'vote:paper'(ctx, { eventId, stepId, itemId, category, count }) {
    const vote = voteOf(ctx, eventId, stepId);
    if (!vote.ok) return vote;
    if (vote.data.status === 'draft') return fail('vote_not_open');
    if (!ctx.services.repos.votes.items(stepId).some((i) => i.id === itemId)) return fail('vote_item_unknown');
    if (category !== null && !ctx.services.repos.events.get(eventId)?.info.categories.some((c) => c.key === category)) return fail('profile_value_unknown');
    const enteredBy = ctx.actor.kind === 'staff' ? ctx.actor.role : 'participant';
    ctx.services.repos.votes.addPaper(stepId, itemId, category, count, enteredBy, ctx.now);
    announce(ctx, eventId, stepId);
    return ok({ itemId, category, count });
  },

  'vote:retain'(ctx, { eventId, stepId, itemId, retained }) {
    const vote = voteOf(ctx, eventId, stepId);
    if (!vote.ok) return vote;
    if (vote.data.status !== 'closed') return fail('vote_not_closed');
    if (!ctx.services.repos.votes.items(stepId).some((i) => i.id === itemId)) return fail('vote_item_unknown');
    ctx.services.repos.votes.retain(stepId, itemId, retained);
    announce(ctx, eventId, stepId);
    return ok({ itemId, retained });
  },

  /** [DV-RUNOFF] A new vote step right after this one, with the top items (and their ties) or the tied ones. */
  'vote:runoff'(ctx, { eventId, stepId, top, tiedAt }) {
    const vote = voteOf(ctx, eventId, stepId);
    if (!vote.ok) return vote;
    if (vote.data.status !== 'closed') return fail('vote_not_closed');
    const { votes, steps, events } = ctx.services.repos;
    const items = votes.items(stepId);
    const ranked = rank(talliesOf(ctx.services, stepId, items).map((t) => ({ id: t.itemId, dots: t.dots })));
    const chosen = runoffItems(ranked, top !== undefined ? { top } : { tiedAt: tiedAt ?? 1 });
    if (chosen.length < 2) return fail('vote_runoff_too_few');
    const step = steps.get(eventId, stepId) as Step;
    const t = createTranslator(events.get(eventId)?.info.locale ?? 'fr-CA');
    const runoff = newStep(newId(), { kind: 'vote', title: t('vote.runoffTitle', { title: step.title }).slice(0, 160), minutes: step.minutes });
    const order = steps.list(eventId).map((s) => s.id);
    const at = order.indexOf(stepId);
    steps.insert(eventId, runoff, at + 1);
    steps.reorder([...order.slice(0, at + 1), runoff.id, ...order.slice(at + 1)]);
    votes.create(eventId, runoff.id, stepId);
    for (const id of chosen) {
      const item = items.find((i) => i.id === id);
      if (item) votes.addItem(runoff.id, { id: newId(), text: item.text, axis: item.axis, origin: item.origin });
    }
    ctx.after(() => publishRunSheet(ctx.services, eventId));
    return ok({ stepId: runoff.id, items: chosen.length });
  },
};
