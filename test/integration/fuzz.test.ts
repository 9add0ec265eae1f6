import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { boardName, parseBoardName } from '../../shared/domain/boards.ts';
import { ERROR_CODES } from '../../shared/domain/errors.ts';
import { COMMAND_NAMES, commands, type CommandName } from '../../shared/protocol.ts';
import { createEventWithStaff, joinAs, tokenOf } from './fixtures.ts';
import { send, startHarness, type Harness, type TestSocket, databaseFingerprint } from './harness.ts';
import { openBoard, until } from './yjs.ts';

/**
 * [FZ] Thousands of malformed, oversized, wrong-typed and out-of-order payloads to every command,
 * and malformed Yjs messages: the server stays up, memory stays bounded, nothing changes, and every
 * command is answered with an error.
 */
let h: Harness;
let ev: Awaited<ReturnType<typeof createEventWithStaff>>;

beforeAll(async () => {
  h = await startHarness();
  ev = await createEventWithStaff(h);
});
afterAll(async () => {
  await h.close();
});

const fingerprint = () => databaseFingerprint(h.db);

/** A seeded generator, so that a failure can be replayed. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function junk(rand: () => number, depth = 0): unknown {
  const pick = Math.floor(rand() * 12);
  switch (pick) {
    case 0:
      return null;
    case 1:
      return rand() * 1e12 - 5e11;
    case 2:
      return Math.floor(rand() * 10) - 5;
    case 3:
      return 'x'.repeat(Math.floor(rand() * 3000));
    case 4:
      return '\u0000\uFFFF<script>{{}}' + String(rand());
    case 5:
      return rand() < 0.5;
    case 6:
      return depth > 3 ? [] : Array.from({ length: Math.floor(rand() * 4) }, () => junk(rand, depth + 1));
    case 7:
      return depth > 3 ? {} : Object.fromEntries(Array.from({ length: Math.floor(rand() * 4) }, (_, i) => [`k${i}`, junk(rand, depth + 1)]));
    case 8:
      return { __proto__: { polluted: true }, constructor: { prototype: { polluted: true } } };
    case 9:
      return 'é'.repeat(Math.floor(rand() * 60_000));
    case 10:
      return Number.NaN;
    default:
      return [[[[[['deep']]]]]];
  }
}

/** A payload the command's own schema refuses: random, or a plausible one with a field broken. */
function malformed(name: CommandName, rand: () => number): unknown {
  const base: Record<string, unknown> = { eventId: ev.eventId, stepId: ev.facilitator.snapshot.steps?.[0]?.id, cid: `fz-${Math.floor(rand() * 1e9)}-abcdef` };
  for (let attempt = 0; attempt < 50; attempt++) {
    const candidate =
      rand() < 0.3
        ? junk(rand)
        : { ...base, [['eventId', 'stepId', 'text', 'changes', 'items', 'answers', 'questionId', 'cid', 'extra'][Math.floor(rand() * 9)] ?? 'x']: junk(rand) };
    if (!commands[name].payload.safeParse(candidate).success) return candidate;
  }
  return 42;
}

