import { describe, expect, it } from 'vitest';
import { formatJoinCode, generateJoinCode, isJoinCode, JOIN_CODE_ALPHABET, normalizeJoinCode } from '../../shared/domain/joinCode.ts';
import { applyTimer, idleTimer, isNearEnd, remainingMs, type TimerState } from '../../shared/domain/timer.ts';
import { breakoutOf, checkStepAxes, editStep, insertStep, moveStep, newStep, removeStep } from '../../shared/domain/runSheet.ts';
import { openAxes } from '../../shared/domain/axes.ts';
import { suppressCells, suppressTotal } from '../../shared/domain/suppression.ts';
import { normalizeSetup, slugify } from '../../shared/domain/eventSetup.ts';
import { checkProfile } from '../../shared/domain/profile.ts';
import { presenceDetail } from '../../shared/domain/presence.ts';
import { EventSetup } from '../../shared/schemas/event.ts';
import { exampleSetup } from '../../shared/example.ts';

describe('join codes', () => {
  it('[JC1] 6 characters from an alphabet without look-alikes', () => {
    for (const ch of '0O1IL2Z5S8BUVQ') expect(JOIN_CODE_ALPHABET).not.toContain(ch);
    let seed = 7;
    const rnd = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
    for (let i = 0; i < 200; i++) expect(isJoinCode(generateJoinCode(rnd))).toBe(true);
  });
  it('[JC2] accepts what people type', () => {
    expect(normalizeJoinCode(' acd-efg ')).toBe('ACDEFG');
    expect(isJoinCode('ACDEF')).toBe(false);
    expect(isJoinCode('ACDEF0')).toBe(false);
    expect(formatJoinCode('ACDEFG')).toBe('ACD EFG');
  });
});

describe('timers', () => {
  const t0 = 1_000_000;
  it('[TM1] start runs for the planned duration; start after pause resumes', () => {
    const started = applyTimer(idleTimer(10), { kind: 'start' }, t0);
    expect(started).toEqual({ ok: true, data: { status: 'running', durationMs: 600_000, endsAt: t0 + 600_000 } });
    if (!started.ok) throw new Error();
    const paused = applyTimer(started.data, { kind: 'pause' }, t0 + 60_000);
    expect(paused.ok && paused.data).toEqual({ status: 'paused', durationMs: 600_000, remainingMs: 540_000 });
    if (!paused.ok) throw new Error();
    const resumed = applyTimer(paused.data, { kind: 'start' }, t0 + 1_000_000);
    expect(resumed.ok && resumed.data).toEqual({ status: 'running', durationMs: 600_000, endsAt: t0 + 1_000_000 + 540_000 });
  });
  it('[TM2] refuses what makes no sense', () => {
    const running: TimerState = { status: 'running', durationMs: 1000, endsAt: t0 };
    expect(applyTimer(running, { kind: 'start' }, t0)).toEqual({ ok: false, code: 'timer_running' });
    expect(applyTimer(idleTimer(1), { kind: 'pause' }, t0)).toEqual({ ok: false, code: 'timer_not_running' });
    expect(applyTimer(idleTimer(1), { kind: 'reset' }, t0)).toEqual({ ok: false, code: 'timer_idle' });
  });
  it('[TM3] extend adds time in every state, never below zero', () => {
    const running: TimerState = { status: 'running', durationMs: 60_000, endsAt: t0 + 30_000 };
    const more = applyTimer(running, { kind: 'extend', seconds: 60 }, t0);
    expect(more.ok && more.data).toEqual({ status: 'running', durationMs: 120_000, endsAt: t0 + 90_000 });
    const less = applyTimer(idleTimer(1), { kind: 'extend', seconds: -3600 }, t0);
    expect(less.ok && less.data).toEqual({ status: 'idle', durationMs: 0 });
  });
  it('[TM4] remaining time goes negative past the end, and the warning comes in the last tenth', () => {
    const running: TimerState = { status: 'running', durationMs: 20 * 60_000, endsAt: t0 };
    expect(remainingMs(running, t0 + 5000)).toBe(-5000);
    expect(isNearEnd(running, t0 - 60_000)).toBe(true);
    expect(isNearEnd(running, t0 - 3 * 60_000)).toBe(false);
    expect(isNearEnd(running, t0 + 1)).toBe(false);
  });
});

