import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { WebsocketProvider } from 'y-websocket';
import { openBoard, until, untilStored } from './yjs.ts';
import { boardName } from '../../shared/domain/boards.ts';
import type { ServerEvents } from '../../shared/protocol.ts';
import type { MyGroup } from '../../shared/schemas/breakout.ts';
import scenario from '../../shared/scenario/forum-bsl.json' with { type: 'json' };
import { createEventWithStaff, exampleEvent, tokenOf } from './fixtures.ts';
import { barrier, must, next, send, startHarness, type Harness, type TestSocket } from './harness.ts';

let h: Harness;
let dir: string;
const providers: WebsocketProvider[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'concerto-breakouts-'));
  h = await startHarness({ dbFile: join(dir, 'concerto.db') });
});

afterAll(async () => {
  for (const p of providers) p.destroy();
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

function openBoardOf(token: string, doc: string) {
  return openBoard(h.url, token, doc, providers);
}

/** Opens a raw upgrade and tells the HTTP status (101 when the board opened). */
function upgradeStatus(token: string, doc: string): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${h.url.replace('http', 'ws')}/yjs/${encodeURIComponent(doc)}?token=${token}`);
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => resolve(0));
  });
}

interface Person {
  id: string;
  token: string;
  socket: TestSocket;
  group: MyGroup | null;
  messages: string[];
}

/** A seeded spread of the scenario's 150 people over categories and territories. */
function profileOf(i: number): { category: string; territory: string } {
  const categories = scenario.colleges.flatMap((c) => Array<string>(c.count).fill(c.key));
  const territories = scenario.territories;
  return { category: categories[i % categories.length] ?? 'citoyen', territory: territories[(i * 7) % 5] ?? 'Kamouraska' };
}

async function joinPeople(code: string, eventId: string, n: number): Promise<Person[]> {
  const people: Person[] = [];
  for (let start = 0; start < n; start += 25) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(25, n - start) }, async (_, k) => {
        const i = start + k;
        const guest = await h.client();
        const joined = await must(guest, 'participant:join', { code, displayName: `Personne ${i + 1}` });
        guest.disconnect();
        const { socket, snapshot } = await h.member(joined.token);
        await must(socket, 'profile:set', { eventId, consent: true, profile: profileOf(i) });
        const person: Person = { id: joined.participantId, token: joined.token, socket, group: snapshot.group, messages: [] };
        socket.on('group:updated', ({ group }) => (person.group = group));
        socket.on('breakout:updated', () => person.messages.push('LEAK: breakout view'));
        return person;
      }),
    );
    people.push(...batch);
  }
  return people;
}

/** Waits until every person's phone has a group (or the check holds). */
async function settle(people: Person[], check: (p: Person) => boolean, ms = 5000): Promise<void> {
  const started = Date.now();
  while (!people.every(check)) {
    if (Date.now() - started > ms) throw new Error(`${people.filter((p) => !check(p)).length} phones not updated`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('[GR] breakout groups with 150 real clients', () => {
  let ev: Awaited<ReturnType<typeof createEventWithStaff>>;
  let people: Person[];
  let stepId: string;
  const axis = scenario.axes[0]?.key ?? 'systemique';

  beforeAll(async () => {
    ev = await createEventWithStaff(h, exampleEvent());
    people = await joinPeople(ev.code, ev.eventId, 150);
    const step = await must(ev.facilitator.socket, 'step:add', {
      eventId: ev.eventId,
      step: {
        kind: 'breakout',
        title: 'Atelier en tables',
        minutes: 20,
        axes: [axis],
        breakout: { mode: 'balanced', size: 8, rounds: 3, task: 'Quelles priorités?' },
      },
    });
    stepId = step.id;
    expect(step.breakout).toMatchObject({ mode: 'balanced', size: 8, rounds: 3 });
  }, 60_000);

  /**
   * Starts the step once, for whichever test comes first (each test also runs alone with -t), and
   * keeps what the console and the projector were sent at that moment.
   */
  let started: Promise<{ view: ServerEvents['breakout:updated']; projected: ServerEvents['breakout:updated'] }> | undefined;
  function start() {
    started ??= (async () => {
      const view = next(ev.facilitator.socket, 'breakout:updated', (p) => p.breakout?.stepId === stepId);
      const projected = next(ev.projector.socket, 'breakout:updated', (p) => p.breakout?.stepId === stepId);
      await must(ev.facilitator.socket, 'step:start', { eventId: ev.eventId, stepId });
      await settle(people, (p) => p.group?.stepId === stepId);
      return { view: await view, projected: await projected };
    })();
    return started;
  }

  it('[GR4] starting the step places all 150 people in balanced groups, each phone told its own table only', async () => {
    const { view, projected } = await start();
    const { breakout } = view;
    expect(breakout?.groups).toHaveLength(19);
    expect(breakout?.unassigned).toEqual([]);
    const sizes = breakout?.groups.map((g) => g.size) ?? [];
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(150);
    // Categories spread: counts across groups differ by at most 1.
    for (const c of scenario.colleges) {
      const counts = breakout?.groups.map((g) => g.members.filter((m) => m.category === c.key).length) ?? [];
      expect(Math.max(...counts) - Math.min(...counts), c.key).toBeLessThanOrEqual(1);
    }
    // Each phone knows its table, the task and the round; it agrees with the console.
    for (const p of people) {
      const g = breakout?.groups.find((x) => x.members.some((m) => m.id === p.id));
      expect(p.group).toMatchObject({ id: g?.id, number: g?.number, task: 'Quelles priorités?', round: 1, rounds: 3, phase: 'groups' });
    }
    // The projector sees names and numbers, never profiles.
    const forRoom = projected.breakout;
    expect(forRoom?.groups.flatMap((g) => g.members).every((m) => m.category === undefined && m.territory === undefined)).toBe(true);
    expect(forRoom?.unassigned).toEqual([]);
    // Participants never receive the whole picture.
    expect(people.flatMap((p) => p.messages)).toEqual([]);
  }, 30_000);

  it('[GR-MESSAGE] a message to one group reaches exactly its members', async () => {
    await start();
    const target = people[0]?.group?.id ?? '';
    const members = people.filter((p) => p.group?.id === target);
    const others = people.filter((p) => p.group?.id !== target);
    const heard = new Set<string>();
    for (const p of people) p.socket.on('group:updated', ({ group }) => group?.message?.text === 'Encore 5 minutes' && heard.add(p.id));
    await must(ev.facilitator.socket, 'group:message', { eventId: ev.eventId, stepId, groupId: target, text: 'Encore 5 minutes' });
    await settle(members, (p) => heard.has(p.id));
    // Everything emitted before a later message to the whole room has reached every phone.
    await barrier(
      ev.facilitator.socket,
      ev.eventId,
      others.map((p) => p.socket),
    );
    expect(others.length).toBeGreaterThan(100);
    expect(others.filter((p) => heard.has(p.id))).toEqual([]);
    expect(members.every((p) => p.group?.message?.text === 'Encore 5 minutes')).toBe(true);
  });

  it('[GR-BOARD] a group board is written by its members and reaches them only; other groups are refused', async () => {
    await start();
    const g = people[0]?.group?.id ?? '';
    const doc = boardName({ eventId: ev.eventId, scope: { kind: 'group', groupId: g }, axis });
    const [a, b] = people.filter((p) => p.group?.id === g);
    const outsider = people.find((p) => p.group && p.group.id !== g);
    if (!a || !b || !outsider) throw new Error('groups too small');
    expect(await upgradeStatus(outsider.token, doc)).toBe(404);
    const pa = openBoardOf(a.token, doc);
    const pb = openBoardOf(b.token, doc);
    await Promise.all([pa.synced, pb.synced]);
    pa.cards.set('table-card-01', { id: 'table-card-01', text: 'Transport collectif rural', axis, colour: 'yellow' });
    await until(pb.ydoc, () => pb.cards.has('table-card-01'));
    // An axis the step does not open stays read-only for members.
    const closedAxis = openBoardOf(
      a.token,
      boardName({ eventId: ev.eventId, scope: { kind: 'group', groupId: g }, axis: scenario.axes[1]?.key ?? 'inclusion' }),
    );
    await closedAxis.synced;
    closedAxis.cards.set('closed-axis-1', { id: 'closed-axis-1', text: 'Non', axis: scenario.axes[1]?.key ?? 'inclusion', colour: 'yellow' });
    expect(await closedAxis.closed).toBe(1008);
    // The facilitator sees every group's board.
    const fac = openBoardOf(tokenOf(ev.created.links.facilitator), doc);
    await fac.synced;
    await until(fac.ydoc, () => fac.cards.has('table-card-01'));
  });

  it('[GR6] [GR5] hosts stay at their tables over world café rounds; people are re-mixed; late joiners and shared tablets are placed', async () => {
    await start();
    const first = people[0]?.group?.id ?? '';
    const host = people.find((p) => p.group && p.group.id !== first);
    if (!host) throw new Error('no host');
    await must(ev.facilitator.socket, 'group:host', { eventId: ev.eventId, stepId, groupId: first, participantId: host.id });
    await settle([host], (p) => p.group?.id === first && p.group.isHost);

    // A late joiner with a shared tablet: two people, one device key, one table.
    const deviceKey = 'tablette-partagee-0001';
    const guest = await h.client();
    const one = await must(guest, 'participant:join', { code: ev.code, displayName: 'Tablette A', deviceKey });
    const two = await must(guest, 'participant:join', { code: ev.code, displayName: 'Tablette B', deviceKey });
    guest.disconnect();
    const tablet = await h.member(two.token, [one.token]);
    expect(tablet.snapshot.group).not.toBeNull();
    const view = await must(ev.facilitator.socket, 'state:get', { eventId: ev.eventId });
    const tableOf = (id: string) => view.breakout?.groups.find((g) => g.members.some((m) => m.id === id))?.id;
    expect(tableOf(one.participantId)).toBeDefined();
    expect(tableOf(one.participantId)).toBe(tableOf(two.participantId));

    const before = new Map(people.map((p) => [p.id, p.group?.id]));
    const timer = next(host.socket, 'timer:updated', (t) => t.stepId === stepId);
    expect(await must(ev.facilitator.socket, 'breakout:round', { eventId: ev.eventId, stepId })).toEqual({ round: 2 });
    expect((await timer).timer.status).toBe('running');
    await settle(people, (p) => p.group?.round === 2);
    expect(host.group?.id).toBe(first);
    const moved = people.filter((p) => before.get(p.id) !== p.group?.id).length;
    expect(moved).toBeGreaterThan(100);
    const round2 = await must(ev.facilitator.socket, 'state:get', { eventId: ev.eventId });
    const tableNow = (id: string) => round2.breakout?.groups.find((g) => g.members.some((m) => m.id === id))?.id;
    expect(tableNow(one.participantId)).toBe(tableNow(two.participantId));

    await must(ev.facilitator.socket, 'breakout:round', { eventId: ev.eventId, stepId });
    expect(await send(ev.facilitator.socket, 'breakout:round', { eventId: ev.eventId, stepId })).toEqual({ ok: false, code: 'rounds_over' });
    tablet.socket.disconnect();
  });

  it('[GR8] the facilitator moves someone; a host reports a card back to the plenary; back to plenary closes group boards', async () => {
    await start();
    const mover = people[1];
    const target = people.find((p) => p.group && p.group.id !== mover?.group?.id)?.group?.id;
    if (!mover || !target) throw new Error('setup');
    await must(ev.facilitator.socket, 'group:move', { eventId: ev.eventId, stepId, participantId: mover.id, groupId: target });
    await settle([mover], (p) => p.group?.id === target);

    // A host of its own for this test, at the table of a third person.
    const host = people[2];
    const tableId = host?.group?.id;
    if (!host || !tableId) throw new Error('setup');
    await must(ev.facilitator.socket, 'group:host', { eventId: ev.eventId, stepId, groupId: tableId, participantId: host.id });
    await settle([host], (p) => p.group?.id === tableId && p.group.isHost);
    const state = await must(ev.facilitator.socket, 'state:get', { eventId: ev.eventId });
    const table = state.breakout?.groups.find((g) => g.id === tableId && g.hostId === host.id);
    if (!table) throw new Error('no host');
    const member = people.find((p) => p.group?.id === table.id && p.id !== host.id);
    if (!member) throw new Error('no member');
    const doc = boardName({ eventId: ev.eventId, scope: { kind: 'group', groupId: table.id }, axis });
    const board = openBoardOf(member.token, doc);
    await board.synced;
    board.cards.set('harvest-card1', { id: 'harvest-card1', text: 'Campagne régionale contre les préjugés', axis, colour: 'green' });
    await untilStored(h.db, doc, (cards) => cards.has('harvest-card1'));

    expect(await send(member.socket, 'board:promote', { eventId: ev.eventId, board: doc, cardId: 'harvest-card1' })).toEqual({ ok: false, code: 'forbidden' });
    const promoted = await must(host.socket, 'board:promote', { eventId: ev.eventId, board: doc, cardId: 'harvest-card1' });
    const plenary = boardName({ eventId: ev.eventId, scope: { kind: 'plenary' }, axis });
    expect(promoted.board).toBe(plenary);
    expect(promoted.card).toMatchObject({
      text: 'Campagne régionale contre les préjugés',
      axis,
      origin: { scope: `group-${table.id}`, axis, cardIds: ['harvest-card1'] },
    });
    // Once only: promoting again answers the same plenary card.
    const again = await must(ev.facilitator.socket, 'board:promote', { eventId: ev.eventId, board: doc, cardId: 'harvest-card1' });
    expect(again.card.id).toBe(promoted.card.id);
    const wall = openBoardOf(tokenOf(ev.created.links.projector), plenary);
    await wall.synced;
    await until(wall.ydoc, () => wall.cards.get(promoted.card.id)?.origin?.scope === `group-${table.id}`);
    await until(board.ydoc, () => board.cards.get('harvest-card1')?.promotedTo === promoted.card.id);

    await must(ev.facilitator.socket, 'group:done', { eventId: ev.eventId, stepId, groupId: table.id, done: true });
    const elsewhere = state.breakout?.groups.find((g) => g.id !== table.id)?.id ?? '';
    expect(await send(member.socket, 'group:done', { eventId: ev.eventId, stepId, groupId: elsewhere, done: true })).toEqual({
      ok: false,
      code: 'not_in_group',
    });

    // The harvest on the projector, one table at a time.
    const shown = next(ev.projector.socket, 'breakout:updated', (p) => p.breakout?.shownGroupId === table.id);
    await must(ev.facilitator.socket, 'breakout:show', { eventId: ev.eventId, stepId, groupId: table.id });
    expect((await shown).breakout?.groups.find((g) => g.id === table.id)?.done).toBe(true);
    expect(await send(ev.facilitator.socket, 'breakout:show', { eventId: ev.eventId, stepId, groupId: 'not-a-group-01' })).toEqual({
      ok: false,
      code: 'group_not_found',
    });

    await must(ev.facilitator.socket, 'breakout:phase', { eventId: ev.eventId, stepId, phase: 'plenary' });
    await settle(people, (p) => p.group?.phase === 'plenary');
    board.cards.set('too-late-01', { id: 'too-late-01', text: 'Trop tard', axis, colour: 'yellow' });
    expect(await board.closed).toBe(1008);
  });
});
