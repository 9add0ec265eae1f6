import { boardName, checkOwner, promote } from '../../shared/domain/boards.ts';
import { fail, ok, type Result } from '../../shared/domain/errors.ts';
import type { Card } from '../../shared/schemas/board.ts';
import { boardAccess, mayWrite, type BoardAccess } from '../boards/access.ts';
import type { Planned } from '../boards/sync.ts';
import { rooms, type CommandContext, type Handlers } from '../context.ts';
import { hashSecret, newId } from '../security.ts';

/** AUTH for board commands: a board of the caller's event, open for them now. */
function openBoard(ctx: CommandContext, board: string): Result<BoardAccess> {
  const access = boardAccess(ctx.services, ctx.actor, board);
  if (!access) return fail('board_not_found');
  if (!mayWrite(ctx.services, access)) return fail('board_closed');
  return { ok: true, data: access };
}

/**
 * A planned board change goes into the command's transaction (stored with its receipt, or not at
 * all) and reaches the screens only after it commits.
 */
export function commitBoardChange<T>(ctx: CommandContext, planned: Result<Planned<T>>): Result<T> {
  if (!planned.ok) return planned;
  const { change } = planned.data;
  if (change) {
    ctx.services.boards.persist(change);
    ctx.after(() => ctx.services.boards.applyCommitted(change));
  }
  return ok(planned.data.data);
}

export const boardHandlers: Pick<
  Handlers,
  'board:card:edit' | 'board:card:remove' | 'board:card:move' | 'board:promote' | 'board:project'
> = {
  'board:card:edit'(ctx, { board, cardId, cardToken, changes }) {
    const access = openBoard(ctx, board);
    if (!access.ok) return access;
    const planned = ctx.services.boards.plan(board, access.data, (content) => {
      const card = content.cards.get(cardId);
      const refused = checkOwner(card, hashSecret(cardToken), content.locked);
      if (refused || !card) return fail(refused ?? 'card_not_found');
      const next: Card = { ...card, ...changes };
      return { ok: true, data: { card: next }, cards: [next] };
    });
    return commitBoardChange(ctx, planned);
  },

  'board:card:remove'(ctx, { board, cardId, cardToken }) {
    const access = openBoard(ctx, board);
    if (!access.ok) return access;
    const planned = ctx.services.boards.plan(board, access.data, (content) => {
      const refused = checkOwner(content.cards.get(cardId), hashSecret(cardToken), content.locked);
      if (refused) return fail(refused);
      return { ok: true, data: { cardId }, cards: [], removed: [cardId] };
    });
    return commitBoardChange(ctx, planned);
  },

  /** [BD12] A card goes to the board of another axis in the same scope; it leaves its cluster behind. */
  'board:card:move'(ctx, { board, cardId, toAxis }) {
    const from = boardAccess(ctx.services, ctx.actor, board);
    if (!from) return fail('board_not_found');
    const target = boardName({ ...from.address, axis: toAxis });
    const to = boardAccess(ctx.services, ctx.actor, target);
    if (!to) return fail('axis_unknown');
    const { boards } = ctx.services;
    const taken = commitBoardChange(ctx, boards.plan(board, from, (content) => {
      const card = content.cards.get(cardId);
      if (!card) return fail('card_not_found');
      return { ok: true, data: card, cards: [], removed: toAxis === from.address.axis ? [] : [cardId] };
    }));
    if (!taken.ok || toAxis === from.address.axis) return taken.ok ? ok({ board, card: taken.data }) : taken;
    const { clusterId: _left, ...rest } = taken.data;
    const moved: Card = { ...rest, axis: toAxis };
    const placed = commitBoardChange(ctx, boards.plan(target, to, () => ({ ok: true, data: moved, cards: [moved] })));
    if (!placed.ok) return placed;
    ctx.services.repos.boards.logModeration(from.address.eventId, board, cardId, 'move', toAxis, ctx.now);
    return ok({ board: target, card: moved });
  },

  /**
   * [BD10] Report-back: the item becomes a card on the plenary board of the same axis, with its
   * origin; the group's card records what it became. Promoting the same item again answers the
   * card already made.
   */
  'board:promote'(ctx, { board, cardId, clusterId }) {
    const from = boardAccess(ctx.services, ctx.actor, board);
    if (!from) return fail('board_not_found');
    if (from.address.scope.kind === 'plenary') return fail('board_is_plenary');
    // A participant reports back only as the host of that group.
    if (ctx.actor.kind === 'participant' && ctx.services.repos.groups.group(from.address.eventId, from.address.scope.groupId)?.hostId !== ctx.actor.participantId) {
      return fail('forbidden');
    }
    const target = boardName({ ...from.address, scope: { kind: 'plenary' } });
    const to = boardAccess(ctx.services, ctx.actor, target);
    if (!to) return fail('board_not_found');
    const { boards } = ctx.services;
    const plenary = boards.read(target, to);
    const id = newId();
    const made = commitBoardChange(ctx, boards.plan(board, from, (content) => {
      const sources = cardId
        ? [content.cards.get(cardId)].filter((c) => c !== undefined)
        : [...content.cards.values()].filter((c) => c.clusterId === clusterId && !c.hidden);
      const already = sources.find((c) => c.promotedTo && plenary.cards.has(c.promotedTo))?.promotedTo;
      if (already) {
        const existing = plenary.cards.get(already);
        if (existing) return { ok: true, data: { card: existing, fresh: false }, cards: [] };
      }
      const cluster = clusterId ? content.clusters.get(clusterId) : undefined;
      if (clusterId && !cluster) return fail('card_not_found');
      const card = promote(from.address, content.cards, cluster ? { clusterId: cluster.id, title: cluster.title } : { cardId: cardId ?? '' }, id);
      if (card === 'card_not_found') return fail(card);
      return { ok: true, data: { card, fresh: true }, cards: sources.map((c) => ({ ...c, promotedTo: card.id })) };
    }));
    if (!made.ok) return made;
    if (!made.data.fresh) return ok({ board: target, card: made.data.card });
    const placed = commitBoardChange(ctx, boards.plan(target, to, () => ({ ok: true, data: made.data.card, cards: [made.data.card] })));
    if (!placed.ok) return placed;
    ctx.services.repos.boards.logModeration(from.address.eventId, board, cardId ?? clusterId ?? '', 'promote', null, ctx.now);
    return ok({ board: target, card: placed.data });
  },

  'board:project'(ctx, { eventId, axis }) {
    const stored = ctx.services.repos.events.get(eventId);
    if (!stored) return fail('event_not_found');
    if (axis !== null && !stored.info.axes.some((a) => a.key === axis)) return fail('axis_unknown');
    ctx.services.repos.events.setProjectedAxis(eventId, axis);
    ctx.after(() => ctx.services.io.to(rooms.event(eventId)).emit('board:projected', { axis }));
    return ok({ axis });
  },
};
