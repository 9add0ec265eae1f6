/**
 * [AUD] What each audience may be sent, as a table: for every effect a handler can produce, the
 * events each audience receives (server/audiences.ts), read from a real event's committed state,
 * and what must never be in them: tallies of a hidden vote, questions not on view, FAQ drafts,
 * anyone's profile next to their name, live evaluation results.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messagesFor, type Audience, type Message } from '../../server/audiences.ts';
import type { Effect } from '../../server/effects.ts';
import { createEventWithStaff, joinAs } from './fixtures.ts';
import { must, startHarness, type Harness } from './harness.ts';

let h: Harness;
let dir: string;
let state: Awaited<ReturnType<typeof forum>>;

async function forum() {
  const ev = await createEventWithStaff(h);
  const eventId = ev.eventId;
  const fac = ev.facilitator.socket;
  const people = [];
  for (let i = 0; i < 6; i++) {
    const p = await joinAs(h, ev.code, `Personne ${i}`);
    await must(p.socket, 'profile:set', { eventId, consent: true, profile: { category: i % 2 ? 'citoyen' : 'communautaire', territory: 'Kamouraska' } });
    people.push(p);
  }
  // A hidden vote, open, with dots: nobody but facilitators may see a count.
  const voteStep = await must(fac, 'step:add', { eventId, step: { kind: 'vote', title: 'Priorités' } });
  const vote = { eventId, stepId: voteStep.id };
  const items = [];
  for (const text of ['Transport', 'Logement', 'Alimentation']) items.push(await must(fac, 'vote:item:add', { ...vote, text }));
  await must(fac, 'step:start', { eventId, stepId: voteStep.id });
  await must(fac, 'vote:open', vote);
  for (const p of people) await must(p.socket, 'vote:dot', { ...vote, itemId: items[0]?.id ?? '', delta: 1 });
  // Questions: one on view, one hidden for personal data; an FAQ draft and a published entry.
  await must(fac, 'questions:configure', { eventId, changes: { anyTime: true } });
  const asker = people[0]?.socket;
  if (!asker) throw new Error('no participant');
  const shown = (await must(asker, 'question:ask', { eventId, text: 'Comment venir en autobus?', ownerToken: 'owner-token-aaaaaaaa-0001' })).question;
  const hidden = (await must(asker, 'question:ask', { eventId, text: 'Appelez Jean au 418-555-0101', ownerToken: 'owner-token-aaaaaaaa-0002' })).question;
  await must(fac, 'question:moderate', { eventId, questionId: hidden.id, action: { kind: 'hide', reason: 'personal-data' } });
  const draft = await must(fac, 'faq:create', { eventId, questionId: shown.id });
  const published = await must(fac, 'faq:create', { eventId, questionId: shown.id });
  await must(fac, 'faq:update', { eventId, entryId: published.id, changes: { status: 'published', answer: 'La ligne 2.' } });
  return { ev, eventId, people, vote, items, shown, hidden, draft, published };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'concerto-audiences-'));
  h = await startHarness({ dbFile: join(dir, 'concerto.db') });
  state = await forum();
}, 60_000);

afterAll(async () => {
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

const AUDIENCES: Audience[] = ['staff', 'projector', 'participants', 'person', 'public'];

function byAudience(messages: Message[]): Record<Audience, string[]> {
  const out = Object.fromEntries(AUDIENCES.map((a) => [a, [] as string[]])) as Record<Audience, string[]>;
  for (const m of messages) for (const a of m.to) out[a].push(m.event);
  return out;
}

function sent(effect: Effect): Message[] {
  return messagesFor(h.app.services, effect, h.clock.now());
}

/** What reaches screens other than the facilitators'. */
function roomPayloads(messages: Message[]): unknown[] {
  return messages.filter((m) => m.to.some((a) => a !== 'staff')).map((m) => m.payload);
}

