import { boardName, checkOwner, promote } from '../../shared/domain/boards.ts';
import { fail, ok, type Result } from '../../shared/domain/errors.ts';
import type { Card } from '../../shared/schemas/board.ts';
import { boardAccess, mayWrite, type BoardAccess } from '../boards/access.ts';
import { command, done, type CommandContext } from '../command.ts';
import { isFacilitator, isFacilitatorOrParticipant, isParticipant } from '../permissions.ts';
import { hashSecret, newId } from '../security.ts';
import { runningBreakout } from '../views/breakouts.ts';

/**
 * Board commands change a board's Yjs document through `ctx.boards.plan`: the change is computed, not
 * applied; the router stores it in the command's transaction and applies it to the live document only
 * after the commit (effect `boardChanged`), so a command that fails leaves no trace on any screen.
 */

/** AUTH for board commands: a board of the caller's event, open for them now. */
function openBoard(ctx: CommandContext, board: string): Result<BoardAccess, 'board_not_found' | 'board_closed'> {
  const access = boardAccess(ctx, ctx.actor, board);
  if (!access) return fail('board_not_found');
  if (!mayWrite(ctx, access)) return fail('board_closed');
  return ok(access);
}

export const boardCommands = [
  command('board:card:edit', isParticipant, (ctx, { board, cardId, cardToken, changes }) => {
    const access = openBoard(ctx, board);
    if (!access.ok) return access;
    const planned = ctx.boards.plan(board, access.data, (content) => {
      const card = content.cards.get(cardId);
      const refused = checkOwner(card, hashSecret(cardToken), content.locked);
      if (refused) return fail(refused);
      if (!card) return fail('card_not_found');
      const next: Card = { ...card, ...changes };
      return ok({ data: { card: next }, cards: [next] });
    });
    if (!planned.ok) return planned;
    return done(planned.data.data, planned.data.change && { type: 'boardChanged', change: planned.data.change });
  }),

  command('board:card:remove', isParticipant, (ctx, { board, cardId, cardToken }) => {
    const access = openBoard(ctx, board);
    if (!access.ok) return access;
    const planned = ctx.boards.plan(board, access.data, (content) => {
      const refused = checkOwner(content.cards.get(cardId), hashSecret(cardToken), content.locked);
      if (refused) return fail(refused);
      return ok({ data: { cardId }, cards: [], removed: [cardId] });
    });
    if (!planned.ok) return planned;
    return done(planned.data.data, planned.data.change && { type: 'boardChanged', change: planned.data.change });
  }),

  /** [BD12] A card goes to the board of another axis in the same scope; it leaves its cluster behind. */
  command('board:card:move', isFacilitator, (ctx, { board, cardId, toAxis }) => {
    const from = boardAccess(ctx, ctx.actor, board);
    if (!from) return fail('board_not_found');
    const target = boardName({ ...from.address, axis: toAxis });
    const to = boardAccess(ctx, ctx.actor, target);
    if (!to) return fail('axis_unknown');
    const card = ctx.boards.read(board, from).cards.get(cardId);
    if (!card) return fail('card_not_found');
    if (toAxis === from.address.axis) return done({ board, card });
    const taken = ctx.boards.plan(board, from, () => ok({ data: null, cards: [], removed: [cardId] }));
    if (!taken.ok) return taken;
    const { clusterId: _left, ...rest } = card;
    const moved: Card = { ...rest, axis: toAxis };
    const placed = ctx.boards.plan(target, to, () => ok({ data: null, cards: [moved] }));
    if (!placed.ok) return placed;
    ctx.repos.boards.logModeration(from.address.eventId, board, cardId, 'move', toAxis, ctx.now);
    return done(
      { board: target, card: moved },
      taken.data.change && { type: 'boardChanged', change: taken.data.change },
      placed.data.change && { type: 'boardChanged', change: placed.data.change },
    );
  }),

  /**
   * [BD10] Report-back: the item becomes a card on the plenary board of the same axis, with its
   * origin; the group's card records what it became. Promoting the same item again answers the
   * card already made.
   */
  command('board:promote', isFacilitatorOrParticipant, (ctx, { board, cardId, clusterId }) => {
    const from = boardAccess(ctx, ctx.actor, board);
    if (!from) return fail('board_not_found');
    if (from.address.scope.kind === 'plenary') return fail('board_is_plenary');
    // A participant reports back only as the host of that group.
    const group = ctx.repos.groups.group(from.address.eventId, from.address.scope.groupId);
    if (ctx.actor.kind === 'participant' && group?.hostId !== ctx.actor.participantId) return fail('forbidden');
    // [HR-REPORT] A host reports back while their table's step runs (in groups or back in plenary), never to a locked plenary board.
    if (ctx.actor.kind === 'participant' && runningBreakout(ctx, from.address.eventId)?.step.id !== group?.stepId) return fail('board_closed');
    const target = boardName({ ...from.address, scope: { kind: 'plenary' } });
    const to = boardAccess(ctx, ctx.actor, target);
    if (!to) return fail('board_not_found');
    const plenary = ctx.boards.read(target, to);
    if (ctx.actor.kind === 'participant' && plenary.locked) return fail('board_locked');
    const content = ctx.boards.read(board, from);
    const sources = cardId
      ? [content.cards.get(cardId)].filter((c) => c !== undefined)
      : [...content.cards.values()].filter((c) => c.clusterId === clusterId && !c.hidden);
    const already = sources.find((c) => c.promotedTo && plenary.cards.has(c.promotedTo))?.promotedTo;
    const existing = already ? plenary.cards.get(already) : undefined;
    if (existing) return done({ board: target, card: existing });
    const cluster = clusterId ? content.clusters.get(clusterId) : undefined;
    if (clusterId && !cluster) return fail('card_not_found');
    const card = promote(from.address, content.cards, cluster ? { clusterId: cluster.id, title: cluster.title } : { cardId: cardId ?? '' }, newId());
    if (card === 'card_not_found') return fail(card);
    const marked = ctx.boards.plan(board, from, () => ok({ data: null, cards: sources.map((c) => ({ ...c, promotedTo: card.id })) }));
    if (!marked.ok) return marked;
    const placed = ctx.boards.plan(target, to, () => ok({ data: null, cards: [card] }));
    if (!placed.ok) return placed;
    ctx.repos.boards.logModeration(from.address.eventId, board, cardId ?? clusterId ?? '', 'promote', null, ctx.now);
    return done(
      { board: target, card },
      marked.data.change && { type: 'boardChanged', change: marked.data.change },
      placed.data.change && { type: 'boardChanged', change: placed.data.change },
    );
  }),

  command('board:project', isFacilitator, (ctx, { eventId, axis }) => {
    const stored = ctx.repos.events.get(eventId);
    if (!stored) return fail('event_not_found');
    if (axis !== null && !stored.info.axes.some((a) => a.key === axis)) return fail('axis_unknown');
    ctx.repos.events.setProjectedAxis(eventId, axis);
    return done({ axis }, { type: 'projectedAxisChanged', eventId, axis });
  }),
] as const;
