import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { ServerEvents } from '../../shared/protocol.ts';
import type { Card } from '../../shared/schemas/board.ts';
import { createEventWithStaff, joinAs, tokenOf } from './fixtures.ts';
import { untilStored } from './yjs.ts';
import { barrier, must, next, send, startHarness, type Harness, type TestSocket } from './harness.ts';

let h: Harness;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'concerto-votes-'));
  h = await startHarness({ dbFile: join(dir, 'concerto.db') });
});

afterAll(async () => {
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

async function voteEvent(
  items = ['Transport collectif', 'Lutte aux préjugés', 'Logement abordable', 'Sécurité alimentaire', 'Horaires adaptés', 'Frais de garde'],
) {
  const ev = await createEventWithStaff(h);
  const step = await must(ev.facilitator.socket, 'step:add', { eventId: ev.eventId, step: { kind: 'vote', title: 'Vote par gommettes' } });
  const base = { eventId: ev.eventId, stepId: step.id };
  const made = [];
  for (const text of items) made.push(await must(ev.facilitator.socket, 'vote:item:add', { ...base, text }));
  await must(ev.facilitator.socket, 'step:start', { eventId: ev.eventId, stepId: step.id });
  return { ...ev, base, items: made };
}

describe('[DV] dot voting with real clients', () => {
  it('[DV-BUDGET] the budget is items ÷ 3 by default; rules are editable only before opening', async () => {
    const ev = await voteEvent();
    const view = await must(ev.facilitator.socket, 'vote:configure', { ...ev.base, changes: { cap: 2 } });
    expect(view).toMatchObject({ budget: 2, cap: 2, status: 'draft', mode: 'hidden' });
    expect(await send(ev.facilitator.socket, 'vote:open', { ...ev.base, stepId: 'not-a-step-1' })).toEqual({ ok: false, code: 'vote_not_found' });
    await must(ev.facilitator.socket, 'vote:open', ev.base);
    expect(await send(ev.facilitator.socket, 'vote:configure', { ...ev.base, changes: { cap: 3 } })).toEqual({ ok: false, code: 'vote_already_open' });
    expect(await send(ev.facilitator.socket, 'vote:item:add', { ...ev.base, text: 'Trop tard' })).toEqual({ ok: false, code: 'vote_already_open' });
  });

  it('[DV-CHANGES] a retried change with the same command id counts once', async () => {
    const ev = await voteEvent();
    await must(ev.facilitator.socket, 'vote:open', ev.base);
    const p = await joinAs(h, ev.code);
    const itemId = ev.items[0]?.id ?? '';
    const first = await must(p.socket, 'vote:dot', { ...ev.base, itemId, delta: 1, cid: 'dot-cid-000001' });
    const again = await must(p.socket, 'vote:dot', { ...ev.base, itemId, delta: 1, cid: 'dot-cid-000001' });
    expect(first).toEqual(again);
    expect(first.dots).toEqual({ [itemId]: 1 });
    expect(first.left).toBe(1);
  });

  it('[DV-BUDGET] two sockets of one person firing at once never exceed the budget', async () => {
    const ev = await voteEvent();
    await must(ev.facilitator.socket, 'vote:open', ev.base);
    const p = await joinAs(h, ev.code);
    const second = await h.member(p.joined.token);
    const other = next(second.socket, 'vote:mine');
    const shots = ev.items.flatMap((item, i) =>
      [p.socket, second.socket].map((s) =>
        send(s, 'vote:dot', { ...ev.base, itemId: item.id, delta: 1, cid: `burst-${i}-${s === p.socket ? 'a' : 'b'}-0001` }),
      ),
    );
    const results = await Promise.all(shots);
    expect(results.filter((r) => r.ok)).toHaveLength(2);
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && (r.code === 'vote_budget_spent' || r.code === 'vote_cap_reached'))).toBe(true);
    const mine = await must(p.socket, 'state:get', { eventId: ev.eventId });
    expect(Object.values(mine.myDots?.dots ?? {}).reduce((a, b) => a + b, 0)).toBe(2);
    expect((await other).left).toBeLessThanOrEqual(1);
  });

  it('[DV-HIDDEN] while hidden, nothing a participant or the projector receives reveals a tally; at close everything does', async () => {
    const ev = await voteEvent();
    await must(ev.facilitator.socket, 'vote:open', ev.base);
    const watcher = await joinAs(h, ev.code);
    const received: { to: string; event: string; payload: unknown }[] = [];
    const record = (to: string, socket: TestSocket) => socket.onAny((event: string, payload: unknown) => received.push({ to, event, payload }));
    record('participant', watcher.socket);
    record('projector', ev.projector.socket);
    const staffTallies: ServerEvents['vote:tally'][] = [];
    ev.facilitator.socket.on('vote:tally', (t) => staffTallies.push(t));

    const voters = await Promise.all(Array.from({ length: 8 }, () => joinAs(h, ev.code)));
    const online = (t: ServerEvents['vote:tally']) => t.tallies.reduce((s, x) => s + x.online, 0);
    const allCounted = next(ev.facilitator.socket, 'vote:tally', (t) => online(t) === 8);
    await Promise.all(voters.map((v, i) => must(v.socket, 'vote:dot', { ...ev.base, itemId: ev.items[i % 3]?.id ?? '', delta: 1 })));
    await allCounted;
    // The last tally is out; a later message to every screen arrives after anything sent with it.
    await barrier(ev.facilitator.socket, ev.eventId, [watcher.socket, ev.projector.socket]);
    // Facilitators got the tallies, coalesced (not one per dot).
    expect(staffTallies.length).toBeGreaterThan(0);
    expect(staffTallies.length).toBeLessThan(8);
    expect(staffTallies.at(-1)?.tallies.reduce((s, t) => s + t.online, 0)).toBe(8);

    const leak = received.filter(({ event, payload }) => {
      if (event === 'vote:tally') return true;
      const text = JSON.stringify(payload);
      return /"(tallies|voters|ranking|byCategory|byTerritory)":(?!null)/.test(text) || /"dots":\d/.test(text) || /"online":/.test(text);
    });
    expect(leak).toEqual([]);

    const revealed = next(watcher.socket, 'vote:updated', (p) => p.vote?.status === 'closed');
    await must(ev.facilitator.socket, 'vote:close', ev.base);
    const closed = (await revealed).vote;
    expect(closed?.tallies?.reduce((s, t) => s + t.dots, 0)).toBe(8);
    expect(closed?.ranking?.[0]).toMatchObject({ rank: 1 });
    expect(closed?.voters).toBe(8);
    expect(await send(voters[0]?.socket as TestSocket, 'vote:dot', { ...ev.base, itemId: ev.items[0]?.id ?? '', delta: -1 })).toEqual({
      ok: false,
      code: 'vote_not_open',
    });
  });

  it('[DV-TIES] closing ranks with ties; paper dots join the tally, marked and audited; a run-off takes the tied items', async () => {
    const ev = await voteEvent(['Un', 'Deux', 'Trois']);
    await must(ev.facilitator.socket, 'vote:open', ev.base);
    const [a, b] = [await joinAs(h, ev.code), await joinAs(h, ev.code)];
    const [one, two, three] = ev.items.map((i) => i.id);
    await must(a.socket, 'vote:dot', { ...ev.base, itemId: one ?? '', delta: 1 });
    await must(b.socket, 'vote:dot', { ...ev.base, itemId: two ?? '', delta: 1 });
    await must(ev.facilitator.socket, 'vote:paper', { ...ev.base, itemId: three ?? '', category: null, count: 4 });
    // A correction: the latest entry counts, both are kept.
    await must(ev.facilitator.socket, 'vote:paper', { ...ev.base, itemId: three ?? '', category: null, count: 1 });
    expect(h.app.services.repos.votes.paperLog(ev.base.stepId).map((e) => [e.count, e.enteredBy])).toEqual([
      [4, 'facilitator'],
      [1, 'facilitator'],
    ]);
    await must(ev.facilitator.socket, 'vote:close', ev.base);
    const { vote } = await must(a.socket, 'state:get', { eventId: ev.eventId }).then((s) => ({ vote: s.vote }));
    expect(vote?.ranking?.map((r) => [r.dots, r.rank, r.tied])).toEqual([
      [1, 1, true],
      [1, 1, true],
      [1, 1, true],
    ]);
    expect(vote?.tallies?.find((t) => t.itemId === three)).toMatchObject({ dots: 1, online: 0, paper: 1 });

    await must(ev.facilitator.socket, 'vote:retain', { ...ev.base, itemId: one ?? '', retained: true });
    const runoff = await must(ev.facilitator.socket, 'vote:runoff', { ...ev.base, tiedAt: 1 });
    expect(runoff.items).toBe(3);
    const sheet = await must(ev.facilitator.socket, 'state:get', { eventId: ev.eventId });
    const at = sheet.steps?.findIndex((s) => s.id === ev.base.stepId) ?? -1;
    expect(sheet.steps?.[at + 1]).toMatchObject({ id: runoff.stepId, kind: 'vote', title: 'Vote par gommettes : second tour' });
  });

  it('[DV-SUPPRESS] results by category hide cells about fewer than 5 people', async () => {
    const ev = await voteEvent(['Un', 'Deux', 'Trois']);
    await must(ev.facilitator.socket, 'vote:open', ev.base);
    const [one] = ev.items.map((i) => i.id);
    const people = await Promise.all(Array.from({ length: 7 }, () => joinAs(h, ev.code)));
    for (const [i, p] of people.entries()) {
      await must(p.socket, 'profile:set', { eventId: ev.eventId, consent: true, profile: { category: i < 5 ? 'communautaire' : 'citoyen' } });
      await must(p.socket, 'vote:dot', { ...ev.base, itemId: one ?? '', delta: 1 });
    }
    await must(ev.facilitator.socket, 'vote:close', ev.base);
    const vote = (await must(people[0]?.socket as TestSocket, 'state:get', { eventId: ev.eventId })).vote;
    const columns = vote?.byCategory?.columns.map((c) => c.key) ?? [];
    const row = vote?.byCategory?.rows.find((r) => r.itemId === one);
    expect(row?.cells[columns.indexOf('citoyen')]).toEqual({ shown: false, reason: 'small' });
    // 5 people from community groups: shown, but hidden as a complement so the total cannot reveal the citizens.
    expect(row?.cells[columns.indexOf('communautaire')]).toEqual({ shown: false, reason: 'complementary' });
  });

  it('[DV-IMPORT] items come from the plenary boards with their origin, once each', async () => {
    const ev = await createEventWithStaff(h);
    const step = await must(ev.facilitator.socket, 'step:add', { eventId: ev.eventId, step: { kind: 'vote', title: 'Vote' } });
    const board = `board:${ev.eventId}:plenary:approche-systemique`;
    const ydoc = new Y.Doc();
    const provider = new WebsocketProvider(h.url.replace('http', 'ws') + '/yjs', board, ydoc, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      params: { token: tokenOf(ev.created.links.facilitator) },
      disableBc: true,
    });
    await new Promise<void>((r) => provider.once('sync', () => r()));
    const cards = ydoc.getMap<Card>('cards');
    ydoc.getMap('clusters').set('cluster-001', { id: 'cluster-001', title: 'Mobilité' });
    cards.set('promoted-01', {
      id: 'promoted-01',
      text: 'Rapporté de la table 3',
      axis: 'approche-systemique',
      colour: 'yellow',
      origin: { scope: 'group-table3', axis: 'approche-systemique', cardIds: ['g-card-1', 'g-card-2'] },
    });
    cards.set('plain-0001', { id: 'plain-0001', text: 'Carton simple', axis: 'approche-systemique', colour: 'blue', clusterId: 'cluster-001' });
    await untilStored(h.db, board, (stored) => stored.has('promoted-01') && stored.has('plain-0001'));
    const base = { eventId: ev.eventId, stepId: step.id };
    const promoted = await must(ev.facilitator.socket, 'vote:import', { ...base, from: 'promoted' });
    expect(promoted.added).toHaveLength(1);
    expect(promoted.added[0]).toMatchObject({
      text: 'Rapporté de la table 3',
      axis: 'approche-systemique',
      origin: { board, cardId: 'promoted-01', scope: 'group-table3', cardIds: ['promoted-01', 'g-card-1', 'g-card-2'] },
    });
    expect((await must(ev.facilitator.socket, 'vote:import', { ...base, from: 'promoted' })).added).toHaveLength(0);
    const clusters = await must(ev.facilitator.socket, 'vote:import', { ...base, from: 'clusters' });
    expect(clusters.added.map((i) => i.text)).toEqual(['Mobilité']);
    const merged = await must(ev.facilitator.socket, 'vote:items:merge', {
      ...base,
      keepId: promoted.added[0]?.id ?? '',
      mergeIds: [clusters.added[0]?.id ?? ''],
    });
    expect(merged.origin?.cardIds).toEqual(['promoted-01', 'g-card-1', 'g-card-2', 'plain-0001']);
    provider.destroy();
  });
});
