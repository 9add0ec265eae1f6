import { checkOwner } from '../../shared/domain/boards.ts';
import { fail, type Result } from '../../shared/domain/errors.ts';
import type { Card } from '../../shared/schemas/board.ts';
import { boardAccess, mayWrite, type BoardAccess } from '../boards/access.ts';
import type { CommandContext, Handlers } from '../context.ts';
import { hashSecret } from '../security.ts';

/** AUTH for board commands: a board of the caller's event, open for them now. */
function openBoard(ctx: CommandContext, board: string): Result<BoardAccess> {
  const access = boardAccess(ctx.services, ctx.actor, board);
  if (!access) return fail('board_not_found');
  if (!mayWrite(ctx.services, access)) return fail('board_closed');
  return { ok: true, data: access };
}

export const boardHandlers: Pick<Handlers, 'board:card:edit' | 'board:card:remove'> = {
  'board:card:edit'(ctx, { board, cardId, cardToken, changes }) {
    const access = openBoard(ctx, board);
    if (!access.ok) return access;
    return ctx.services.boards.change(board, access.data, (content) => {
      const card = content.cards.get(cardId);
      const refused = checkOwner(card, hashSecret(cardToken), content.locked);
      if (refused || !card) return fail(refused ?? 'card_not_found');
      const next: Card = { ...card, ...changes };
      return { ok: true, data: { card: next }, cards: [next] };
    });
  },

  'board:card:remove'(ctx, { board, cardId, cardToken }) {
    const access = openBoard(ctx, board);
    if (!access.ok) return access;
    return ctx.services.boards.change(board, access.data, (content) => {
      const refused = checkOwner(content.cards.get(cardId), hashSecret(cardToken), content.locked);
      if (refused) return fail(refused);
      return { ok: true, data: { cardId }, cards: [], removed: [cardId] };
    });
  },
};
