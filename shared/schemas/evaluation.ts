import { z } from 'zod';
import { EventScoped, Id, text } from './common.ts';
import { EVALUATION_SCALE, MAX_EVALUATION_TEXT } from './limits.ts';

const StepScoped = EventScoped.extend({ stepId: Id });

export const EvaluationItem = z.object({
  id: z.string().regex(/^[a-z0-9-]{1,24}$/),
  kind: z.enum(['scale', 'text']),
  text: text(1, 200),
});
export type EvaluationItem = z.output<typeof EvaluationItem>;

/** The form: 1-to-5 scales and open questions. Changeable until the first answer comes in. */
export const EvaluationConfigure = StepScoped.extend({
  items: z
    .array(EvaluationItem)
    .min(1)
    .max(20)
    .refine((items) => new Set(items.map((i) => i.id)).size === items.length, { message: 'ids are unique' }),
});
/** A person's answers (null or absent: skipped). Sent again, they replace the previous ones. */
export const EvaluationAnswer = StepScoped.extend({
  answers: z.record(z.string().regex(/^[a-z0-9-]{1,24}$/), z.union([z.number().int().min(1).max(EVALUATION_SCALE), text(0, MAX_EVALUATION_TEXT), z.null()])),
});
export const EvaluationStatus = StepScoped.extend({ open: z.boolean() });
export const EvaluationModerate = StepScoped.extend({ commentId: Id, status: z.enum(['approved', 'hidden']) });
export const EvaluationRef = StepScoped;

export interface EvaluationComment {
  id: string;
  itemId: string;
  text: string;
  status: 'pending' | 'approved' | 'hidden';
}

export interface EvaluationResults {
  responses: number;
  /** People who could answer: everyone who joined or was added. */
  people: number;
  /** Per scale: counts of 1 to 5, answers, mean, and the share of 4s and 5s. */
  scales: { itemId: string; counts: number[]; answers: number; mean: number | null; topShare: number | null }[];
  /** Facilitators see every comment to moderate; the bilan uses the approved ones. */
  comments: EvaluationComment[];
}

export interface EvaluationView {
  stepId: string;
  status: 'open' | 'closed';
  items: EvaluationItem[];
  /** Facilitators only. */
  results: EvaluationResults | null;
}

/** A participant's own answers, to change them until the form closes. */
export interface MyEvaluation {
  stepId: string;
  answers: Record<string, number | string>;
}
