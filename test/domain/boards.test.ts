import { describe, expect, it } from 'vitest';
import { boardName, checkParticipantChange, parseBoardName } from '../../shared/domain/boards.ts';
import type { Card } from '../../shared/schemas/board.ts';

const c = (id: string, extra: Partial<Card> = {}): Card => ({ id, text: `Carton ${id}`, axis: 'inclusion', colour: 'yellow', ...extra });
const map = (...cards: Card[]) => new Map(cards.map((x) => [x.id, x]));

describe('board names', () => {
  it('[BD0] say event, scope and axis, and nothing else parses', () => {
    const name = boardName({ eventId: 'evt_12345678', scope: { kind: 'group', groupId: 'g7' }, axis: 'inclusion' });
    expect(name).toBe('board:evt_12345678:group-g7:inclusion');
    expect(parseBoardName(name)).toEqual({ eventId: 'evt_12345678', scope: { kind: 'group', groupId: 'g7' }, axis: 'inclusion' });
    expect(parseBoardName('board:evt_12345678:plenary:inclusion')?.scope).toEqual({ kind: 'plenary' });
    for (const bad of ['board:evt:plenary:inclusion', 'board:evt_12345678:plenary:Inclusion', 'board:evt_12345678:table:inclusion', 'x', 'board:evt_12345678:plenary:inclusion:x']) {
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
  it('writes nothing on a locked board', () => {
    expect(checkParticipantChange(map(), map(c('b')), false, true)).toBe('board_locked');
  });
});
