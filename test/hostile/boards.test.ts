/**
 * Boards under attack, with real y-websocket clients and a real SQLite file: a card whose decoded
 * object carries `__proto__`, a card already damaged in the store, and a read-only connection
 * flooding the server with tiny messages.
 */
import { describe, expect, it } from 'vitest';
import { hostileRoom } from './room.ts';
import WebSocket from 'ws';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { boardName } from '../../shared/domain/boards.ts';
import { CARD_BUDGET, CONNECTION_BUDGET } from '../../server/boards/transport.ts';
import { createEventWithStaff, joinAs, tokenOf } from '../integration/fixtures.ts';
import { must } from '../integration/harness.ts';
import { openBoard, storedCards, until, untilStored } from '../integration/yjs.ts';

const room = hostileRoom('boards');
const providers = room.providers;
const axis = 'approche-systemique';

async function boardEvent() {
  const ev = await createEventWithStaff(room.h);
  const doc = boardName({ eventId: ev.eventId, scope: { kind: 'plenary' }, axis });
  const step = await must(ev.facilitator.socket, 'step:add', { eventId: ev.eventId, step: { kind: 'board', title: 'Idées' } });
  await must(ev.facilitator.socket, 'step:start', { eventId: ev.eventId, stepId: step.id });
  return { ...ev, doc };
}

/** A card object as JSON.parse makes it: `__proto__` is an own key, which lib0 encodes as such. */
function protoCard(id: string): Record<string, unknown> {
  return JSON.parse(`{"id":"${id}","axis":"${axis}","colour":"yellow","__proto__":{"text":"lue par le prototype"}}`) as Record<string, unknown>;
}

