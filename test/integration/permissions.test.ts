import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_NAMES, type CommandInput, type CommandName } from '../../shared/protocol.ts';
import { createEventWithStaff, joinAs, smallSetup, tokenOf } from './fixtures.ts';
import { send, startHarness, type Harness, type TestSocket, databaseFingerprint } from './harness.ts';

type Role = 'guest' | 'participant' | 'projector' | 'cofacilitator' | 'facilitator';
const ROLES: Role[] = ['guest', 'participant', 'projector', 'cofacilitator', 'facilitator'];
const FACILITATORS: Role[] = ['facilitator', 'cofacilitator'];

/** Who may run each command: written out here, independently of the server's permission table. */
const allowed: Record<CommandName, Role[] | 'anyone'> = {
  'event:create': 'anyone',
  'event:lookup': 'anyone',
  'event:links': ['facilitator'],
  'event:rotate': ['facilitator'],
  'participant:join': 'anyone',
  'participant:rename': ['participant'],
  'participant:add': FACILITATORS,
  'profile:set': ['participant'],
  'state:get': ['participant', 'projector', 'cofacilitator', 'facilitator'],
  'step:add': FACILITATORS,
  'step:update': FACILITATORS,
  'step:remove': FACILITATORS,
  'step:move': FACILITATORS,
  'step:start': FACILITATORS,
  'timer:control': FACILITATORS,
  'message:send': FACILITATORS,
  'message:clear': FACILITATORS,
  'board:card:edit': ['participant'],
  'board:card:remove': ['participant'],
  'board:card:move': FACILITATORS,
  'board:promote': [...FACILITATORS, 'participant'],
  'board:project': FACILITATORS,
  'group:move': FACILITATORS,
  'group:host': FACILITATORS,
  'group:choose': ['participant'],
  'group:done': [...FACILITATORS, 'participant'],
  'group:message': FACILITATORS,
  'breakout:round': FACILITATORS,
  'breakout:phase': FACILITATORS,
  'breakout:show': FACILITATORS,
  'vote:item:add': FACILITATORS,
  'vote:item:update': FACILITATORS,
  'vote:item:remove': FACILITATORS,
  'vote:items:merge': FACILITATORS,
  'vote:import': FACILITATORS,
  'vote:configure': FACILITATORS,
  'vote:open': FACILITATORS,
  'vote:dot': ['participant'],
  'vote:close': FACILITATORS,
  'vote:paper': FACILITATORS,
  'vote:retain': FACILITATORS,
  'vote:runoff': FACILITATORS,
  'question:ask': ['participant'],
  'question:mine': ['participant'],
  'question:withdraw': ['participant'],
  'question:support': ['participant'],
  'question:moderate': FACILITATORS,
  'question:merge': FACILITATORS,
  'question:answer': FACILITATORS,
  'questions:configure': FACILITATORS,
  'faq:create': FACILITATORS,
  'faq:update': FACILITATORS,
  'faq:remove': FACILITATORS,
  'faq:public': 'anyone',
  'evaluation:configure': FACILITATORS,
  'evaluation:answer': ['participant'],
  'evaluation:status': FACILITATORS,
  'evaluation:moderate': FACILITATORS,
  'event:retention': ['facilitator'],
  'event:purge': ['facilitator'],
};

let h: Harness;
let a: Awaited<ReturnType<typeof createEventWithStaff>>;
let b: Awaited<ReturnType<typeof createEventWithStaff>>;
let socketsA: Record<Role, TestSocket>;
let socketsB: Record<Role, TestSocket>;

