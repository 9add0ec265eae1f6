/**
 * [HR-FLOOD] Floods from one guest: people created from one connection, events created from one
 * address. The honest room, meanwhile, keeps joining and being answered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventWithStaff, joinAs, smallSetup } from '../integration/fixtures.ts';
import { must, send, startHarness, type Harness } from '../integration/harness.ts';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h.close();
});

describe('[HR-FLOOD] floods from one guest', () => {
  it('[HR-FLOOD] one connection adds a table’s worth of people, not a crowd; others still join', async () => {
    const ev = await createEventWithStaff(h);
    const honest = await joinAs(h, ev.code, 'Ana');
    const flooder = await h.client();
    // An honest participant keeps acting during the flood: how long each answer takes is measured.
    const latencies: number[] = [];
    const honestly = (async () => {
      for (let i = 0; i < 10; i++) {
        const started = performance.now();
        await must(honest.socket, 'participant:rename', { eventId: ev.eventId, displayName: `Ana ${i}` });
        latencies.push(performance.now() - started);
      }
    })();
    const acks = await Promise.all(Array.from({ length: 400 }, (_, i) => send(flooder, 'participant:join', { code: ev.code, displayName: `Faux ${i}` })));
    await honestly;
    expect(latencies).toHaveLength(10);
    expect(Math.max(...latencies)).toBeLessThan(500);
    const made = acks.filter((a) => a.ok).length;
    expect(made).toBeGreaterThanOrEqual(10);
    expect(made).toBeLessThanOrEqual(12);
    expect(acks.filter((a) => !a.ok).every((a) => !a.ok && a.code === 'rate_limited')).toBe(true);
    expect(h.db.prepare("SELECT count(*) AS n FROM participants WHERE event_id = ? AND display_name LIKE 'Faux %'").get(ev.eventId)).toEqual({ n: made });
    // Someone at the door is let in at once.
    const door = await h.client();
    expect((await send(door, 'participant:join', { code: ev.code, displayName: 'Vraie personne' })).ok).toBe(true);
    // Malformed attempts cost nothing: a fresh connection's budget is whole after them.
    const careless = await h.client();
    for (let i = 0; i < 20; i++) expect(await send(careless, 'participant:join', { code: 42 } as never)).toEqual({ ok: false, code: 'invalid_payload' });
    expect((await send(careless, 'participant:join', { code: ev.code })).ok).toBe(true);
  });

  it('[HR-FLOOD] one address creates a few dozen events, then is refused; people already in are unaffected', async () => {
    const ev = await createEventWithStaff(h);
    const results = [];
    for (let i = 0; i < 45; i++) {
      const guest = await h.client();
      results.push(await send(guest, 'event:create', { ...smallSetup, title: `Événement ${i}` }));
      guest.disconnect();
    }
    // The address's allowance is 30 in ten minutes (the fixtures of this file used some of it): then every one is refused.
    const firstRefused = results.findIndex((r) => !r.ok);
    expect(firstRefused).toBeGreaterThanOrEqual(25);
    expect(firstRefused).toBeLessThanOrEqual(30);
    expect(results.slice(firstRefused).every((r) => !r.ok && r.code === 'rate_limited')).toBe(true);
    expect((await must(ev.facilitator.socket, 'state:get', { eventId: ev.eventId })).event.id).toBe(ev.eventId);
  });
});
