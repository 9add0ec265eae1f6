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
 * plain (no moderation, cluster or origin fields, and no name unless the event allows it). Edits and deletions of their own cards, and
 * everything else, go through commands that check a card token.
 */
export function checkParticipantChange(
  before: ReadonlyMap<string, Card>,
  after: ReadonlyMap<string, Card>,
  otherPartsChanged: boolean,
  locked: boolean,
  allowNamed = false,
): BoardChangeError | null {
  if (locked) return 'board_locked';
  if (otherPartsChanged) return 'board_read_only';
  for (const [id, card] of before) {
    const now = after.get(id);
    if (!now || JSON.stringify(now) !== JSON.stringify(card)) return 'card_not_yours';
  }
  for (const [id, card] of after) {
    if (before.has(id)) continue;
    if (card.hidden || card.clusterId || card.origin || card.promotedTo) return 'card_fields_forbidden';
    // Anonymous unless the event allows signed cards (and then the author chooses).
    if (card.author !== undefined && !allowNamed) return 'card_fields_forbidden';
  }
  return null;
}

export type BoardEditError = 'card_not_found' | 'card_not_yours' | 'board_locked';

/** [BD7] The author proves a card is theirs with the token only their device holds. */
export function checkOwner(card: Card | undefined, tokenHash: string, locked: boolean): BoardEditError | null {
  if (!card) return 'card_not_found';
  if (locked) return 'board_locked';
  if (!card.ownerHash || card.ownerHash !== tokenHash) return 'card_not_yours';
  return null;
}

/** [BD8] Cards gathered under a named cluster (regroupement); a card belongs to one cluster at most. */
export function clusterCards(cards: ReadonlyMap<string, Card>, clusterId: string, cardIds: readonly string[]): Card[] | 'card_not_found' {
  const out: Card[] = [];
  for (const id of new Set(cardIds)) {
    const card = cards.get(id);
    if (!card) return 'card_not_found';
    out.push({ ...card, clusterId });
  }
  return out;
}

/**
 * [BD9] Merging duplicates: the kept card records every card merged into it (and what those had
 * merged before); the duplicates stay, hidden as duplicates, so nothing is lost from the record.
 */
export function mergeCards(cards: ReadonlyMap<string, Card>, keepId: string, duplicateIds: readonly string[], scope: string): Card[] | 'card_not_found' {
  const keep = cards.get(keepId);
  if (!keep) return 'card_not_found';
  const merged = new Set(keep.origin?.cardIds ?? []);
  const hidden: Card[] = [];
  for (const id of new Set(duplicateIds)) {
    if (id === keepId) continue;
    const dup = cards.get(id);
    if (!dup) return 'card_not_found';
    merged.add(id);
    for (const earlier of dup.origin?.cardIds ?? []) merged.add(earlier);
    hidden.push({ ...dup, hidden: { reason: 'duplicate' } });
  }
  const origin = { scope: keep.origin?.scope ?? scope, axis: keep.origin?.axis ?? keep.axis, cardIds: [...merged].slice(0, 200) };
  return [{ ...keep, origin }, ...hidden];
}

/**
 * [BD10] Report-back: a card, or a cluster with its cards, becomes one card on the plenary board of
 * the same axis, keeping where it came from and which cards it gathers.
 */
export function promote(
  from: BoardAddress,
  cards: ReadonlyMap<string, Card>,
  selection: { cardId: string } | { clusterId: string; title: string },
  newId: string,
): Card | 'card_not_found' {
  const scope = from.scope.kind === 'plenary' ? 'plenary' : `group-${from.scope.groupId}`;
  if ('cardId' in selection) {
    const card = cards.get(selection.cardId);
    if (!card || card.hidden) return 'card_not_found';
    const cardIds = [card.id, ...(card.origin?.cardIds ?? [])];
    return { id: newId, text: card.text, axis: from.axis, colour: card.colour, origin: { scope, axis: from.axis, cardIds } };
  }
  const members = [...cards.values()].filter((c) => c.clusterId === selection.clusterId && !c.hidden);
  if (!members.length) return 'card_not_found';
  const cardIds = members.flatMap((c) => [c.id, ...(c.origin?.cardIds ?? [])]).slice(0, 200);
  return { id: newId, text: selection.title, axis: from.axis, colour: 'yellow', origin: { scope, axis: from.axis, cardIds } };
}
