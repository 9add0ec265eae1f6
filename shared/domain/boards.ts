import type { Card } from '../schemas/board.ts';

export type BoardScope = { kind: 'plenary' } | { kind: 'group'; groupId: string };

export interface BoardAddress {
  eventId: string;
  scope: BoardScope;
  axis: string;
}

const NAME = /^board:([A-Za-z0-9_-]{8,64}):(plenary|group-([A-Za-z0-9_-]{1,64})):([a-z0-9][a-z0-9-]{0,39})$/;

/** Document names say event, group and axis; the server parses them and trusts nothing else. */
export function boardName(address: BoardAddress): string {
  const scope = address.scope.kind === 'plenary' ? 'plenary' : `group-${address.scope.groupId}`;
  return `board:${address.eventId}:${scope}:${address.axis}`;
}

export function parseBoardName(name: string): BoardAddress | null {
  const m = NAME.exec(name);
  if (!m) return null;
  const [, eventId, scope, groupId, axis] = m;
  if (!eventId || !axis) return null;
  return { eventId, scope: scope === 'plenary' ? { kind: 'plenary' } : { kind: 'group', groupId: groupId ?? '' }, axis };
}

export type BoardChangeError = 'board_locked' | 'board_read_only' | 'card_not_yours' | 'card_fields_forbidden';

/**
 * [BD1] What a participant may change through the live document: add new cards of their own,
 * plain (no moderation, cluster or origin fields). Edits and deletions of their own cards, and
 * everything else, go through commands that check a card token.
 */
export function checkParticipantChange(
  before: ReadonlyMap<string, Card>,
  after: ReadonlyMap<string, Card>,
  otherPartsChanged: boolean,
  locked: boolean,
): BoardChangeError | null {
  if (locked) return 'board_locked';
  if (otherPartsChanged) return 'board_read_only';
  for (const [id, card] of before) {
    const now = after.get(id);
    if (!now || JSON.stringify(now) !== JSON.stringify(card)) return 'card_not_yours';
  }
  for (const [id, card] of after) {
    if (before.has(id)) continue;
    if (card.hidden || card.clusterId || card.origin) return 'card_fields_forbidden';
  }
  return null;
}
