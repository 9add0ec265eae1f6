import { z } from 'zod';
import { EventScoped, Id, text } from './common.ts';
import { HIDE_REASONS, MAX_QUESTION_TEXT } from './limits.ts';

/** A secret the asking device makes for each question: only its hash is stored, to find "my questions". */
export const OwnerToken = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/);

export const QuestionAsk = EventScoped.extend({
  text: text(1, MAX_QUESTION_TEXT),
  ownerToken: OwnerToken,
  /** Sign with the display name: only where the event allows it, and only if the person chooses to. */
  named: z.boolean().default(false),
});
/** The device's own questions, whatever their status, found by the tokens it holds. */
export const QuestionMine = EventScoped.extend({ ownerTokens: z.array(OwnerToken).max(200) });
/** The asker takes back a question (proving it with its token). */
export const QuestionWithdraw = EventScoped.extend({ questionId: Id, ownerToken: OwnerToken });
export const QuestionSupport = EventScoped.extend({ questionId: Id, support: z.boolean() });
export const QuestionModerate = EventScoped.extend({
  questionId: Id,
  action: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('approve') }),
    z.object({ kind: z.literal('hide'), reason: z.enum(HIDE_REASONS) }),
    z.object({ kind: z.literal('restore') }),
  ]),
});
/** Duplicates: the others join the kept question; their supporters count once each, their texts stay. */
export const QuestionMerge = EventScoped.extend({ keepId: Id, mergeIds: z.array(Id).min(1).max(50) });
export const QuestionAnswer = EventScoped.extend({
  questionId: Id,
  changes: z
    .object({
      /** A written answer (null: none). */
      answer: text(0, 4000).nullable(),
      /** Answered out loud during the day. */
      answeredLive: z.boolean(),
      /** An axis key or a theme of the facilitator's own (null: none). */
      theme: text(0, 80).nullable(),
    })
    .partial(),
});
export const QuestionsConfigure = EventScoped.extend({
  changes: z
    .object({
      /** Questions wait for a facilitator's approval before the room sees them. */
      preModeration: z.boolean(),
      /** People may ask at any moment, not only during a questions step. */
      anyTime: z.boolean(),
      /** The question being answered, on the projector (null: none). */
      spotlight: Id.nullable(),
      /** What the projector shows during a questions step. */
      projector: z.enum(['questions', 'faq']),
    })
    .partial(),
});

export const FaqCreate = EventScoped.extend({ questionId: Id });
export const FaqUpdate = EventScoped.extend({
  entryId: Id,
  changes: z
    .object({
      question: text(1, 1000),
      answer: text(0, 4000),
      theme: text(0, 80).nullable(),
      status: z.enum(['draft', 'published']),
    })
    .partial(),
});
export const FaqRemove = EventScoped.extend({ entryId: Id });
/** The public, read-only FAQ page: anyone with its link. */
export const FaqPublic = z.object({ faqId: Id });

export type QuestionStatus = 'pending' | 'visible' | 'hidden' | 'merged' | 'withdrawn';
export type HideReason = (typeof HIDE_REASONS)[number];

/** A question as a screen sees it. Nothing in it, or stored with it, says who asked. */
export interface Question {
  id: string;
  /** Per event, in the order questions came: for "most recent" (no time is kept). */
  seq: number;
  text: string;
  /** The display name, only if the person chose to sign. */
  name: string | null;
  status: QuestionStatus;
  hideReason: HideReason | null;
  mergedInto: string | null;
  /** The original texts of the questions merged into this one, for the record. */
  merged: string[];
  supports: number;
  answer: string | null;
  answeredLive: boolean;
  theme: string | null;
}

export interface QuestionSettings {
  preModeration: boolean;
  anyTime: boolean;
  spotlight: string | null;
  projector: 'questions' | 'faq';
}

export interface QuestionsView {
  settings: QuestionSettings;
  /** Facilitators: every question. Others: the ones on view (visible, answered). */
  questions: Question[];
  /** What moderation hid, by reason: everyone sees these counts. */
  hidden: Partial<Record<HideReason, number>>;
  /** A participant's supports. */
  mySupports: string[] | null;
}

export interface FaqEntry {
  id: string;
  position: number;
  question: string;
  answer: string;
  theme: string | null;
  status: 'draft' | 'published';
  /** The questions it was compiled from. */
  questionIds: string[];
  /** How many people asked it (merged questions included) and supported it. */
  asked: number;
  supports: number;
}

export interface PublicFaq {
  event: { title: string; date: string | null; place: string | null; locale: 'fr-CA' | 'en-CA'; axes: { key: string; title: string }[] };
  entries: FaqEntry[];
}
