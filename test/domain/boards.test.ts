import { describe, expect, it } from 'vitest';
import { boardName, checkOwner, checkParticipantChange, clusterCards, mergeCards, parseBoardName, promote } from '../../shared/domain/boards.ts';
import type { Card } from '../../shared/schemas/board.ts';

const c = (id: string, extra: Partial<Card> = {}): Card => ({ id, text: `Carton ${id}`, axis: 'inclusion', colour: 'yellow', ...extra });
const map = (...cards: Card[]) => new Map(cards.map((x) => [x.id, x]));

describe('board names', () => {
  it('[BD0] say event, scope and axis, and nothing else parses', () => {
    const name = boardName({ eventId: 'evt_12345678', scope: { kind: 'group', groupId: 'g7' }, axis: 'inclusion' });
    expect(name).toBe('board:evt_12345678:group-g7:inclusion');
    expect(parseBoardName(name)).toEqual({ eventId: 'evt_12345678', scope: { kind: 'group', groupId: 'g7' }, axis: 'inclusion' });
    expect(parseBoardName('board:evt_12345678:plenary:inclusion')?.scope).toEqual({ kind: 'plenary' });
    for (const bad of [
      'board:evt:plenary:inclusion',
      'board:evt_12345678:plenary:Inclusion',
      'board:evt_12345678:table:inclusion',
      'x',
      'board:evt_12345678:plenary:inclusion:x',
    ]) {
      expect(parseBoardName(bad)).toBeNull();
    }
  });
});

describe('[BD1] what a participant may change on a board', () => {
  it('adds plain cards', () => {
    expect(checkParticipantChange(map(c('a')), map(c('a'), c('b')), false, false)).toBeNull();
  });
  it('never changes or removes an existing card', () => {
    expect(checkParticipantChange(map(c('a')), map(c('a', { text: 'autre' })), false, false)).toBe('card_not_yours');
    expect(checkParticipantChange(map(c('a')), map(), false, false)).toBe('card_not_yours');
  });
  it('never sets moderation, cluster or origin fields, nor touches clusters or the lock', () => {
    expect(checkParticipantChange(map(), map(c('b', { hidden: { reason: 'other' } })), false, false)).toBe('card_fields_forbidden');
    expect(checkParticipantChange(map(), map(c('b', { clusterId: 'k' })), false, false)).toBe('card_fields_forbidden');
    expect(checkParticipantChange(map(), map(c('b')), true, false)).toBe('board_read_only');
  });
  it('signs a card only where the event allows named cards', () => {
    expect(checkParticipantChange(map(), map(c('b', { author: 'Lise' })), false, false)).toBe('card_fields_forbidden');
    expect(checkParticipantChange(map(), map(c('b', { author: 'Lise' })), false, false, true)).toBeNull();
  });
  it('writes nothing on a locked board', () => {
    expect(checkParticipantChange(map(), map(c('b')), false, true)).toBe('board_locked');
  });
});

describe('[BD8][BD9][BD10] clustering, merging and promotion keep their origins', () => {
  const cards = map(c('a1'), c('b2'), c('c3', { origin: { scope: 'group-t1', axis: 'inclusion', cardIds: ['old-1'] } }), c('d4'));

  it('[BD8] clusters cards under one named regroupement', () => {
    const out = clusterCards(cards, 'k1', ['a1', 'b2', 'a1']);
    expect(out).toEqual([c('a1', { clusterId: 'k1' }), c('b2', { clusterId: 'k1' })]);
    expect(clusterCards(cards, 'k1', ['zz'])).toBe('card_not_found');
  });

  it('[BD9] merging keeps every merged card on record and hides the duplicates', () => {
    const out = mergeCards(cards, 'a1', ['c3', 'b2'], 'group-t1');
    if (out === 'card_not_found') throw new Error();
    const [kept, ...dups] = out;
    expect(kept?.origin).toEqual({ scope: 'group-t1', axis: 'inclusion', cardIds: ['c3', 'old-1', 'b2'] });
    expect(dups.map((d) => [d.id, d.hidden?.reason])).toEqual([
      ['c3', 'duplicate'],
      ['b2', 'duplicate'],
    ]);
    expect(mergeCards(cards, 'nope', ['a1'], 'plenary')).toBe('card_not_found');
  });

  it('[BD10] promotion makes one plenary card that says where it came from', () => {
    const from = { eventId: 'evt_12345678', scope: { kind: 'group' as const, groupId: 't1' }, axis: 'inclusion' };
    expect(promote(from, cards, { cardId: 'c3' }, 'new-card-1')).toEqual({
      id: 'new-card-1',
      text: 'Carton c3',
      axis: 'inclusion',
      colour: 'yellow',
      origin: { scope: 'group-t1', axis: 'inclusion', cardIds: ['c3', 'old-1'] },
    });
    const clustered = map(c('a1', { clusterId: 'k1' }), c('b2', { clusterId: 'k1' }), c('x9', { clusterId: 'k1', hidden: { reason: 'off-topic' } }));
    expect(promote(from, clustered, { clusterId: 'k1', title: 'Transport' }, 'new-card-2')).toMatchObject({
      text: 'Transport',
      origin: { scope: 'group-t1', axis: 'inclusion', cardIds: ['a1', 'b2'] },
    });
    expect(promote(from, clustered, { cardId: 'x9' }, 'n')).toBe('card_not_found');
    expect(promote(from, clustered, { clusterId: 'empty', title: 'Vide' }, 'n')).toBe('card_not_found');
  });

  it('[BD7] only the token’s hash opens a card, and not on a locked board', () => {
    expect(checkOwner(c('a', { ownerHash: 'h' }), 'h', false)).toBeNull();
    expect(checkOwner(c('a', { ownerHash: 'h' }), 'other', false)).toBe('card_not_yours');
    expect(checkOwner(c('a'), 'h', false)).toBe('card_not_yours');
    expect(checkOwner(c('a', { ownerHash: 'h' }), 'h', true)).toBe('board_locked');
    expect(checkOwner(undefined, 'h', false)).toBe('card_not_found');
  });
});