function payloads(ev: typeof a): { [N in CommandName]: CommandInput<N> } {
  const eventId = ev.eventId;
  const stepId = ev.facilitator.snapshot.steps?.[0]?.id ?? '';
  const board = `board:${eventId}:plenary:approche-systemique`;
  const cardToken = 'tok_0123456789abcdefghij';
  return {
    'event:create': smallSetup,
    'event:lookup': { code: ev.code },
    'event:links': { eventId },
    'event:rotate': { eventId, link: 'projector' },
    'participant:join': { code: ev.code },
    'participant:rename': { eventId, displayName: 'Intrus' },
    'participant:add': { eventId, displayName: 'Intrus' },
    'profile:set': { eventId, consent: true, profile: { territory: 'Kamouraska' } },
    'state:get': { eventId },
    'step:add': { eventId, step: { kind: 'plenary', title: 'Intrus' } },
    'step:update': { eventId, stepId, changes: { title: 'Intrus' } },
    'step:remove': { eventId, stepId },
    'step:move': { eventId, stepId, toIndex: 2 },
    'step:start': { eventId, stepId },
    'timer:control': { eventId, stepId, action: { kind: 'start' } },
    'message:send': { eventId, text: 'Intrus' },
    'message:clear': { eventId },
    'board:card:edit': { eventId, board, cardId: 'card-00000001', cardToken, changes: { text: 'Intrus' } },
    'board:card:remove': { eventId, board, cardId: 'card-00000001', cardToken },
    'board:card:move': { eventId, board, cardId: 'card-00000001', toAxis: 'approche-systemique' },
    'board:promote': { eventId, board, cardId: 'card-00000001' },
    'board:project': { eventId, axis: 'approche-systemique' },
    'group:move': { eventId, stepId, participantId: 'intrus-000001', groupId: 'groupe-000001' },
    'group:host': { eventId, stepId, groupId: 'groupe-000001', participantId: null },
    'group:choose': { eventId, stepId, groupId: 'groupe-000001' },
    'group:done': { eventId, stepId, groupId: 'groupe-000001', done: true },
    'group:message': { eventId, stepId, groupId: 'groupe-000001', text: 'Intrus' },
    'breakout:round': { eventId, stepId },
    'breakout:phase': { eventId, stepId, phase: 'plenary' },
    'breakout:show': { eventId, stepId, groupId: null },
    'vote:item:add': { eventId, stepId, text: 'Intrus' },
    'vote:item:update': { eventId, stepId, itemId: 'item-000001', text: 'Intrus' },
    'vote:item:remove': { eventId, stepId, itemId: 'item-000001' },
    'vote:items:merge': { eventId, stepId, keepId: 'item-000001', mergeIds: ['item-000002'] },
    'vote:import': { eventId, stepId, from: 'cards' },
    'vote:configure': { eventId, stepId, changes: { cap: 2 } },
    'vote:open': { eventId, stepId },
    'vote:dot': { eventId, stepId, itemId: 'item-000001', delta: 1 },
    'vote:close': { eventId, stepId },
    'vote:paper': { eventId, stepId, itemId: 'item-000001', category: null, count: 3 },
    'vote:retain': { eventId, stepId, itemId: 'item-000001', retained: true },
    'vote:runoff': { eventId, stepId, top: 3 },
    'question:ask': { eventId, text: 'Intrus?', ownerToken: 'owner-0123456789abcdef' },
    'question:mine': { eventId, ownerTokens: ['owner-0123456789abcdef'] },
    'question:withdraw': { eventId, questionId: 'question-0001', ownerToken: 'owner-0123456789abcdef' },
    'question:support': { eventId, questionId: 'question-0001', support: true },
    'question:moderate': { eventId, questionId: 'question-0001', action: { kind: 'hide', reason: 'other' } },
    'question:merge': { eventId, keepId: 'question-0001', mergeIds: ['question-0002'] },
    'question:answer': { eventId, questionId: 'question-0001', changes: { answer: 'Intrus' } },
    'questions:configure': { eventId, changes: { anyTime: true } },
    'faq:create': { eventId, questionId: 'question-0001' },
    'faq:update': { eventId, entryId: 'entry-000001', changes: { status: 'published' } },
    'faq:remove': { eventId, entryId: 'entry-000001' },
    'faq:public': { faqId: 'faq-00000001' },
    'evaluation:configure': { eventId, stepId, items: [{ id: 'q', kind: 'scale', text: 'Intrus' }] },
    'evaluation:answer': { eventId, stepId, answers: { useful: 5 } },
    'evaluation:status': { eventId, stepId, open: false },
    'evaluation:moderate': { eventId, stepId, commentId: 'comment-0001', status: 'hidden' },
    'event:retention': { eventId, purgeOn: '2099-01-01' },
    'event:purge': { eventId, confirm: ev.code },
  };
}