describe('run sheet', () => {
  it('[RS1] inserts after a step or at the end', () => {
    expect(insertStep(['a', 'b'], 'x', 'a')).toEqual({ ok: true, data: ['a', 'x', 'b'] });
    expect(insertStep(['a', 'b'], 'x', null)).toEqual({ ok: true, data: ['a', 'b', 'x'] });
    expect(insertStep(['a'], 'x', 'zz')).toEqual({ ok: false, code: 'step_not_found' });
  });
  it('[RS2] moves and clamps', () => {
    expect(moveStep(['a', 'b', 'c'], 'c', 0)).toEqual({ ok: true, data: ['c', 'a', 'b'] });
    expect(moveStep(['a', 'b', 'c'], 'a', 99)).toEqual({ ok: true, data: ['b', 'c', 'a'] });
    expect(moveStep(['a'], 'q', 0)).toEqual({ ok: false, code: 'step_not_found' });
  });
  it('[RS3] never removes the running step', () => {
    expect(removeStep(['a', 'b'], 'a', 'a')).toEqual({ ok: false, code: 'step_active' });
    expect(removeStep(['a', 'b'], 'a', 'b')).toEqual({ ok: true, data: ['b'] });
  });
  it('[RS4] new minutes reset an idle timer but not a running one', () => {
    const step = newStep('s1', { kind: 'plenary', title: 'Accueil', minutes: 20 });
    expect(editStep(step, { minutes: 30 }).timer).toEqual({ status: 'idle', durationMs: 1_800_000 });
    const running = { ...step, timer: { status: 'running', durationMs: 1000, endsAt: 5 } as TimerState };
    expect(editStep(running, { minutes: 30 }).timer).toEqual(running.timer);
  });
});

describe('small-cell suppression', () => {
  it('[SC1] hides counts of 1 to 4 people, shows 0 and 5+', () => {
    const cells = suppressCells([
      { key: 'a', count: 0 },
      { key: 'b', count: 4 },
      { key: 'c', count: 5 },
      { key: 'd', count: 3 },
    ]);
    expect(cells.map((c) => c.value)).toEqual([
      { shown: true, count: 0 },
      { shown: false, reason: 'small' },
      { shown: true, count: 5 },
      { shown: false, reason: 'small' },
    ]);
  });
  it('[SC2] a lone hidden cell takes the next smallest with it, so the total cannot reveal it', () => {
    const cells = [
      { key: 'a', count: 2 },
      { key: 'b', count: 9 },
      { key: 'c', count: 6 },
    ];
    expect(suppressCells(cells).map((c) => c.value)).toEqual([
      { shown: false, reason: 'small' },
      { shown: true, count: 9 },
      { shown: false, reason: 'complementary' },
    ]);
    expect(suppressTotal(cells)).toEqual({ shown: true, count: 17 });
    expect(
      suppressTotal([
        { key: 'a', count: 3 },
        { key: 'b', count: 0 },
      ]),
    ).toEqual({ shown: false, reason: 'small' });
    expect(
      suppressTotal([
        { key: 'a', count: 3 },
        { key: 'b', count: 40 },
        { key: 'c', count: 0 },
      ]),
    ).toEqual({ shown: true, count: 43 });
  });
  it('[PS1] presence by category gathers unknown and missing categories under "none"', () => {
    const detail = presenceDetail(
      [
        { key: 'citoyen', title: 'C' },
        { key: 'municipal', title: 'M' },
      ],
      [
        { category: 'citoyen', n: 7 },
        { category: null, n: 3 },
        { category: 'disparue', n: 3 },
      ],
      4,
    );
    expect(detail).toEqual({
      connected: 4,
      joined: 13,
      byCategory: [
        { key: 'citoyen', value: { shown: true, count: 7 } },
        { key: 'municipal', value: { shown: true, count: 0 } },
        { key: 'none', value: { shown: true, count: 6 } },
      ],
    });
  });
});

