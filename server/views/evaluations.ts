/** What each audience may see of an evaluation: the form for everyone, live results for facilitators only. */
import { summarizeScale } from '../../shared/domain/evaluation.ts';
import { createDocumentTranslator } from '../../shared/i18n/index.ts';
import type { EvaluationItem, EvaluationResults, EvaluationView, MyEvaluation } from '../../shared/schemas/evaluation.ts';
import { EVALUATION_SCALE } from '../../shared/schemas/limits.ts';
import type { Locale } from '../../shared/schemas/common.ts';
import type { StoredEvaluation } from '../db/evaluations.ts';
import { pseudonym } from '../security.ts';
import type { Reads } from './reads.ts';

/** [EV-DEFAULT] The forum's own form: three scales and one open question, in the event's language. */
export function defaultEvaluation(locale: Locale): EvaluationItem[] {
  const t = createDocumentTranslator(locale);
  return [
    { id: 'useful', kind: 'scale', text: t('evaluation.default.useful') },
    { id: 'voice', kind: 'scale', text: t('evaluation.default.voice') },
    { id: 'access', kind: 'scale', text: t('evaluation.default.access') },
    { id: 'improve', kind: 'text', text: t('evaluation.default.improve') },
  ];
}

/** The stored form, or the default one (not stored until someone configures or answers it). */
export function formOf(reads: Pick<Reads, 'repos'>, eventId: string, stepId: string): StoredEvaluation | null {
  const step = reads.repos.steps.get(eventId, stepId);
  if (!step || step.kind !== 'evaluation') return null;
  const stored = reads.repos.evaluations.get(stepId);
  if (stored) return stored;
  const locale = reads.repos.events.get(eventId)?.info.locale ?? 'fr-CA';
  return { stepId, eventId, status: 'open', items: defaultEvaluation(locale) };
}

/** [EV-RESULTS] Live figures for facilitators: response rate, each scale's distribution, comments. */
function results(reads: Pick<Reads, 'repos'>, eventId: string, form: StoredEvaluation): EvaluationResults {
  const { evaluations, participants } = reads.repos;
  const answers = evaluations.allAnswers(form.stepId);
  return {
    responses: answers.length,
    people: participants.count(eventId),
    scales: form.items
      .filter((i) => i.kind === 'scale')
      .map((i) => ({
        itemId: i.id,
        ...summarizeScale(
          answers.map((a) => a[i.id]).filter((v): v is number => typeof v === 'number'),
          EVALUATION_SCALE,
        ),
      })),
    comments: evaluations.comments(form.stepId),
  };
}

export function evaluationView(reads: Pick<Reads, 'repos'>, eventId: string, stepId: string, audience: 'staff' | 'room'): EvaluationView | null {
  const form = formOf(reads, eventId, stepId);
  if (!form) return null;
  return { stepId, status: form.status, items: form.items, results: audience === 'staff' ? results(reads, eventId, form) : null };
}

export function respondentOf(token: string | null, stepId: string): string | null {
  return token ? pseudonym(token, `evaluation:${stepId}`) : null;
}

export function myEvaluation(reads: Pick<Reads, 'repos'>, stepId: string, token: string | null): MyEvaluation | null {
  const respondent = respondentOf(token, stepId);
  if (!respondent) return null;
  return { stepId, answers: reads.repos.evaluations.answersOf(stepId, respondent) ?? {} };
}