async function sockets(ev: typeof a): Promise<Record<Role, TestSocket>> {
  return {
    guest: await h.client(),
    participant: (await joinAs(h, ev.code)).socket,
    projector: ev.projector.socket,
    cofacilitator: ev.cofacilitator.socket,
    facilitator: ev.facilitator.socket,
  };
}

function fingerprint(): string {
  return databaseFingerprint(h.db);
}

beforeAll(async () => {
  h = await startHarness();
  a = await createEventWithStaff(h);
  b = await createEventWithStaff(h);
  socketsA = await sockets(a);
  socketsB = await sockets(b);
});
afterAll(async () => {
  await h.close();
});

describe('[PM1] every command is denied to the roles it is not for, and changes nothing', () => {
  it('covers the whole protocol', () => {
    expect(Object.keys(allowed).sort()).toEqual([...COMMAND_NAMES].sort());
  });

  for (const name of COMMAND_NAMES) {
    const rule = allowed[name];
    if (rule === 'anyone') continue;
    for (const role of ROLES.filter((r) => !rule.includes(r))) {
      it(`${name}: ${role} → forbidden`, async () => {
        const before = fingerprint();
        const payload = payloads(a)[name];
        expect(await send(socketsA[role], name, payload as never)).toEqual({ ok: false, code: 'forbidden' });
        expect(fingerprint()).toBe(before);
      });
    }
  }
});

describe('[PM2] nobody acts on another event, whatever their role there', () => {
  for (const name of COMMAND_NAMES) {
    const rule = allowed[name];
    if (rule === 'anyone') continue;
    for (const role of rule) {
      it(`${name}: ${role} of another event → forbidden`, async () => {
        const before = fingerprint();
        expect(await send(socketsB[role], name, payloads(a)[name] as never)).toEqual({ ok: false, code: 'forbidden' });
        expect(fingerprint()).toBe(before);
      });
    }
  }
});

describe('[PM3] malformed payloads are refused with invalid_payload and change nothing', () => {
  const junk: unknown[] = [null, 42, 'x', [], { eventId: 'x' }, { eventId: '../../etc', stepId: {} }];
  for (const name of COMMAND_NAMES) {
    it(name, async () => {
      const role: Role = allowed[name] === 'anyone' ? 'guest' : ((allowed[name] as Role[])[0] ?? 'guest');
      // A fresh socket: the per-connection rate limit must not be what answers here.
      const socket =
        role === 'guest'
          ? await h.client()
          : role === 'participant'
            ? (await joinAs(h, a.code)).socket
            : (await h.member(tokenOf(a.created.links[role]))).socket;
      const before = fingerprint();
      for (const bad of junk) {
        const ack = await send(socket, name, bad as never);
        // The payload is parsed before anything else: the role allowed to run the command gets this one code.
        expect(ack, JSON.stringify(bad)).toEqual({ ok: false, code: 'invalid_payload' });
      }
      expect(fingerprint()).toBe(before);
    });
  }
});

describe('[RL1] a flood of commands from one connection is slowed down', () => {
  it('answers rate_limited once the budget is spent', async () => {
    const socket = await h.client();
    const acks = await Promise.all(Array.from({ length: 120 }, () => send(socket, 'event:lookup', { code: a.code })));
    expect(acks.filter((x) => x.ok).length).toBeGreaterThan(20);
    expect(acks.some((x) => !x.ok && x.code === 'rate_limited')).toBe(true);
  });
});