describe('event setup', () => {
  it('[EV1] derives stable keys and drops duplicate territories', () => {
    expect(slugify('Approche systémique')).toBe('approche-systemique');
    const info = normalizeSetup(
      EventSetup.parse({ title: 'T', axes: [{ title: 'Solidarité' }, { title: 'Solidarité' }], territories: ['A', 'A', 'B'] }),
      'id12345678',
      'ACDEFG',
    );
    expect(info.axes.map((a) => a.key)).toEqual(['solidarite', 'solidarite-2']);
    expect(info.territories).toEqual(['A', 'B']);
    expect(info.locale).toBe('fr-CA');
  });
  it('[EV5] the Forum des Alliances example is a valid event with its 8 MRC, 3 axes and 10 steps', () => {
    const setup = EventSetup.parse(exampleSetup());
    expect(setup.axes).toHaveLength(3);
    expect(setup.territories).toHaveLength(9);
    expect(setup.categories.map((c) => c.key)).toContain('citoyen');
    expect(setup.agenda).toHaveLength(10);
    expect(setup.agenda[1]?.kind).toBe('questions');
  });
  it('[PR1] profile answers must be among the event’s own', () => {
    const ev = { territories: ['La Mitis'], categories: [{ key: 'citoyen', title: 'C' }] };
    expect(checkProfile(ev, { territory: 'La Mitis', gender: 'woman' })).toEqual({ ok: true, data: { territory: 'La Mitis', gender: 'woman' } });
    expect(checkProfile(ev, { territory: 'Gaspé' })).toEqual({ ok: false, code: 'profile_value_unknown' });
    expect(checkProfile(ev, { category: 'x' })).toEqual({ ok: false, code: 'profile_value_unknown' });
  });
});

describe('steps in groups and open axes', () => {
  it('[RS7] breakout steps always make tables, board steps only when asked, other kinds never', () => {
    expect(breakoutOf('breakout', null)).toMatchObject({ mode: 'balanced', size: 8, rounds: 1 });
    expect(breakoutOf('board', null)).toBeNull();
    expect(breakoutOf('board', { mode: 'random', size: 4, names: [], task: '', rounds: 1 })).toMatchObject({ mode: 'random', size: 4 });
    expect(breakoutOf('vote', { mode: 'random', size: 4, names: [], task: '', rounds: 1 })).toBeNull();
    const step = newStep('step-0001', { kind: 'breakout', title: 'Tables', minutes: 20 });
    expect(step.breakout?.mode).toBe('balanced');
    expect(editStep(step, { kind: 'plenary' }).breakout).toBeNull();
  });

  it('[RS8] a step opens the axes it names, in the event order, or all of them', () => {
    const axes = [
      { key: 'a', title: 'A', subtitle: null },
      { key: 'b', title: 'B', subtitle: null },
      { key: 'c', title: 'C', subtitle: null },
    ];
    expect(openAxes(axes, null).map((a) => a.key)).toEqual(['a', 'b', 'c']);
    expect(openAxes(axes, ['c', 'a'])).toEqual([
      { key: 'a', title: 'A' },
      { key: 'c', title: 'C' },
    ]);
  });
});

describe('[RS6] step axes', () => {
  it('a step may open only the event’s own axes; naming none is allowed', () => {
    const axes = [{ key: 'approche-systemique' }, { key: 'inclusion-sociale' }];
    expect(checkStepAxes(axes, ['inclusion-sociale'])).toBe(true);
    expect(checkStepAxes(axes, ['approche-systemique', 'inclusion-sociale'])).toBe(true);
    expect(checkStepAxes(axes, null)).toBe(true);
    expect(checkStepAxes(axes, [])).toBe(true);
    expect(checkStepAxes(axes, ['inclusion-sociale', 'autre-axe'])).toBe(false);
    expect(checkStepAxes([], ['approche-systemique'])).toBe(false);
  });
});
