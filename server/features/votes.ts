import { parseBoardName } from '../../shared/domain/boards.ts';
import { fail, ok, type Result } from '../../shared/domain/errors.ts';
import { newStep } from '../../shared/domain/runSheet.ts';
import { applyDot, rank, runoffItems } from '../../shared/domain/voting.ts';
import { createTranslator } from '../../shared/i18n/index.ts';
import type { VoteItem, VoteItemOrigin } from '../../shared/schemas/vote.ts';
import type { Step } from '../../shared/schemas/step.ts';
import type { StoredVote } from '../db/votes.ts';
import { command, done, type CommandContext } from '../command.ts';
import { isFacilitator, isParticipant } from '../permissions.ts';
import { newId } from '../security.ts';
import { budgetOf, myDots, talliesOf, voteView } from '../views/votes.ts';

/** The vote of a vote step, made on first use. */
function voteOf(ctx: CommandContext, eventId: string, stepId: string): Result<StoredVote, 'vote_not_found'> {
  const step = ctx.repos.steps.get(eventId, stepId);
  if (!step || step.kind !== 'vote') return fail('vote_not_found');
  const { votes } = ctx.repos;
  if (!votes.get(stepId)) votes.create(eventId, stepId);
  const vote = votes.get(stepId);
  return vote ? ok(vote) : fail('vote_not_found');
}

function draft(ctx: CommandContext, eventId: string, stepId: string): Result<StoredVote, 'vote_not_found' | 'vote_already_open'> {
  const vote = voteOf(ctx, eventId, stepId);
  if (vote.ok && vote.data.status !== 'draft') return fail('vote_already_open');
  return vote;
}

/** Items from the plenary boards, keeping where they came from; items already imported are skipped. */
function importItems(ctx: CommandContext, eventId: string, stepId: string, axes: string[] | null, from: 'promoted' | 'clusters' | 'cards'): VoteItem[] {
  const event = ctx.repos.events.get(eventId);
  if (!event) return [];
  const existing = ctx.repos.votes.items(stepId);
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
    const content = ctx.boards.read(board, { address, role: 'facilitator', participantId: null });
    const cards = [...content.cards.values()].filter((c) => !c.hidden);
    if (from === 'clusters') {
      for (const cluster of content.clusters.values()) {
        const members = cards.filter((c) => c.clusterId === cluster.id);
        if (members.length)
          add(cluster.title, axis.key, {
            board,
            clusterId: cluster.id,
            scope: 'plenary',
            cardIds: members.flatMap((c) => [c.id, ...(c.origin?.cardIds ?? [])]).slice(0, 200),
          });
      }
      continue;
    }
    for (const card of cards) {
      const promoted = card.origin !== undefined && card.origin.scope !== 'plenary';
      if (from === 'promoted' && !promoted) continue;
      add(card.text, axis.key, {
        board,
        cardId: card.id,
        scope: card.origin?.scope ?? 'plenary',
        cardIds: [card.id, ...(card.origin?.cardIds ?? [])].slice(0, 200),
      });
    }
  }
  return added;
}

