/**
 * Identity in a hostile room, with real Socket.IO and y-websocket clients: command ids that are
 * someone else's, a socket that would switch person, a purged event, a host reporting back when the
 * step is over or the plenary board is locked.
 */
import { describe, expect, it } from 'vitest';
import { hostileRoom } from './room.ts';
import { boardName } from '../../shared/domain/boards.ts';
import { createEventWithStaff, joinAs, tokenOf } from '../integration/fixtures.ts';
import { must, next, send } from '../integration/harness.ts';
import { openBoard, until, untilStored } from '../integration/yjs.ts';

const room = hostileRoom('identity');
const providers = room.providers;

describe('[HR] identity in a hostile room', () => {
  it('[HR-RECEIPT] a command id is its sender’s own: reused by another person or for another command it is refused, and reveals nothing', async () => {
    const ev = await createEventWithStaff(room.h);
    const ana = await joinAs(room.h, ev.code, 'Ana');
    const eve = await joinAs(room.h, ev.code, 'Ève');
    const cid = 'kiosk-0001-profile';
    const first = await must(ana.socket, 'profile:set', { eventId: ev.eventId, cid, consent: true, profile: { category: 'citoyen', territory: 'Kamouraska' } });
    expect(first.profile).toEqual({ category: 'citoyen', territory: 'Kamouraska' });
    // Ana's retry gets her first answer back, applied once.
    expect(await must(ana.socket, 'profile:set', { eventId: ev.eventId, cid, consent: false })).toEqual(first);
    // Ève reusing Ana's id learns nothing of Ana's answer, and is told to send again.
    const stolen = await send(eve.socket, 'profile:set', { eventId: ev.eventId, cid, consent: false });
    expect(stolen).toEqual({ ok: false, code: 'cid_taken' });
    expect(JSON.stringify(stolen)).not.toContain('Kamouraska');
    // The same id for another command of Ana's is refused too.
    expect(await send(ana.socket, 'participant:rename', { eventId: ev.eventId, cid, displayName: 'Ana B.' })).toEqual({ ok: false, code: 'cid_taken' });
    // Ève's own command with a fresh id is applied.
    expect((await must(eve.socket, 'profile:set', { eventId: ev.eventId, cid: 'kiosk-0002-profile', consent: false })).consent).toBe(false);
  });

  it('[HR-SWITCH] a participant’s socket that joins someone else stays who it is; the new person connects with their own token', async () => {
    const ev = await createEventWithStaff(room.h);
    const ana = await joinAs(room.h, ev.code, 'Ana');
    const joined = await must(ana.socket, 'participant:join', { code: ev.code, displayName: 'Béa' });
    expect(joined.participantId).not.toBe(ana.joined.participantId);
    // Still Ana on this socket.
    expect((await must(ana.socket, 'participant:rename', { eventId: ev.eventId, displayName: 'Ana C.' })).participantId).toBe(ana.joined.participantId);
    const bea = await room.h.member(joined.token);
    const me = await must(bea.socket, 'state:get', { eventId: ev.eventId });
    expect(me.me).toMatchObject({ participantId: joined.participantId, displayName: 'Béa' });
    // A guest's socket still becomes the person it joins as (the protocol's own example).
    const guest = await room.h.client();
    const asGuest = await must(guest, 'participant:join', { code: ev.code, displayName: 'Chloé' });
    expect((await must(guest, 'participant:rename', { eventId: ev.eventId, displayName: 'Chloé D.' })).participantId).toBe(asGuest.participantId);
  });

  it('[HR-PURGED] a purged event takes no new person', async () => {
    const ev = await createEventWithStaff(room.h);
    await joinAs(room.h, ev.code, 'Ana');
    await must(ev.facilitator.socket, 'event:purge', { eventId: ev.eventId, confirm: ev.code });
    const guest = await room.h.client();
    expect(await send(guest, 'participant:join', { code: ev.code, displayName: 'Après' })).toEqual({ ok: false, code: 'event_purged' });
    expect(room.h.db.prepare('SELECT count(*) AS n FROM participants WHERE event_id = ? AND display_name = ?').get(ev.eventId, 'Après')).toEqual({ n: 0 });
  });

  it('[HR-REPORT] a host reports back only while the step runs, and never to a locked plenary board', async () => {
    const ev = await createEventWithStaff(room.h);
    const axis = 'approche-systemique';
    const people = [await joinAs(room.h, ev.code, 'Ana'), await joinAs(room.h, ev.code, 'Ben'), await joinAs(room.h, ev.code, 'Cléo')];
    const step = await must(ev.facilitator.socket, 'step:add', {
      eventId: ev.eventId,
      step: { kind: 'breakout', title: 'Tables', minutes: 20, axes: [axis], breakout: { mode: 'random', size: 8, rounds: 1, task: 'Idées' } },
    });
    const placed = next(people[0]?.socket ?? ev.facilitator.socket, 'group:updated', (p) => p.group?.stepId === step.id);
    await must(ev.facilitator.socket, 'step:start', { eventId: ev.eventId, stepId: step.id });
    const table = (await placed).group;
    const host = people[0];
    if (!table || !host) throw new Error('setup');
    await must(ev.facilitator.socket, 'group:host', { eventId: ev.eventId, stepId: step.id, groupId: table.id, participantId: host.joined.participantId });
    const doc = boardName({ eventId: ev.eventId, scope: { kind: 'group', groupId: table.id }, axis });
    const board = openBoard(room.h.url, host.joined.token, doc, providers);
    await board.synced;
    board.cards.set('report-card-01', { id: 'report-card-01', text: 'Transport collectif', axis, colour: 'green' });
    await untilStored(room.h.db, doc, (cards) => cards.has('report-card-01'));

    // The facilitator locks the plenary board: the host may not add to it.
    const plenaryDoc = boardName({ eventId: ev.eventId, scope: { kind: 'plenary' }, axis });
    const plenary = openBoard(room.h.url, tokenOf(ev.created.links.facilitator), plenaryDoc, providers);
    await plenary.synced;
    plenary.ydoc.getMap('meta').set('locked', true);
    await until(plenary.ydoc, () => plenary.ydoc.getMap('meta').get('locked') === true);
    const ref = { eventId: ev.eventId, board: doc, cardId: 'report-card-01' };
    await expect.poll(async () => send(host.socket, 'board:promote', ref), { timeout: 3000 }).toEqual({ ok: false, code: 'board_locked' });
    // Unlocked, it goes through (positive control).
    plenary.ydoc.getMap('meta').set('locked', false);
    await expect.poll(async () => (await send(host.socket, 'board:promote', ref)).ok, { timeout: 3000 }).toBe(true);
    // Once the step is over, the host reports nothing more.
    board.cards.set('report-card-02', { id: 'report-card-02', text: 'Trop tard', axis, colour: 'green' });
    await untilStored(room.h.db, doc, (cards) => cards.has('report-card-02'));
    await must(ev.facilitator.socket, 'step:start', { eventId: ev.eventId, stepId: null });
    expect(await send(host.socket, 'board:promote', { ...ref, cardId: 'report-card-02' })).toEqual({ ok: false, code: 'board_closed' });
  });

  it('[HR-ROTATE] the lead replaces a leaked link: the new one works at once, the old one is refused, and its screens are signed out', async () => {
    const ev = await createEventWithStaff(room.h);
    const axis = 'approche-systemique';
    const oldProjector = tokenOf(ev.created.links.projector);
    const doc = boardName({ eventId: ev.eventId, scope: { kind: 'plenary' }, axis });
    const wall = openBoard(room.h.url, oldProjector, doc, providers);
    await wall.synced;
    const signedOut = new Promise<string>((resolve) => ev.projector.socket.once('disconnect', (reason) => resolve(reason)));

    const links = await must(ev.facilitator.socket, 'event:rotate', { eventId: ev.eventId, link: 'projector' });
    expect(links.projector).not.toBe(ev.created.links.projector);
    expect(links.cofacilitator).toBe(ev.created.links.cofacilitator);
    expect(await signedOut).toBe('io server disconnect');
    expect(await wall.closed).toBe(1008);
    await expect(room.h.member(oldProjector)).rejects.toThrow();
    const fresh = await room.h.member(tokenOf(links.projector));
    expect((await must(fresh.socket, 'state:get', { eventId: ev.eventId })).role).toBe('projector');

    // The lead's own link: this console stays; the old link opens nothing more, the new one opens the others.
    const mine = await must(ev.facilitator.socket, 'event:rotate', { eventId: ev.eventId, link: 'facilitator' });
    expect(mine.facilitator).not.toBe(ev.created.links.facilitator);
    expect((await must(ev.facilitator.socket, 'state:get', { eventId: ev.eventId })).role).toBe('facilitator');
    await expect(room.h.member(tokenOf(ev.created.links.facilitator))).rejects.toThrow();
    const lead = await room.h.member(tokenOf(mine.facilitator));
    expect(await must(lead.socket, 'event:links', { eventId: ev.eventId })).toEqual(mine);
    // The co-facilitator may not.
    expect(await send(ev.cofacilitator.socket, 'event:rotate', { eventId: ev.eventId, link: 'projector' })).toEqual({ ok: false, code: 'forbidden' });
  });
});
