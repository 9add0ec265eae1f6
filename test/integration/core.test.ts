import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isJoinCode } from '../../shared/domain/joinCode.ts';
import { createEventWithStaff, joinAs, smallSetup, tokenOf } from './fixtures.ts';
import { must, next, send, startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const count = (table: string) => (h.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('events', () => {
  it('[EV1] creates an event with secret links, a 6-character join code and a QR code', async () => {
    const { created, facilitator, projector } = await createEventWithStaff(h);
    expect(isJoinCode(created.event.joinCode)).toBe(true);
    expect(created.event.axes.map((a) => a.key)).toEqual(['approche-systemique', 'inclusion-sociale']);
    const tokens = [created.links.facilitator, created.links.cofacilitator, created.links.projector].map(tokenOf);
    expect(new Set(tokens).size).toBe(3);
    for (const t of tokens) expect(t).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(created.links.join).toBe(`http://concerto.test/j/${created.event.joinCode}`);
    expect(facilitator.snapshot.role).toBe('facilitator');
    expect(facilitator.snapshot.steps?.map((s) => s.title)).toEqual(['Accueil', 'Vos questions', 'Vote par gommettes']);
    expect(projector.snapshot.role).toBe('projector');
    expect(projector.snapshot.steps).toBeNull();
    expect(projector.snapshot.join).toEqual({
      url: created.links.join,
      address: 'concerto.test/j',
      code: created.event.joinCode,
      qrUrl: created.links.qrUrl,
    });

    const qr = await fetch(h.url + created.links.qrUrl);
    expect(qr.status).toBe(200);
    expect(qr.headers.get('content-type')).toContain('image/svg+xml');
    expect(await qr.text()).toContain('<svg');
  });

  it('[HR-QR] the QR route is not an oracle: a well-formed code nobody uses gets its picture too', async () => {
    const unused = await fetch(`${h.url}/api/qr/AAAAAA.svg`);
    expect(unused.status).toBe(200);
    expect(unused.headers.get('content-type')).toContain('image/svg+xml');
    expect(await unused.text()).toContain('<svg');
    expect((await fetch(`${h.url}/api/qr/AB0.svg`)).status).toBe(404);
  });

  it('[EV2] rejects an invalid event and creates nothing', async () => {
    const guest = await h.client();
    for (const bad of [{ title: '' }, { ...smallSetup, title: 'x'.repeat(500) }, { ...smallSetup, date: 'demain' }, null, 'x']) {
      expect(await send(guest, 'event:create', bad as never)).toEqual({ ok: false, code: 'invalid_payload' });
    }
    expect(count('events')).toBe(0);
    expect(count('steps')).toBe(0);
  });

  it('[EV3] looks up a code typed loosely, and says when it is unknown', async () => {
    const { code } = await createEventWithStaff(h);
    const guest = await h.client();
    const loose = `${code.slice(0, 3).toLowerCase()} ${code.slice(3).toLowerCase()}`;
    expect(await must(guest, 'event:lookup', { code: loose })).toMatchObject({ title: 'Forum test', place: 'Rimouski' });
    expect(await send(guest, 'event:lookup', { code: 'ZZZZZZ' })).toEqual({ ok: false, code: 'join_code_unknown' });
  });

  it('[EV4] shows the links again to the lead facilitator only', async () => {
    const { created, eventId, facilitator, cofacilitator } = await createEventWithStaff(h);
    expect(await must(facilitator.socket, 'event:links', { eventId })).toEqual(created.links);
    expect(await send(cofacilitator.socket, 'event:links', { eventId })).toEqual({ ok: false, code: 'forbidden' });
  });

  it('serves the example event for the creation form', async () => {
    const example = (await (await fetch(`${h.url}/api/example`)).json()) as { title: string; agenda: unknown[] };
    expect(example.title).toContain('Forum des Alliances');
    expect(example.agenda).toHaveLength(10);
  });
});

describe('joining and presence', () => {
  it('[JN1] a participant joins by code and the console and projector see the counts', async () => {
    const { code, facilitator, projector } = await createEventWithStaff(h);
    const staffPresence = next(facilitator.socket, 'presence:updated', (p) => p.connected === 1);
    const projectorPresence = next(projector.socket, 'presence:updated', (p) => p.connected === 1);
    const alice = await joinAs(h, code, 'Alice');
    expect(alice.snapshot.role).toBe('participant');
    expect(alice.snapshot.me).toMatchObject({ displayName: 'Alice', consent: null, profile: null });
    expect(alice.snapshot.presence).toBeNull();
    expect(alice.snapshot.steps).toBeNull();
    expect(await staffPresence).toMatchObject({ connected: 1, joined: 1 });
    expect(await projectorPresence).toEqual({ connected: 1, joined: 1 });

    const left = next(facilitator.socket, 'presence:updated', (p) => p.connected === 0);
    alice.socket.disconnect();
    expect(await left).toMatchObject({ connected: 0, joined: 1 });
  });

  it('[JN2] the device token brings the same person back after a reconnection', async () => {
    const { code } = await createEventWithStaff(h);
    const first = await joinAs(h, code, 'Bea');
    first.socket.disconnect();
    const again = await h.member(first.joined.token);
    expect(again.snapshot.me?.participantId).toBe(first.joined.participantId);
    expect(again.snapshot.me?.displayName).toBe('Bea');
  });

  it('[JN3] an unknown token is refused at the handshake', async () => {
    await expect(h.client({ token: 'not-a-real-token-000000' })).rejects.toThrow('forbidden');
  });

  it('[JN4] a shared device holds several people, all counted as connected', async () => {
    const { code, facilitator } = await createEventWithStaff(h);
    const guest = await h.client();
    const deviceKey = 'tablet-table-3-key-0123456789';
    const a = await must(guest, 'participant:join', { code, displayName: 'A', deviceKey });
    const b = await must(guest, 'participant:join', { code, displayName: 'B', deviceKey });
    guest.disconnect();
    const both = next(facilitator.socket, 'presence:updated', (p) => p.connected === 2);
    const tablet = await h.member(b.token, [a.token]);
    expect(tablet.snapshot.me?.displayName).toBe('B');
    expect(await both).toMatchObject({ connected: 2, joined: 2 });
    const groups = h.db.prepare('SELECT DISTINCT device_group FROM participants').all();
    expect(groups).toHaveLength(1);
  });

  it('[JN5] a facilitator adds a person who has no phone', async () => {
    const { eventId, facilitator, cofacilitator, projector } = await createEventWithStaff(h);
    const counted = next(projector.socket, 'presence:updated', (p) => p.joined === 1);
    const roster = next(cofacilitator.socket, 'roster:updated');
    const added = await must(facilitator.socket, 'participant:add', { eventId, displayName: 'Gérard', profile: { category: 'citoyen' } });
    expect(added.displayName).toBe('Gérard');
    expect(await counted).toEqual({ connected: 0, joined: 1 });
    const snap = await must(facilitator.socket, 'state:get', { eventId });
    expect(snap.addedParticipants).toEqual([{ id: added.participantId, displayName: 'Gérard' }]);
    expect((await roster).addedParticipants).toEqual(snap.addedParticipants);
  });

  it('[PR1] profile answers are optional, checked against the event, and shown only as suppressed aggregates', async () => {
    const { code, eventId, facilitator } = await createEventWithStaff(h);
    const people = await Promise.all(Array.from({ length: 12 }, (_, i) => joinAs(h, code, `P${i}`)));
    const [first] = people;
    if (!first) throw new Error('no participant');
    expect(await send(first.socket, 'profile:set', { eventId, consent: true, profile: { territory: 'Gaspé' } })).toEqual({
      ok: false,
      code: 'profile_value_unknown',
    });
    expect(await send(first.socket, 'profile:set', { eventId, consent: true, profile: { category: 'inconnue' } })).toEqual({
      ok: false,
      code: 'profile_value_unknown',
    });
    // 6 community workers, 1 citizen, 5 who skip the questions.
    const settled = next(
      facilitator.socket,
      'presence:updated',
      (p) => 'byCategory' in p && p.byCategory.some((c) => c.key === 'communautaire' && c.value.shown && c.value.count === 6),
    );
    for (const [i, p] of people.entries()) {
      if (i >= 7) {
        expect(await must(p.socket, 'profile:set', { eventId, consent: false })).toMatchObject({ consent: false });
        continue;
      }
      const category = i < 6 ? 'communautaire' : 'citoyen';
      const me = await must(p.socket, 'profile:set', { eventId, consent: true, profile: { category, ageBand: '35-49' } });
      expect(me).toMatchObject({ consent: true, profile: { category, ageBand: '35-49' } });
    }
    const detail = await settled;
    if (!('byCategory' in detail)) throw new Error('no detail');
    expect(detail.joined).toBe(12);
    const cell = (k: string) => detail.byCategory.find((c) => c.key === k)?.value;
    expect(cell('citoyen')).toEqual({ shown: false, reason: 'small' });
    // [SC2] One hidden cell would be given back by the total: the next smallest non-zero cell is hidden too.
    expect(cell('none')).toEqual({ shown: false, reason: 'complementary' });
    expect(cell('communautaire')).toEqual({ shown: true, count: 6 });

    const withdrawn = await must(first.socket, 'profile:set', { eventId, consent: false });
    expect(withdrawn).toMatchObject({ consent: false, profile: null });
    const row = h.db.prepare('SELECT profile FROM participants WHERE id = ?').get(first.joined.participantId) as { profile: string | null };
    expect(row.profile).toBeNull();
  });

  it('[PR2] renaming reaches the participant’s own screens', async () => {
    const { code, eventId } = await createEventWithStaff(h);
    const p = await joinAs(h, code);
    const updated = next(p.socket, 'me:updated');
    await must(p.socket, 'participant:rename', { eventId, displayName: 'Nouvelle' });
    expect((await updated).displayName).toBe('Nouvelle');
  });
});