describe('[HR] boards in a hostile room', () => {
  it('[HR-PROTO] a card carrying __proto__ is refused; the board stays readable and writable for everyone', async () => {
    const ev = await boardEvent();
    const attacker = await joinAs(room.h, ev.code);
    const honest = await joinAs(room.h, ev.code);
    const bad = openBoard(room.h.url, attacker.joined.token, ev.doc, providers);
    const good = openBoard(room.h.url, honest.joined.token, ev.doc, providers);
    await Promise.all([bad.synced, good.synced]);
    good.cards.set('card-good-0001', { id: 'card-good-0001', text: 'Transport collectif', axis, colour: 'yellow' });
    await untilStored(room.h.db, ev.doc, (cards) => cards.has('card-good-0001'));

    bad.cards.set('card-evil-0001', protoCard('card-evil-0001') as never);
    expect(await bad.closed).toBe(1008);
    // Positive control: the same card without __proto__ (and with its text) is accepted from a fresh connection.
    const again = openBoard(room.h.url, attacker.joined.token, ev.doc, providers);
    await again.synced;
    expect(again.cards.has('card-evil-0001')).toBe(false);
    again.cards.set('card-fine-0001', { id: 'card-fine-0001', text: 'Sans prototype', axis, colour: 'blue' });
    await until(good.ydoc, () => good.cards.has('card-fine-0001'));
    expect(storedCards(room.h.db, ev.doc).has('card-evil-0001')).toBe(false);

    // The facilitator still hides a card, and the vote import still finds the board's cards.
    const fac = openBoard(room.h.url, tokenOf(ev.created.links.facilitator), ev.doc, providers);
    await fac.synced;
    const target = fac.cards.get('card-good-0001');
    if (!target) throw new Error('card missing');
    fac.cards.set('card-good-0001', { ...target, hidden: { reason: 'off-topic' } });
    await until(good.ydoc, () => good.cards.get('card-good-0001')?.hidden?.reason === 'off-topic');
  });

  it('[HR-DAMAGED] a card damaged in the store hides itself only: the board loads, takes updates, and the facilitator can remove it', async () => {
    const ev = await boardEvent();
    // Written to the store directly, as an older server could have: a card with no text.
    const forged = new Y.Doc();
    forged.getMap('cards').set('card-broken-01', { id: 'card-broken-01', axis, colour: 'yellow' });
    forged.getMap('cards').set('card-whole-001', { id: 'card-whole-001', text: 'Entière', axis, colour: 'green' });
    room.h.db
      .prepare('INSERT INTO board_updates (doc, event_id, update_data) VALUES (?, ?, ?)')
      .run(ev.doc, ev.eventId, Buffer.from(Y.encodeStateAsUpdate(forged)));

    const person = await joinAs(room.h, ev.code);
    const phone = openBoard(room.h.url, person.joined.token, ev.doc, providers);
    await phone.synced;
    phone.cards.set('card-new-00001', { id: 'card-new-00001', text: 'Après la casse', axis, colour: 'blue' });
    await untilStored(room.h.db, ev.doc, (cards) => cards.has('card-new-00001'));

    // Vote import reads the board: the whole cards are there, the damaged one is not.
    const vote = await must(ev.facilitator.socket, 'step:add', { eventId: ev.eventId, step: { kind: 'vote', title: 'Priorités' } });
    const imported = await must(ev.facilitator.socket, 'vote:import', { eventId: ev.eventId, stepId: vote.id, axes: [axis], from: 'cards' });
    expect(imported.added.map((i) => i.text).sort()).toEqual(['Après la casse', 'Entière']);

    // The repair: the facilitator removes the damaged card.
    const fac = openBoard(room.h.url, tokenOf(ev.created.links.facilitator), ev.doc, providers);
    await fac.synced;
    fac.cards.delete('card-broken-01');
    await untilStored(room.h.db, ev.doc, (cards) => !cards.has('card-broken-01') && cards.has('card-whole-001'));
  });

  it('[HR-READONLY] [HR-BUDGET] the projector’s flood of empty updates is never applied, is closed past its budget, and the room is still answered', async () => {
    const ev = await boardEvent();
    const person = await joinAs(room.h, ev.code);
    const ws = new WebSocket(`${room.h.url.replace('http', 'ws')}/yjs/${ev.doc}?token=${tokenOf(ev.created.links.projector)}`);
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    await new Promise((resolve) => ws.once('open', resolve));
    const empty = encoding.createEncoder();
    encoding.writeVarUint(empty, 0);
    syncProtocol.writeUpdate(empty, Y.encodeStateAsUpdate(new Y.Doc()));
    const message = encoding.toUint8Array(empty);
    const sent = CONNECTION_BUDGET.messages * 2;
    for (let i = 0; i < sent && ws.readyState === WebSocket.OPEN; i++) ws.send(message);
    expect(await closed).toBe(1008);
    // An honest participant is answered at once meanwhile.
    const renamed = await must(person.socket, 'participant:rename', { eventId: ev.eventId, displayName: 'Toujours là' });
    expect(renamed.displayName).toBe('Toujours là');
    expect(storedCards(room.h.db, ev.doc).size).toBe(0);
  });

  it('[HR-CARDS] one person adding cards by the hundred is stopped at the budget; the others keep writing', async () => {
    const ev = await boardEvent();
    const flooder = await joinAs(room.h, ev.code);
    const other = await joinAs(room.h, ev.code);
    const flood = openBoard(room.h.url, flooder.joined.token, ev.doc, providers);
    const honest = openBoard(room.h.url, other.joined.token, ev.doc, providers);
    await Promise.all([flood.synced, honest.synced]);
    for (let i = 0; i < CARD_BUDGET.perMinute * 3; i++)
      flood.cards.set(`card-flood-${String(i).padStart(4, '0')}`, {
        id: `card-flood-${String(i).padStart(4, '0')}`,
        text: `Carte ${i}`,
        axis,
        colour: 'yellow',
      });
    expect(await flood.closed).toBe(1008);
    honest.cards.set('card-honest-01', { id: 'card-honest-01', text: 'Une vraie idée', axis, colour: 'green' });
    await untilStored(room.h.db, ev.doc, (cards) => cards.has('card-honest-01'));
    const floodStored = [...storedCards(room.h.db, ev.doc).keys()].filter((id) => id.startsWith('card-flood-')).length;
    expect(floodStored).toBeGreaterThan(0);
    expect(floodStored).toBeLessThanOrEqual(CARD_BUDGET.perMinute);
  });
});
