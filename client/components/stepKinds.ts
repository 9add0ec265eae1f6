import type { StepKind } from '../../shared/schemas/step.ts';

// Every kind of the schema, in the order of a day; a Record so that a new kind must be listed here.
const KIND_ORDER: Record<StepKind, number> = { plenary: 0, questions: 1, breakout: 2, board: 3, vote: 4, evaluation: 5 };

export const KINDS = (Object.keys(KIND_ORDER) as StepKind[]).sort((a, b) => KIND_ORDER[a] - KIND_ORDER[b]);

export function isStepKind(value: unknown): value is StepKind {
  return typeof value === 'string' && value in KIND_ORDER;
}
