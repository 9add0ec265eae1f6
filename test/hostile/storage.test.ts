/**
 * [HR-DB] The database refuses writes in the middle of a forum (a full disk, a locked file): made
 * real with SQLite triggers that fail every write of commands and boards. The server stays up, says
 * so on /api/health, loses no acknowledged action, and recovers by itself once writes go through.
 */
import { describe, expect, it } from 'vitest';
import { hostileRoom } from './room.ts';
import { boardName } from '../../shared/domain/boards.ts';
import { createEventWithStaff, joinAs } from '../integration/fixtures.ts';
import { must, send } from '../integration/harness.ts';
import { openBoard, storedCards, untilStored } from '../integration/yjs.ts';

const room = hostileRoom('storage');
const providers = room.providers;

async function health(): Promise<{ status: number; body: { ok: boolean; commands: boolean; boards: boolean } }> {
  const res = await fetch(`${room.h.url}/api/health`);
  return { status: res.status, body: (await res.json()) as { ok: boolean; commands: boolean; boards: boolean } };
}

describe('[HR-DB] a database that refuses writes mid-forum', () => {
  it('[HR-DB] the server stays up and says so; acknowledged actions stay; it recovers by itself', async () => {
    const ev = await createEventWithStaff(room.h);
    const axis = 'approche-systemique';
    const doc = boardName({ eventId: ev.eventId, scope: { kind: 'plenary' }, axis });
    const step = await must(ev.facilitator.socket, 'step:add', { eventId: ev.eventId, step: { kind: 'board', title: 'Idées' } });
    await must(ev.facilitator.socket, 'step:start', { eventId: ev.eventId, stepId: step.id });
    const ana = await joinAs(room.h, ev.code, 'Ana');
    const saved = await must(ana.socket, 'participant:rename', { eventId: ev.eventId, cid: 'rename-before-0001', displayName: 'Ana avant' });
    const board = openBoard(room.h.url, ana.joined.token, doc, providers);
    await board.synced;
    board.cards.set('card-before-001', { id: 'card-before-001', text: 'Avant la panne', axis, colour: 'yellow' });
    await untilStored(room.h.db, doc, (cards) => cards.has('card-before-001'));
    expect((await health()).status).toBe(200);

    // The disk is full: every write of a command or a board fails.
    for (const table of ['command_receipts', 'board_updates', 'participants'])
      room.h.db.exec(`CREATE TRIGGER full_${table} BEFORE INSERT ON ${table} BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`);
    room.h.db.exec(`CREATE TRIGGER full_rename BEFORE UPDATE ON participants BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`);
    expect(await send(ana.socket, 'participant:rename', { eventId: ev.eventId, cid: 'rename-during-001', displayName: 'Ana pendant' })).toEqual({
      ok: false,
      code: 'internal',
    });
    board.cards.set('card-during-001', { id: 'card-during-001', text: 'Pendant la panne', axis, colour: 'blue' });
    await expect.poll(async () => (await health()).body, { timeout: 5000 }).toEqual({ ok: false, commands: false, boards: false });
    expect((await health()).status).toBe(503);
    // Up, and still answering reads.
    expect((await must(ev.facilitator.socket, 'state:get', { eventId: ev.eventId })).event.id).toBe(ev.eventId);

    // Space is back.
    for (const trigger of ['full_command_receipts', 'full_board_updates', 'full_participants', 'full_rename']) room.h.db.exec(`DROP TRIGGER ${trigger}`);
    const retried = await must(ana.socket, 'participant:rename', { eventId: ev.eventId, cid: 'rename-during-001', displayName: 'Ana pendant' });
    expect(retried.displayName).toBe('Ana pendant');
    await untilStored(room.h.db, doc, (cards) => cards.has('card-during-001'), 10_000);
    await expect.poll(async () => (await health()).status, { timeout: 10_000 }).toBe(200);
    // What was acknowledged before the failure is still there.
    expect(saved.displayName).toBe('Ana avant');
    expect(storedCards(room.h.db, doc).has('card-before-001')).toBe(true);
  }, 30_000);
});