describe('[AUD] effect × audience → what may be sent', () => {
  it('[AUD-TABLE] each effect reaches exactly the audiences of the table', () => {
    const { eventId, vote, shown, people } = state;
    const participantId = people[0]?.joined.participantId ?? '';
    const none: string[] = [];
    const rows: [Effect, Partial<Record<Audience, string[]>>][] = [
      [{ type: 'runSheetChanged', eventId }, { staff: ['runsheet:updated'] }],
      [
        { type: 'currentStepChanged', eventId },
        { staff: ['step:started'], projector: ['step:started'], participants: ['step:started'] },
      ],
      [
        { type: 'timerChanged', eventId, stepId: vote.stepId, timer: { status: 'idle', durationMs: 60_000 } },
        { staff: ['timer:updated'], projector: ['timer:updated'], participants: ['timer:updated'] },
      ],
      [
        { type: 'messageChanged', eventId, message: null },
        { staff: ['message:sent'], projector: ['message:sent'], participants: ['message:sent'] },
      ],
      [{ type: 'meChanged', eventId, participantId }, { person: ['me:updated'] }],
      [{ type: 'rosterChanged', eventId }, { staff: ['roster:updated'] }],
      [
        { type: 'projectedAxisChanged', eventId, axis: null },
        { staff: ['board:projected'], projector: ['board:projected'], participants: ['board:projected'] },
      ],
      [
        { type: 'groupsChanged', eventId },
        { staff: ['breakout:updated'], projector: ['breakout:updated'] },
      ],
      [
        { type: 'voteChanged', eventId, stepId: vote.stepId },
        { staff: ['vote:updated'], projector: ['vote:updated'], participants: ['vote:updated'] },
      ],
      [{ type: 'talliesDue', eventId, stepId: vote.stepId }, { staff: ['vote:tally'] }],
      [
        { type: 'questionChanged', eventId, questionId: shown.id },
        { staff: ['question:updated'], projector: ['question:updated'], participants: ['question:updated'] },
      ],
      [{ type: 'questionChanged', eventId, questionId: shown.id, supportOnly: true }, {}],
      [
        { type: 'questionSettingsChanged', eventId },
        { staff: ['questions:settings'], projector: ['questions:settings'], participants: ['questions:settings'] },
      ],
      [
        { type: 'faqChanged', eventId },
        { staff: ['faq:updated'], projector: ['faq:updated'], participants: ['faq:updated'], public: ['faq:updated'] },
      ],
      [
        { type: 'retentionChanged', eventId },
        { staff: ['retention:updated'], projector: ['retention:updated'], participants: ['retention:updated'] },
      ],
      [
        { type: 'presenceDue', eventId, connected: 6 },
        { staff: ['presence:updated'], projector: ['presence:updated'] },
      ],
      [{ type: 'presenceChanged', eventId }, {}],
      [{ type: 'callerFollowsFaq', eventId }, {}],
    ];
    for (const [effect, expected] of rows) {
      const got = byAudience(sent(effect));
      for (const a of AUDIENCES)
        expect({ effect: effect.type, audience: a, events: got[a] }).toEqual({ effect: effect.type, audience: a, events: expected[a] ?? none });
    }
  });

  it('[AUD-VOTE] a hidden vote: facilitators see the tallies, the projector and phones nothing of them', () => {
    const messages = sent({ type: 'voteChanged', eventId: state.eventId, stepId: state.vote.stepId });
    const staff = messages.find((m) => m.to.includes('staff'));
    expect(staff?.event === 'vote:updated' && staff.payload.vote?.tallies?.find((t) => t.itemId === state.items[0]?.id)?.dots).toBe(6);
    for (const payload of roomPayloads(messages))
      expect(payload).toMatchObject({ vote: { tallies: null, voters: null, ranking: null, byCategory: null, byTerritory: null } });
    expect(roomPayloads(sent({ type: 'talliesDue', eventId: state.eventId, stepId: state.vote.stepId }))).toEqual([]);
  });

  it('[AUD-QUESTION] a hidden question reaches facilitators only; the room is told to drop it', () => {
    const messages = sent({ type: 'questionChanged', eventId: state.eventId, questionId: state.hidden.id });
    expect(messages.find((m) => m.to.includes('staff'))?.payload).toMatchObject({ question: { id: state.hidden.id, status: 'hidden' } });
    for (const payload of roomPayloads(messages)) expect(payload).toEqual({ questionId: state.hidden.id, question: null, hidden: { 'personal-data': 1 } });
    expect(JSON.stringify(roomPayloads(messages))).not.toContain('418-555');
  });

  it('[AUD-FAQ] FAQ drafts never leave the facilitators', () => {
    const messages = sent({ type: 'faqChanged', eventId: state.eventId });
    const staff = messages.find((m) => m.to.includes('staff'));
    expect(staff?.event === 'faq:updated' && staff.payload.entries.map((e) => e.id).sort()).toEqual([state.draft.id, state.published.id].sort());
    for (const payload of roomPayloads(messages))
      expect(payload).toEqual({ entries: [expect.objectContaining({ id: state.published.id, status: 'published' })] });
  });

  it('[AUD-PRESENCE] the projector gets counts only; categories with fewer than 5 people are suppressed for facilitators', () => {
    const messages = sent({ type: 'presenceDue', eventId: state.eventId, connected: 6 });
    const projector = messages.find((m) => m.to.includes('projector'));
    expect(projector?.payload).toEqual({ connected: 6, joined: 6 });
    const staff = messages.find((m) => m.to.includes('staff'));
    expect(JSON.stringify(staff?.payload)).not.toMatch(/"count":\s*[1-4]\b/);
  });

  it('[AUD-PERSON] a person’s own name and dots go to their own screens, never to a room', () => {
    const participantId = state.people[1]?.joined.participantId ?? '';
    for (const effect of [
      { type: 'meChanged', eventId: state.eventId, participantId },
      {
        type: 'dotsChanged',
        eventId: state.eventId,
        stepId: state.vote.stepId,
        participantId,
        mine: { stepId: state.vote.stepId, dots: {}, left: 1, order: [] },
      },
    ] satisfies Effect[]) {
      for (const m of sent(effect)) {
        expect(m.to).toEqual(['person']);
        expect(m.participantId).toBe(participantId);
      }
    }
  });
});