export const voteCommands = [
  command('vote:item:add', isFacilitator, (ctx, { eventId, stepId, text, axis }) => {
    const vote = draft(ctx, eventId, stepId);
    if (!vote.ok) return vote;
    if (axis && !ctx.repos.events.get(eventId)?.info.axes.some((a) => a.key === axis)) return fail('axis_unknown');
    const item: VoteItem = { id: newId(), text, axis: axis ?? null, origin: null, retained: null };
    ctx.repos.votes.addItem(stepId, item);
    return done(item, { type: 'voteChanged', eventId, stepId });
  }),

  command('vote:item:update', isFacilitator, (ctx, { eventId, stepId, itemId, text }) => {
    const vote = draft(ctx, eventId, stepId);
    if (!vote.ok) return vote;
    const item = ctx.repos.votes.items(stepId).find((i) => i.id === itemId);
    if (!item) return fail('vote_item_unknown');
    const next = { ...item, text };
    ctx.repos.votes.updateItem(stepId, next);
    return done(next, { type: 'voteChanged', eventId, stepId });
  }),

  command('vote:item:remove', isFacilitator, (ctx, { eventId, stepId, itemId }) => {
    const vote = draft(ctx, eventId, stepId);
    if (!vote.ok) return vote;
    if (!ctx.repos.votes.items(stepId).some((i) => i.id === itemId)) return fail('vote_item_unknown');
    ctx.repos.votes.removeItem(stepId, itemId);
    return done({ itemId }, { type: 'voteChanged', eventId, stepId });
  }),

  /** The kept item gathers the others' cards in its origin; the others leave the vote. */
  command('vote:items:merge', isFacilitator, (ctx, { eventId, stepId, keepId, mergeIds }) => {
    const vote = draft(ctx, eventId, stepId);
    if (!vote.ok) return vote;
    const items = ctx.repos.votes.items(stepId);
    const keep = items.find((i) => i.id === keepId);
    const others = mergeIds.filter((id) => id !== keepId).map((id) => items.find((i) => i.id === id));
    if (!keep || others.some((o) => !o)) return fail('vote_item_unknown');
    const cardIds = new Set(keep.origin?.cardIds ?? []);
    for (const o of others) for (const id of [...(o?.origin?.cardIds ?? []), ...(o?.origin?.cardId ? [o.origin.cardId] : [])]) cardIds.add(id);
    const origin: VoteItemOrigin = keep.origin
      ? { ...keep.origin, cardIds: [...cardIds].slice(0, 200) }
      : { board: '', scope: 'typed', cardIds: [...cardIds].slice(0, 200) };
    const merged: VoteItem = { ...keep, origin };
    ctx.repos.votes.updateItem(stepId, merged);
    for (const o of others) if (o) ctx.repos.votes.removeItem(stepId, o.id);
    return done(merged, { type: 'voteChanged', eventId, stepId });
  }),

  command('vote:import', isFacilitator, (ctx, { eventId, stepId, axes, from }) => {
    const vote = draft(ctx, eventId, stepId);
    if (!vote.ok) return vote;
    const known = ctx.repos.events.get(eventId)?.info.axes ?? [];
    if (axes && !axes.every((a) => known.some((k) => k.key === a))) return fail('axis_unknown');
    const added = importItems(ctx, eventId, stepId, axes, from);
    for (const item of added) ctx.repos.votes.addItem(stepId, item);
    return done({ added }, { type: 'voteChanged', eventId, stepId });
  }),

  command('vote:configure', isFacilitator, (ctx, { eventId, stepId, changes }) => {
    const vote = draft(ctx, eventId, stepId);
    if (!vote.ok) return vote;
    const next: StoredVote = {
      ...vote.data,
      ...(changes.budget !== undefined ? { budget: changes.budget } : {}),
      ...(changes.cap !== undefined ? { cap: changes.cap } : {}),
      ...(changes.mode !== undefined ? { mode: changes.mode } : {}),
    };
    ctx.repos.votes.save(next);
    const view = voteView(ctx, eventId, stepId, 'staff');
    return view ? done(view, { type: 'voteChanged', eventId, stepId }) : fail('vote_not_found');
  }),

  command('vote:open', isFacilitator, (ctx, { eventId, stepId }) => {
    const vote = draft(ctx, eventId, stepId);
    if (!vote.ok) return vote;
    if (ctx.repos.votes.items(stepId).length === 0) return fail('vote_empty');
    ctx.repos.votes.save({ ...vote.data, status: 'open' });
    return done({ status: 'open' as const }, { type: 'voteChanged', eventId, stepId });
  }),

  /** [DV-BUDGET] [DV-CAP] Checked and written in one transaction: two tabs or a shared tablet cannot overspend. */
  command('vote:dot', isParticipant, (ctx, { eventId, stepId, itemId, delta }) => {
    const { participantId } = ctx.actor;
    const vote = voteOf(ctx, eventId, stepId);
    if (!vote.ok) return vote;
    const { votes } = ctx.repos;
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
    const mine = myDots(ctx, stepId, participantId);
    if (!mine) return fail('vote_not_found');
    // The person's other screens (a second tab, the tablet) follow; the room hears nothing per dot.
    return done(mine, { type: 'dotsChanged', eventId, stepId, participantId, mine });
  }),

  command('vote:close', isFacilitator, (ctx, { eventId, stepId }) => {
    const vote = voteOf(ctx, eventId, stepId);
    if (!vote.ok) return vote;
    if (vote.data.status !== 'open') return fail('vote_not_open');
    ctx.repos.votes.save({ ...vote.data, status: 'closed' });
    return done({ status: 'closed' as const }, { type: 'voteChanged', eventId, stepId });
  }),

  /** Paper dots join the same tally, marked as paper; every entry is kept with who entered it and when. */
  command('vote:paper', isFacilitator, (ctx, { eventId, stepId, itemId, category, count }) => {
    const vote = voteOf(ctx, eventId, stepId);
    if (!vote.ok) return vote;
    if (vote.data.status === 'draft') return fail('vote_not_open');
    if (!ctx.repos.votes.items(stepId).some((i) => i.id === itemId)) return fail('vote_item_unknown');
    if (category !== null && !ctx.repos.events.get(eventId)?.info.categories.some((c) => c.key === category)) return fail('profile_value_unknown');
    const enteredBy = ctx.actor.kind === 'staff' ? ctx.actor.role : 'participant';
    ctx.repos.votes.addPaper(stepId, itemId, category, count, enteredBy, ctx.now);
    return done({ itemId, category, count }, { type: 'voteChanged', eventId, stepId });
  }),

  command('vote:retain', isFacilitator, (ctx, { eventId, stepId, itemId, retained }) => {
    const vote = voteOf(ctx, eventId, stepId);
    if (!vote.ok) return vote;
    if (vote.data.status !== 'closed') return fail('vote_not_closed');
    if (!ctx.repos.votes.items(stepId).some((i) => i.id === itemId)) return fail('vote_item_unknown');
    ctx.repos.votes.retain(stepId, itemId, retained);
    return done({ itemId, retained }, { type: 'voteChanged', eventId, stepId });
  }),

  /** [DV-RUNOFF] A new vote step right after this one, with the top items (and their ties) or the tied ones. */
  command('vote:runoff', isFacilitator, (ctx, { eventId, stepId, top, tiedAt }) => {
    const vote = voteOf(ctx, eventId, stepId);
    if (!vote.ok) return vote;
    if (vote.data.status !== 'closed') return fail('vote_not_closed');
    const { votes, steps, events } = ctx.repos;
    const items = votes.items(stepId);
    const ranked = rank(talliesOf(ctx, stepId, items).map((t) => ({ id: t.itemId, dots: t.dots })));
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
    return done({ stepId: runoff.id, items: chosen.length }, { type: 'runSheetChanged', eventId });
  }),
] as const;
