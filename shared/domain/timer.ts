import { fail, ok, type Result } from './errors.ts';

/**
 * A step timer. Times are server epoch milliseconds, so every screen computes the same remaining
 * time from `endsAt` (corrected by its clock offset), and a restart of the server loses nothing.
 */
export type TimerState =
  | { status: 'idle'; durationMs: number }
  | { status: 'running'; durationMs: number; endsAt: number }
  | { status: 'paused'; durationMs: number; remainingMs: number };

export type TimerCommand = { kind: 'start' } | { kind: 'pause' } | { kind: 'extend'; seconds: number } | { kind: 'reset' };

export const MAX_TIMER_MS = 12 * 60 * 60 * 1000;

export function idleTimer(minutes: number): TimerState {
  return { status: 'idle', durationMs: Math.round(minutes * 60_000) };
}

/** Remaining milliseconds; negative once time is up (screens show the overrun). */
export function remainingMs(timer: TimerState, now: number): number {
  switch (timer.status) {
    case 'idle':
      return timer.durationMs;
    case 'running':
      return timer.endsAt - now;
    case 'paused':
      return timer.remainingMs;
  }
}

/** [TM1] start resumes a paused timer; [TM2] pause keeps what is left; [TM3] extend adds time in any state. */
export function applyTimer(timer: TimerState, command: TimerCommand, now: number): Result<TimerState, 'timer_running' | 'timer_not_running' | 'timer_idle'> {
  switch (command.kind) {
    case 'start':
      if (timer.status === 'running') return fail('timer_running');
      return ok({
        status: 'running',
        durationMs: timer.durationMs,
        endsAt: now + (timer.status === 'paused' ? timer.remainingMs : timer.durationMs),
      });
    case 'pause':
      if (timer.status !== 'running') return fail('timer_not_running');
      return ok({ status: 'paused', durationMs: timer.durationMs, remainingMs: timer.endsAt - now });
    case 'extend': {
      const ms = command.seconds * 1000;
      const durationMs = Math.min(MAX_TIMER_MS, Math.max(0, timer.durationMs + ms));
      const applied = durationMs - timer.durationMs;
      if (timer.status === 'running') return ok({ ...timer, durationMs, endsAt: timer.endsAt + applied });
      if (timer.status === 'paused') return ok({ ...timer, durationMs, remainingMs: timer.remainingMs + applied });
      return ok({ ...timer, durationMs });
    }
    case 'reset':
      if (timer.status === 'idle') return fail('timer_idle');
      return ok({ status: 'idle', durationMs: timer.durationMs });
  }
}

/** The last tenth of the time, at least 1 minute and at most 5: when screens warn that time is nearly up. */
export function isNearEnd(timer: TimerState, now: number): boolean {
  if (timer.status !== 'running') return false;
  const left = timer.endsAt - now;
  const warnAt = Math.min(5 * 60_000, Math.max(60_000, timer.durationMs / 10));
  return left > 0 && left <= warnAt;
}