describe('[FZ] hostile input', () => {
  it('every command answers malformed payloads with an error, from every role, and nothing changes', async () => {
    const rand = prng(20261203);
    const before = fingerprint();
    const rssBefore = process.memoryUsage().rss;
    const codes = new Map<string, number>();
    // Fresh sockets (and a fresh participant) every few commands: the point is validation, not the rate limit.
    let facilitator: TestSocket | null = null;
    let participant: TestSocket | null = null;
    let guest: TestSocket | null = null;
    for (let round = 0; round < 50; round++) {
      facilitator?.disconnect();
      participant?.disconnect();
      guest?.disconnect();
      facilitator = (await h.member(tokenOf(ev.created.links.facilitator))).socket;
      participant = (await joinAs(h, ev.code)).socket;
      guest = await h.client();
      const batch = COMMAND_NAMES.flatMap((name) => [facilitator, participant, guest].map((socket) => ({ name, socket, payload: malformed(name, rand) })));
      const acks = await Promise.all(batch.map((b) => send(b.socket as TestSocket, b.name, b.payload as never)));
      for (const [i, ack] of acks.entries()) {
        expect(ack.ok, `${batch[i]?.name} ${JSON.stringify(batch[i]?.payload)?.slice(0, 120)}`).toBe(false);
        if (!ack.ok) codes.set(ack.code, (codes.get(ack.code) ?? 0) + 1);
      }
    }
    // Each answer is a known code; none is a crash (internal) nor the rate limit standing in for validation.
    expect([...codes.keys()].filter((c) => !(ERROR_CODES as readonly string[]).includes(c))).toEqual([]);
    expect(codes.get('internal')).toBeUndefined();
    expect(codes.get('rate_limited')).toBeUndefined();
    expect(codes.get('invalid_payload')).toBeGreaterThan(1000);
    // Participants joined (that is a change); nothing else did.
    h.db.prepare('DELETE FROM participants WHERE event_id = ? AND display_name IS NULL').run(ev.eventId);
    expect(fingerprint()).toBe(before);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(300 * 1024 * 1024);
    // Still up and answering.
    expect((await send(ev.facilitator.socket, 'state:get', { eventId: ev.eventId })).ok).toBe(true);
  }, 120_000);

  it('commands out of order are refused with their own error and change nothing', async () => {
    const f = ev.facilitator.socket;
    const p = (await joinAs(h, ev.code)).socket;
    const steps = ev.facilitator.snapshot.steps ?? [];
    const vote = steps.find((s) => s.kind === 'vote')?.id ?? '';
    const questionsStep = steps.find((s) => s.kind === 'questions')?.id ?? '';
    const before = fingerprint();
    const acks = await Promise.all([
      send(p, 'vote:dot', { eventId: ev.eventId, stepId: vote, itemId: 'item-000001', delta: 1 }),
      send(f, 'vote:close', { eventId: ev.eventId, stepId: vote }),
      send(f, 'vote:retain', { eventId: ev.eventId, stepId: vote, itemId: 'item-000001', retained: true }),
      send(f, 'vote:runoff', { eventId: ev.eventId, stepId: vote, top: 2 }),
      send(f, 'breakout:round', { eventId: ev.eventId, stepId: questionsStep }),
      send(p, 'group:choose', { eventId: ev.eventId, stepId: questionsStep, groupId: 'group-000001' }),
      send(f, 'timer:control', { eventId: ev.eventId, stepId: vote, action: { kind: 'pause' } }),
      send(p, 'question:ask', { eventId: ev.eventId, text: 'Trop tôt?', ownerToken: 'owner-token-fuzz-000001' }),
      send(f, 'faq:update', { eventId: ev.eventId, entryId: 'entry-000001', changes: { status: 'published' } }),
      send(p, 'evaluation:answer', { eventId: ev.eventId, stepId: vote, answers: { useful: 5 } }),
      send(f, 'question:merge', { eventId: ev.eventId, keepId: 'question-0001', mergeIds: ['question-0002'] }),
      send(p, 'board:card:edit', {
        eventId: ev.eventId,
        board: boardName({ eventId: ev.eventId, scope: { kind: 'plenary' }, axis: 'approche-systemique' }),
        cardId: 'card-00000001',
        cardToken: 'tok_0123456789abcdefghij',
        changes: { text: 'x' },
      }),
    ]);
    for (const ack of acks) expect(ack.ok).toBe(false);
    expect(fingerprint()).toBe(before);
  });

  it('malformed Yjs messages are dropped; the board and the server are unharmed', async () => {
    const axis = ev.created.event.axes[0]?.key ?? '';
    const doc = boardName({ eventId: ev.eventId, scope: { kind: 'plenary' }, axis });
    const token = tokenOf(ev.created.links.facilitator);
    // What the board holds, as the server reads it back from its store.
    const address = parseBoardName(doc);
    if (!address) throw new Error('board name');
    const stored = () => {
      const content = h.app.boards.read(doc, { address, role: 'facilitator', participantId: null });
      return JSON.stringify({ cards: [...content.cards.entries()], clusters: [...content.clusters.entries()], rest: content.rest });
    };
    const before = stored();
    const rand = prng(7);
    const messages: Uint8Array[] = [];
    for (let i = 0; i < 400; i++) {
      const e = encoding.createEncoder();
      const shape = i % 5;
      if (shape === 0) {
        messages.push(new Uint8Array(Array.from({ length: Math.floor(rand() * 64) }, () => Math.floor(rand() * 256))));
        continue;
      }
      encoding.writeVarUint(e, shape === 1 ? 0 : Math.floor(rand() * 10));
      encoding.writeVarUint(e, Math.floor(rand() * 4));
      if (shape === 2) encoding.writeVarUint(e, 2 ** 31);
      else if (shape === 3) encoding.writeVarUint8Array(e, new Uint8Array(Array.from({ length: Math.floor(rand() * 300) }, () => Math.floor(rand() * 256))));
      else encoding.writeVarString(e, 'x'.repeat(Math.floor(rand() * 1000)));
      messages.push(encoding.toUint8Array(e));
    }
    // One connection per message, then a sync request: the server answers it only once it has
    // handled the message before it (one connection's messages are handled in order), or it has
    // closed the connection over that message.
    const barrier = encoding.createEncoder();
    encoding.writeVarUint(barrier, 0); // sync
    encoding.writeVarUint(barrier, 0); // step 1
    encoding.writeVarUint8Array(barrier, Y.encodeStateVector(new Y.Doc()));
    const outcome = (message: Uint8Array | null) =>
      new Promise<string>((resolve, reject) => {
        const ws = new WebSocket(`${h.url.replace('http', 'ws')}/yjs/${encodeURIComponent(doc)}?token=${token}`);
        ws.once('error', reject);
        ws.once('close', (code) => resolve(`closed ${code}`));
        ws.on('message', (data: Buffer) => {
          // Sync step 2: the answer to the request sent after the message.
          if (data[0] === 0 && data[1] === 1) {
            resolve('answered');
            ws.terminate();
          }
        });
        ws.once('open', () => {
          if (message) ws.send(message);
          ws.send(encoding.toUint8Array(barrier));
        });
      });
    const outcomes: string[] = [];
    for (let start = 0; start < messages.length; start += 25) outcomes.push(...(await Promise.all(messages.slice(start, start + 25).map(outcome))));
    // The positive control: a connection without a malformed message is answered.
    expect(await outcome(null)).toBe('answered');
    // Every message was handled: dropped (the connection goes on) or refused with 1008 (policy).
    expect(
      outcomes.every((o) => o === 'answered' || o === 'closed 1008'),
      [...new Set(outcomes)].join(', '),
    ).toBe(true);
    expect(outcomes.filter((o) => o === 'closed 1008').length).toBeGreaterThan(100);
    // An oversized message closes that connection only.
    const big = new WebSocket(`${h.url.replace('http', 'ws')}/yjs/${encodeURIComponent(doc)}?token=${token}`);
    await new Promise<void>((resolve) => big.once('open', () => resolve()));
    const closed = new Promise<number>((resolve) => big.once('close', (code) => resolve(code)));
    big.send(new Uint8Array(200 * 1024));
    expect(await closed).toBe(1009);
    expect(stored()).toBe(before);
    // A real client still syncs and writes.
    const client = openBoard(h.url, token, doc);
    await client.synced;
    client.cards.set('after-fuzz-1', { id: 'after-fuzz-1', text: 'Toujours là', axis, colour: 'yellow' });
    const other = openBoard(h.url, token, doc);
    await other.synced;
    await until(other.ydoc, () => other.cards.has('after-fuzz-1'));
    client.provider.destroy();
    other.provider.destroy();
  });
});
