import { z } from 'zod';
import { EventScoped, Id, Key, text } from './common.ts';
import type { TimerState } from '../domain/timer.ts';
import { BreakoutSpec } from './breakout.ts';

export const STEP_KINDS = ['plenary', 'questions', 'breakout', 'board', 'vote', 'evaluation'] as const;
export const StepKind = z.enum(STEP_KINDS);
export type StepKind = z.infer<typeof StepKind>;

const Minutes = z.number().int().min(0).max(720);
const StartTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);

export const StepDraft = z.object({
  kind: StepKind,
  title: text(1, 160),
  notes: text(0, 1000).optional(),
  minutes: Minutes.default(15),
  start: StartTime.optional(),
  /** For a board step: the axes open for writing; absent or null, every axis. */
  axes: z.array(Key).max(12).nullable().optional(),
  /** How groups are made: breakout steps (default: balanced groups of 8), and board steps run in groups. */
  breakout: BreakoutSpec.optional(),
});
export type StepDraft = z.output<typeof StepDraft>;

export const StepAdd = EventScoped.extend({ step: StepDraft, afterStepId: Id.nullable().optional() });
export const StepUpdate = EventScoped.extend({
  stepId: Id,
  changes: z
    .object({
      kind: StepKind,
      title: text(1, 160),
      notes: text(0, 1000),
      minutes: Minutes,
      start: StartTime.nullable(),
      axes: z.array(Key).max(12).nullable(),
      breakout: BreakoutSpec.nullable(),
    })
    .partial(),
});
export const StepRef = EventScoped.extend({ stepId: Id });
export const StepMove = EventScoped.extend({ stepId: Id, toIndex: z.number().int().min(0).max(1000) });
export const StepStart = EventScoped.extend({ stepId: Id.nullable() });

export const TimerControl = EventScoped.extend({
  stepId: Id,
  action: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('start') }),
    z.object({ kind: z.literal('pause') }),
    z.object({ kind: z.literal('reset') }),
    z.object({
      kind: z.literal('extend'),
      seconds: z
        .number()
        .int()
        .min(-3600)
        .max(3600)
        .refine((n) => n !== 0),
    }),
  ]),
});

export interface Step {
  id: string;
  kind: StepKind;
  title: string;
  notes: string;
  minutes: number;
  start: string | null;
  /** Board steps: the axes open for writing (null: all). */
  axes: string[] | null;
  /** Breakout steps, and board steps run in groups: how groups are made; null otherwise. */
  breakout: BreakoutSpec | null;
  timer: TimerState;
}
