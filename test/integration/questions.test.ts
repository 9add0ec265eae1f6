import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventWithStaff, joinAs, smallSetup } from './fixtures.ts';
import { must, next, send, startHarness, type Harness } from './harness.ts';

let h: Harness;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'concerto-questions-'));
  h = await startHarness({ dbFile: join(dir, 'concerto.db') });
});

afterAll(async () => {
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

let tokens = 0;
const ownerToken = () => `owner-${String(++tokens).padStart(4, '0')}-0123456789abcdef`;

/** An event whose current step is its questions step. */
async function questionsEvent(setup = smallSetup) {
  const ev = await createEventWithStaff(h, setup);
  const step = ev.facilitator.snapshot.steps?.find((s) => s.kind === 'questions');
  await must(ev.facilitator.socket, 'step:start', { eventId: ev.eventId, stepId: step?.id ?? null });
  return ev;
}

describe('[QU] anonymous questions with real clients', () => {
  it('[QU-OPEN] people ask during a questions step, or at any time once allowed', async () => {
    const ev = await createEventWithStaff(h);
    const p = await joinAs(h, ev.code);
    const ask = { eventId: ev.eventId, text: 'Quand aurons-nous les documents?', ownerToken: ownerToken() };
    expect(await send(p.socket, 'question:ask', ask)).toEqual({ ok: false, code: 'questions_closed' });
    expect(h.db.prepare('SELECT count(*) AS n FROM questions WHERE event_id = ?').get(ev.eventId)).toEqual({ n: 0 });
    await must(ev.facilitator.socket, 'questions:configure', { eventId: ev.eventId, changes: { anyTime: true } });
    const { question } = await must(p.socket, 'question:ask', ask);
    expect(question).toMatchObject({ text: ask.text, status: 'visible', supports: 0, name: null });
    expect(await send(p.socket, 'question:ask', { ...ask, text: '' })).toEqual({ ok: false, code: 'invalid_payload' });
    expect(await send(p.socket, 'question:ask', { ...ask, text: 'x'.repeat(501) })).toEqual({ ok: false, code: 'invalid_payload' });
    expect(await send(p.socket, 'question:ask', { ...ask, named: true })).toEqual({ ok: false, code: 'named_not_allowed' });
  });

  it('[QU-NAMED] a name is stored only where the event allows it and the person signs', async () => {
    const ev = await questionsEvent({ ...smallSetup, allowNamedContributions: true });
    const p = await joinAs(h, ev.code, 'Mireille');
    const anonymous = await must(p.socket, 'question:ask', { eventId: ev.eventId, text: 'Question anonyme?', ownerToken: ownerToken() });
    const signed = await must(p.socket, 'question:ask', { eventId: ev.eventId, text: 'Question signée?', ownerToken: ownerToken(), named: true });
    expect(anonymous.question.name).toBeNull();
    expect(signed.question.name).toBe('Mireille');
  });

  it('[QU-MODERATION] pre-moderated questions reach the room only once approved; hidden ones are counted by reason', async () => {
    const ev = await questionsEvent();
    await must(ev.facilitator.socket, 'questions:configure', { eventId: ev.eventId, changes: { preModeration: true } });
    const p = await joinAs(h, ev.code);
    const other = await joinAs(h, ev.code);
    const staffHears = next(ev.cofacilitator.socket, 'question:updated');
    const roomHears = next(other.socket, 'question:updated');
    const token = ownerToken();
    const { question } = await must(p.socket, 'question:ask', { eventId: ev.eventId, text: 'Qui siège à la Table régionale?', ownerToken: token });
    expect(question.status).toBe('pending');
    expect((await staffHears).question?.text).toBe('Qui siège à la Table régionale?');
    expect((await roomHears).question).toBeNull();
    // A fresh snapshot of the room does not hold it either; the facilitators' does.
    expect((await joinAs(h, ev.code)).snapshot.questions.questions).toEqual([]);
    expect((await h.member(ev.created.links.cofacilitator.split('#')[1] ?? '')).snapshot.questions.questions.map((q) => q.id)).toEqual([question.id]);

    // The asker follows it through their own token.
    expect((await must(p.socket, 'question:mine', { eventId: ev.eventId, ownerTokens: [token] })).questions.map((q) => q.status)).toEqual(['pending']);

    const shown = next(other.socket, 'question:updated', (e) => e.question !== null);
    await must(ev.facilitator.socket, 'question:moderate', { eventId: ev.eventId, questionId: question.id, action: { kind: 'approve' } });
    expect((await shown).question?.id).toBe(question.id);

    const hidden = next(other.socket, 'question:updated', (e) => e.question === null);
    await must(ev.facilitator.socket, 'question:moderate', { eventId: ev.eventId, questionId: question.id, action: { kind: 'hide', reason: 'off-topic' } });
    expect((await hidden).hidden).toEqual({ 'off-topic': 1 });
    expect((await joinAs(h, ev.code)).snapshot.questions.hidden).toEqual({ 'off-topic': 1 });
    const log = h.db.prepare('SELECT action, reason, at FROM question_log WHERE question_id = ? ORDER BY id').all(question.id) as {
      action: string;
      reason: string | null;
      at: number;
    }[];
    expect(log.map((l) => [l.action, l.reason])).toEqual([
      ['approve', null],
      ['hide', 'off-topic'],
    ]);
    expect(log.every((l) => l.at % (5 * 60_000) === 0)).toBe(true);

    await must(ev.facilitator.socket, 'question:moderate', { eventId: ev.eventId, questionId: question.id, action: { kind: 'restore' } });
    expect((await joinAs(h, ev.code)).snapshot.questions).toMatchObject({ hidden: {}, questions: [{ id: question.id, status: 'visible' }] });
  });

  it('[QU-MINE] only the asking device can withdraw its question', async () => {
    const ev = await questionsEvent();
    const p = await joinAs(h, ev.code);
    const token = ownerToken();
    const { question } = await must(p.socket, 'question:ask', { eventId: ev.eventId, text: 'Où trouver les documents?', ownerToken: token });
    const other = await joinAs(h, ev.code);
    expect(await send(other.socket, 'question:withdraw', { eventId: ev.eventId, questionId: question.id, ownerToken: ownerToken() })).toEqual({
      ok: false,
      code: 'question_not_yours',
    });
    await must(p.socket, 'question:withdraw', { eventId: ev.eventId, questionId: question.id, ownerToken: token });
    expect((await joinAs(h, ev.code)).snapshot.questions.questions).toEqual([]);
  });

  it('[QU-RECEIPT] a retried question with the same command id is stored once', async () => {
    const ev = await questionsEvent();
    const p = await joinAs(h, ev.code);
    const ask = { eventId: ev.eventId, text: 'Combien pour chaque MRC?', ownerToken: ownerToken(), cid: 'ask-cid-000001' };
    const first = await must(p.socket, 'question:ask', ask);
    const again = await must(p.socket, 'question:ask', ask);
    expect(again).toEqual(first);
    expect(h.db.prepare('SELECT count(*) AS n FROM questions WHERE event_id = ?').get(ev.eventId)).toEqual({ n: 1 });
    // Its receipt is kept apart from the others, timed to the hour only.
    const receipt = h.db.prepare('SELECT created_at FROM anonymous_receipts WHERE cid = ?').get('ask-cid-000001') as { created_at: number };
    expect(receipt.created_at % 3_600_000).toBe(0);
    expect(h.db.prepare('SELECT count(*) AS n FROM command_receipts WHERE cid = ?').get('ask-cid-000001')).toEqual({ n: 0 });
  });

  it('[QU-RATE] one participant’s flood of questions is throttled without slowing anyone else', async () => {
    const ev = await questionsEvent();
    const flooder = await joinAs(h, ev.code);
    const calm = await joinAs(h, ev.code);
    const acks = [];
    for (let i = 0; i < 8; i++)
      acks.push(await send(flooder.socket, 'question:ask', { eventId: ev.eventId, text: `Question ${i}?`, ownerToken: ownerToken() }));
    expect(acks.filter((a) => a.ok)).toHaveLength(5);
    expect(acks.slice(5).every((a) => !a.ok && a.code === 'rate_limited')).toBe(true);
    expect((await send(calm.socket, 'question:ask', { eventId: ev.eventId, text: 'Et moi?', ownerToken: ownerToken() })).ok).toBe(true);
  });

  it('[QU-SUPPORT] one support per person and question, even with concurrent clicks from several screens', async () => {
    const ev = await questionsEvent();
    const asker = await joinAs(h, ev.code);
    const { question } = await must(asker.socket, 'question:ask', {
      eventId: ev.eventId,
      text: 'Les personnes citoyennes seront-elles compensées?',
      ownerToken: ownerToken(),
    });
    const people = await Promise.all(Array.from({ length: 12 }, () => joinAs(h, ev.code)));
    // Each person clicks 5 times at once from two screens (the second connects with the same token).
    const second = await Promise.all(people.map((p) => h.member(p.joined.token)));
    const clicks = people.flatMap((p, i) =>
      Array.from({ length: 5 }, (_, k) =>
        send(k % 2 ? p.socket : (second[i]?.socket ?? p.socket), 'question:support', { eventId: ev.eventId, questionId: question.id, support: true }),
      ),
    );
    const acks = await Promise.all(clicks);
    expect(acks.every((a) => a.ok)).toBe(true);
    const rows = h.db.prepare('SELECT supporter FROM question_supports WHERE question_id = ?').all(question.id);
    expect(rows).toHaveLength(12);
    // The constraint itself refuses a second row for the same person.
    const one = rows[0] as { supporter: string };
    expect(() => h.db.prepare('INSERT INTO question_supports (question_id, supporter) VALUES (?, ?)').run(question.id, one.supporter)).toThrow(
      /UNIQUE|PRIMARY/,
    );
    // The asker did not support it by asking; a person sees their own support.
    expect((await h.member(asker.joined.token)).snapshot.questions.mySupports).toEqual([]);
    expect((await h.member(people[0]?.joined.token ?? '')).snapshot.questions.mySupports).toEqual([question.id]);
    // Taking it back.
    expect(await must(people[0]?.socket ?? asker.socket, 'question:support', { eventId: ev.eventId, questionId: question.id, support: false })).toEqual({
      questionId: question.id,
      supported: false,
      supports: 11,
    });
  });

  it('[QU-MERGE] merging unions supporters once each, keeps the original texts and counts the askers', async () => {
    const ev = await questionsEvent();
    const [p1, p2, p3, p4] = await Promise.all(Array.from({ length: 4 }, () => joinAs(h, ev.code)));
    if (!p1 || !p2 || !p3 || !p4) throw new Error('join');
    const a = (
      await must(p1.socket, 'question:ask', { eventId: ev.eventId, text: 'Quelle est la date limite pour le plan d’action?', ownerToken: ownerToken() })
    ).question;
    const b = (
      await must(p2.socket, 'question:ask', { eventId: ev.eventId, text: 'Jusqu’à quand peut-on déposer le plan d’action?', ownerToken: ownerToken() })
    ).question;
    const c = (await must(p3.socket, 'question:ask', { eventId: ev.eventId, text: 'Date de dépôt des plans d’action?', ownerToken: ownerToken() })).question;
    const support = (p: typeof p1, q: typeof a) => must(p.socket, 'question:support', { eventId: ev.eventId, questionId: q.id, support: true });
    // a: p2, p3 — b: p3, p4 — c: p1, p4. Together: p1, p2, p3, p4.
    await Promise.all([support(p2, a), support(p3, a), support(p3, b), support(p4, b), support(p1, c), support(p4, c)]);
    // b into c first, then c into a: a question merged earlier follows.
    await must(ev.facilitator.socket, 'question:merge', { eventId: ev.eventId, keepId: c.id, mergeIds: [b.id] });
    const merged = await must(ev.facilitator.socket, 'question:merge', { eventId: ev.eventId, keepId: a.id, mergeIds: [c.id] });
    expect(merged.question.supports).toBe(4);
    expect(merged.question.merged.sort()).toEqual([b.text, c.text].sort());
    const stored = h.db.prepare('SELECT id, text, status, merged_into FROM questions WHERE event_id = ? ORDER BY seq').all(ev.eventId);
    expect(stored).toEqual([
      { id: a.id, text: a.text, status: 'visible', merged_into: null },
      { id: b.id, text: b.text, status: 'merged', merged_into: a.id },
      { id: c.id, text: c.text, status: 'merged', merged_into: a.id },
    ]);
    // The room sees one question; supporting a merged one is refused.
    expect((await joinAs(h, ev.code)).snapshot.questions.questions.map((q) => q.id)).toEqual([a.id]);
    expect(await send(p1.socket, 'question:support', { eventId: ev.eventId, questionId: b.id, support: true })).toEqual({
      ok: false,
      code: 'question_not_found',
    });
    // The FAQ entry counts three askers and four supporters.
    const entry = await must(ev.facilitator.socket, 'faq:create', { eventId: ev.eventId, questionId: a.id });
    expect(entry).toMatchObject({ asked: 3, supports: 4, status: 'draft', question: a.text });
    expect(await send(ev.facilitator.socket, 'question:merge', { eventId: ev.eventId, keepId: a.id, mergeIds: [a.id] })).toEqual({
      ok: false,
      code: 'question_not_found',
    });
  });

  it('[QU-ANSWER] [FAQ] [FAQ1] [FAQ2] answers, themes and the spotlight; the FAQ goes from draft to published, live on phones and the public page', async () => {
    const ev = await questionsEvent();
    const p = await joinAs(h, ev.code);
    const { question } = await must(p.socket, 'question:ask', {
      eventId: ev.eventId,
      text: 'Un organisme peut-il déposer plus d’une initiative?',
      ownerToken: ownerToken(),
    });
    const spot = next(ev.projector.socket, 'questions:settings');
    await must(ev.facilitator.socket, 'questions:configure', { eventId: ev.eventId, changes: { spotlight: question.id } });
    expect((await spot).settings.spotlight).toBe(question.id);
    const answered = await must(ev.facilitator.socket, 'question:answer', {
      eventId: ev.eventId,
      questionId: question.id,
      changes: { answeredLive: true, answer: 'Oui, jusqu’à trois.', theme: 'approche-systemique' },
    });
    expect(answered.question).toMatchObject({ answeredLive: true, answer: 'Oui, jusqu’à trois.', theme: 'approche-systemique' });

    const facilitatorSnapshot = (await h.member(ev.created.links.facilitator.split('#')[1] ?? '')).snapshot;
    const faqUrl = facilitatorSnapshot.faqUrl ?? '';
    expect(faqUrl).toMatch(/^http:\/\/concerto\.test\/faq\/[A-Za-z0-9_-]{16,}$/);
    const faqId = faqUrl.split('/').pop() ?? '';
    const guest = await h.client();
    expect(await send(guest, 'faq:public', { faqId: 'unknown-faq-000' })).toEqual({ ok: false, code: 'event_not_found' });
    expect((await must(guest, 'faq:public', { faqId })).entries).toEqual([]);

    const entry = await must(ev.facilitator.socket, 'faq:create', { eventId: ev.eventId, questionId: question.id });
    expect(entry).toMatchObject({
      question: question.text,
      answer: 'Oui, jusqu’à trois.',
      theme: 'approche-systemique',
      asked: 1,
      supports: 0,
      status: 'draft',
    });
    expect((await joinAs(h, ev.code)).snapshot.faq).toEqual([]);
    // A draft is not on the public page either.
    expect((await must(guest, 'faq:public', { faqId })).entries).toEqual([]);
    const phoneHears = next(p.socket, 'faq:updated', (e) => e.entries.length > 0);
    const publicHears = next(guest, 'faq:updated', (e) => e.entries.length > 0);
    const projectorHears = next(ev.projector.socket, 'faq:updated', (e) => e.entries.length > 0);
    await must(ev.facilitator.socket, 'faq:update', {
      eventId: ev.eventId,
      entryId: entry.id,
      changes: { question: 'Un organisme peut-il déposer plusieurs initiatives?', status: 'published' },
    });
    for (const heard of [await phoneHears, await publicHears, await projectorHears]) {
      expect(heard.entries).toMatchObject([
        { question: 'Un organisme peut-il déposer plusieurs initiatives?', answer: 'Oui, jusqu’à trois.', status: 'published' },
      ]);
    }
    expect(await send(ev.facilitator.socket, 'faq:update', { eventId: ev.eventId, entryId: 'missing-entry-1', changes: { status: 'draft' } })).toEqual({
      ok: false,
      code: 'faq_entry_not_found',
    });
    await must(ev.facilitator.socket, 'faq:remove', { eventId: ev.eventId, entryId: entry.id });
    expect((await must(guest, 'faq:public', { faqId })).entries).toEqual([]);
  });
});

describe('[EV] the end-of-day evaluation', () => {
  async function evaluationEvent() {
    const ev = await createEventWithStaff(h);
    const step = await must(ev.facilitator.socket, 'step:add', { eventId: ev.eventId, step: { kind: 'evaluation', title: 'Évaluation' } });
    await must(ev.facilitator.socket, 'step:start', { eventId: ev.eventId, stepId: step.id });
    return { ...ev, base: { eventId: ev.eventId, stepId: step.id } };
  }

  it('[EV-DEFAULT] the forum’s form is the default; it can change until the first answer', async () => {
    const ev = await evaluationEvent();
    const p = await joinAs(h, ev.code);
    expect(p.snapshot.evaluation?.items.map((i) => [i.id, i.kind])).toEqual([
      ['useful', 'scale'],
      ['voice', 'scale'],
      ['access', 'scale'],
      ['improve', 'text'],
    ]);
    expect(p.snapshot.evaluation?.items[0]?.text).toBe('Dans l’ensemble, la journée m’a été utile');
    expect(p.snapshot.evaluation?.results).toBeNull();
    const items = [
      { id: 'useful', kind: 'scale' as const, text: 'La journée m’a été utile' },
      { id: 'comment', kind: 'text' as const, text: 'Un commentaire?' },
    ];
    await must(ev.facilitator.socket, 'evaluation:configure', { ...ev.base, items });
    expect(await send(ev.facilitator.socket, 'evaluation:configure', { ...ev.base, items: [items[0] as never, items[0] as never] })).toEqual({
      ok: false,
      code: 'invalid_payload',
    });
    await must(p.socket, 'evaluation:answer', { ...ev.base, answers: { useful: 4 } });
    expect(await send(ev.facilitator.socket, 'evaluation:configure', { ...ev.base, items })).toEqual({ ok: false, code: 'evaluation_has_answers' });
    expect(await send(p.socket, 'evaluation:answer', { ...ev.base, answers: { useful: 6 } })).toEqual({ ok: false, code: 'invalid_payload' });
    expect(await send(p.socket, 'evaluation:answer', { ...ev.base, answers: { useful: 'bien' } })).toEqual({ ok: false, code: 'evaluation_answer_invalid' });
    expect(await send(p.socket, 'evaluation:answer', { ...ev.base, answers: { unknown: 3 } })).toEqual({ ok: false, code: 'evaluation_answer_invalid' });
  });

  it('[EV-RESULTS] [EV-ANON] once each, editable until closed; live response rate, distributions, share of 4s and 5s, moderated comments', async () => {
    const ev = await evaluationEvent();
    const people = await Promise.all(Array.from({ length: 10 }, () => joinAs(h, ev.code)));
    const scores = [5, 4, 4, 3, 5, 2, 5, 4];
    await Promise.all(
      scores.map((s, i) =>
        must(people[i]?.socket ?? ev.facilitator.socket, 'evaluation:answer', {
          ...ev.base,
          answers: { useful: s, voice: 3, improve: i === 0 ? 'Plus de pauses' : null },
        }),
      ),
    );
    // Person 5 changes their mind (2 → 4); answering again replaces, it does not add.
    const changed = await must(people[5]?.socket ?? ev.facilitator.socket, 'evaluation:answer', { ...ev.base, answers: { useful: 4 } });
    expect(changed.answers).toEqual({ useful: 4 });
    const heard = next(ev.facilitator.socket, 'evaluation:updated');
    await must(people[0]?.socket ?? ev.facilitator.socket, 'evaluation:answer', {
      ...ev.base,
      answers: { useful: 5, voice: 3, improve: 'Plus de pauses, svp' },
    });
    const results = (await heard).evaluation?.results;
    expect(results?.responses).toBe(8);
    expect(results?.people).toBe(10);
    const useful = results?.scales.find((s) => s.itemId === 'useful');
    expect(useful?.counts).toEqual([0, 0, 1, 4, 3]);
    expect(useful?.topShare).toBeCloseTo(7 / 8);
    expect(results?.comments).toMatchObject([{ itemId: 'improve', text: 'Plus de pauses, svp', status: 'pending' }]);
    const comment = results?.comments[0]?.id ?? '';
    expect(await must(ev.facilitator.socket, 'evaluation:moderate', { ...ev.base, commentId: comment, status: 'approved' })).toMatchObject({
      status: 'approved',
    });
    expect(await send(ev.facilitator.socket, 'evaluation:moderate', { ...ev.base, commentId: 'missing-comment', status: 'approved' })).toEqual({
      ok: false,
      code: 'comment_not_found',
    });
    // Their own answers come back on reconnection, to edit them.
    expect((await h.member(people[0]?.joined.token ?? '')).snapshot.myEvaluation?.answers).toEqual({ useful: 5, voice: 3, improve: 'Plus de pauses, svp' });
    await must(ev.facilitator.socket, 'evaluation:status', { ...ev.base, open: false });
    expect(await send(people[9]?.socket ?? ev.facilitator.socket, 'evaluation:answer', { ...ev.base, answers: { useful: 1 } })).toEqual({
      ok: false,
      code: 'evaluation_closed',
    });
    expect(h.db.prepare('SELECT count(*) AS n FROM evaluation_responses WHERE step_id = ?').get(ev.base.stepId)).toEqual({ n: 8 });
  });
});
