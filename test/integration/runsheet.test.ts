import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEventWithStaff, joinAs } from './fixtures.ts';
import { must, next, send, startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe('run sheet', () => {
  it('[RS0] starting a step switches every participant screen and the projector within a second', async () => {
    const { code, eventId, facilitator, projector } = await createEventWithStaff(h);
    const people = await Promise.all([joinAs(h, code), joinAs(h, code), joinAs(h, code)]);
    const step = facilitator.snapshot.steps?.[1];
    if (!step) throw new Error('no step');
    const seen = [...people.map((p) => p.socket), projector.socket].map((s) => next(s, 'step:started', (e) => e.currentStep?.id === step.id, 1000));
    const runSheet = next(facilitator.socket, 'runsheet:updated', (e) => e.currentStepId === step.id, 1000);
    expect(await must(facilitator.socket, 'step:start', { eventId, stepId: step.id })).toEqual({ currentStepId: step.id });
    const events = await Promise.all(seen);
    for (const e of events) expect(e.currentStep).toMatchObject({ title: 'Vos questions', notes: 'Questions anonymes', kind: 'questions' });
    await runSheet;

    // Someone joining later lands on the current step.
    const late = await joinAs(h, code);
    expect(late.snapshot.currentStep?.id).toBe(step.id);

    const back = next(late.socket, 'step:started', (e) => e.currentStep === null);
    await must(facilitator.socket, 'step:start', { eventId, stepId: null });
    await back;
  });

  it('[RS1][RS2][RS3] steps are added, edited, reordered and removed during the event', async () => {
    const { eventId, facilitator, cofacilitator } = await createEventWithStaff(h);
    const ids = () => must(facilitator.socket, 'state:get', { eventId }).then((s) => s.steps?.map((x) => x.title));
    const [accueil, questions] = facilitator.snapshot.steps ?? [];
    if (!accueil || !questions) throw new Error('no steps');

    const coSees = next(cofacilitator.socket, 'runsheet:updated', (e) => e.steps.some((s) => s.title === 'Pause'));
    const pause = await must(facilitator.socket, 'step:add', {
      eventId,
      step: { kind: 'plenary', title: 'Pause', minutes: 15 },
      afterStepId: accueil.id,
    });
    await coSees;
    expect(await ids()).toEqual(['Accueil', 'Pause', 'Vos questions', 'Vote par gommettes']);

    const edited = await must(cofacilitator.socket, 'step:update', { eventId, stepId: pause.id, changes: { title: 'Pause santé', minutes: 20 } });
    expect(edited).toMatchObject({ title: 'Pause santé', minutes: 20, timer: { status: 'idle', durationMs: 20 * 60_000 } });

    expect(await must(facilitator.socket, 'step:move', { eventId, stepId: pause.id, toIndex: 99 })).toMatchObject({
      order: [accueil.id, questions.id, expect.any(String), pause.id],
    });
    expect(await ids()).toEqual(['Accueil', 'Vos questions', 'Vote par gommettes', 'Pause santé']);

    await must(facilitator.socket, 'step:start', { eventId, stepId: pause.id });
    expect(await send(facilitator.socket, 'step:remove', { eventId, stepId: pause.id })).toEqual({ ok: false, code: 'step_active' });
    await must(facilitator.socket, 'step:start', { eventId, stepId: accueil.id });
    await must(facilitator.socket, 'step:remove', { eventId, stepId: pause.id });
    expect(await ids()).toEqual(['Accueil', 'Vos questions', 'Vote par gommettes']);
    expect(await send(facilitator.socket, 'step:update', { eventId, stepId: pause.id, changes: { title: 'x' } })).toEqual({
      ok: false,
      code: 'step_not_found',
    });
    expect(await send(facilitator.socket, 'step:add', { eventId, step: { kind: 'plenary', title: 'x' }, afterStepId: 'nope-nope-nope' })).toEqual({
      ok: false,
      code: 'step_not_found',
    });
    expect(await ids()).toEqual(['Accueil', 'Vos questions', 'Vote par gommettes']);
  });

  it('[RS5] a retried command with the same id is applied once', async () => {
    const { eventId, facilitator } = await createEventWithStaff(h);
    const payload = { eventId, cid: 'retry-0123456789', step: { kind: 'plenary' as const, title: 'Une seule fois' } };
    const first = await must(facilitator.socket, 'step:add', payload);
    const second = await must(facilitator.socket, 'step:add', payload);
    expect(second).toEqual(first);
    const snap = await must(facilitator.socket, 'state:get', { eventId });
    expect(snap.steps?.filter((s) => s.title === 'Une seule fois')).toHaveLength(1);
  });
});

describe('timers', () => {
  it('[TM1][TM2][TM3] a step timer is started, paused, extended and reset, and every screen hears it', async () => {
    const { code, eventId, facilitator, projector } = await createEventWithStaff(h);
    const p = await joinAs(h, code);
    const step = facilitator.snapshot.steps?.[0];
    if (!step) throw new Error('no step');
    await must(facilitator.socket, 'step:start', { eventId, stepId: step.id });

    const heard = Promise.all([p.socket, projector.socket].map((s) => next(s, 'timer:updated', (e) => e.timer.status === 'running')));
    const started = await must(facilitator.socket, 'timer:control', { eventId, stepId: step.id, action: { kind: 'start' } });
    expect(started.timer).toMatchObject({ status: 'running', durationMs: 20 * 60_000 });
    for (const e of await heard) expect(e.timer).toEqual(started.timer);
    expect(await send(facilitator.socket, 'timer:control', { eventId, stepId: step.id, action: { kind: 'start' } })).toEqual({
      ok: false,
      code: 'timer_running',
    });

    h.clock.advance(5 * 60_000);
    const paused = await must(facilitator.socket, 'timer:control', { eventId, stepId: step.id, action: { kind: 'pause' } });
    expect(paused.timer.status).toBe('paused');
    if (paused.timer.status !== 'paused') throw new Error();
    expect(paused.timer.remainingMs).toBeGreaterThan(14 * 60_000);
    expect(paused.timer.remainingMs).toBeLessThanOrEqual(15 * 60_000);

    const extended = await must(facilitator.socket, 'timer:control', { eventId, stepId: step.id, action: { kind: 'extend', seconds: 300 } });
    if (extended.timer.status !== 'paused') throw new Error();
    expect(extended.timer.remainingMs).toBe(paused.timer.remainingMs + 300_000);
    expect(extended.timer.durationMs).toBe(25 * 60_000);

    h.clock.advance(60 * 60_000); // paused: no time passes
    const resumed = await must(facilitator.socket, 'timer:control', { eventId, stepId: step.id, action: { kind: 'start' } });
    if (resumed.timer.status !== 'running') throw new Error();
    expect(resumed.timer.endsAt - h.clock.now()).toBeGreaterThan(extended.timer.remainingMs - 1000);

    await must(facilitator.socket, 'timer:control', { eventId, stepId: step.id, action: { kind: 'reset' } });
    expect(await send(facilitator.socket, 'timer:control', { eventId, stepId: step.id, action: { kind: 'pause' } })).toEqual({
      ok: false,
      code: 'timer_not_running',
    });
    expect(await send(facilitator.socket, 'timer:control', { eventId, stepId: step.id, action: { kind: 'extend', seconds: 0 } })).toEqual({
      ok: false,
      code: 'invalid_payload',
    });
  });
});

describe('messages', () => {
  it('[MS1] a short message reaches every screen, and is still there for someone who reconnects', async () => {
    const { code, eventId, facilitator, projector } = await createEventWithStaff(h);
    const p = await joinAs(h, code);
    const heard = Promise.all([p.socket, projector.socket].map((s) => next(s, 'message:sent', (e) => e.message !== null)));
    await must(facilitator.socket, 'message:send', { eventId, text: '  Retour en plénière dans 5 minutes  ' });
    for (const e of await heard) expect(e.message?.text).toBe('Retour en plénière dans 5 minutes');
    const again = await h.member(p.joined.token);
    expect(again.snapshot.message?.text).toBe('Retour en plénière dans 5 minutes');

    expect(await send(facilitator.socket, 'message:send', { eventId, text: 'x'.repeat(281) })).toEqual({ ok: false, code: 'invalid_payload' });
    expect(await send(facilitator.socket, 'message:send', { eventId, text: '   ' })).toEqual({ ok: false, code: 'invalid_payload' });
    const cleared = next(p.socket, 'message:sent', (e) => e.message === null);
    await must(facilitator.socket, 'message:clear', { eventId });
    await cleared;
  });
});
