import { fail, ok, type Result } from '../../shared/domain/errors.ts';
import { cleanAnswers, summarizeScale } from '../../shared/domain/evaluation.ts';
import { createDocumentTranslator } from '../../shared/i18n/index.ts';
import type { EvaluationItem, EvaluationResults, EvaluationView, MyEvaluation } from '../../shared/schemas/evaluation.ts';
import { EVALUATION_SCALE } from '../../shared/schemas/limits.ts';
import type { Locale } from '../../shared/schemas/common.ts';
import type { StoredEvaluation } from '../db/evaluations.ts';
import { rooms, type CommandContext, type Handlers, type Services } from '../context.ts';
import { toOtherProcesses } from '../scaling.ts';
import { newId, pseudonym } from '../security.ts';

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
function formOf(services: Services, eventId: string, stepId: string): StoredEvaluation | null {
  const step = services.repos.steps.get(eventId, stepId);
  if (!step || step.kind !== 'evaluation') return null;
  const stored = services.repos.evaluations.get(stepId);
  if (stored) return stored;
  const locale = services.repos.events.get(eventId)?.info.locale ?? 'fr-CA';
  return { stepId, eventId, status: 'open', items: defaultEvaluation(locale) };
}

function stored(ctx: CommandContext, eventId: string, stepId: string): Result<StoredEvaluation> {
  const form = formOf(ctx.services, eventId, stepId);
  if (!form) return fail('evaluation_not_found');
  if (!ctx.services.repos.evaluations.get(stepId)) ctx.services.repos.evaluations.create(eventId, stepId, form.items);
  return ok(form);
}

/** [EV-RESULTS] Live figures for facilitators: response rate, each scale's distribution, comments. */
function results(services: Services, eventId: string, form: StoredEvaluation): EvaluationResults {
  const { evaluations, participants } = services.repos;
  const answers = evaluations.allAnswers(form.stepId);
  return {
    responses: answers.length,
    people: participants.count(eventId),
    scales: form.items
      .filter((i) => i.kind === 'scale')
      .map((i) => ({ itemId: i.id, ...summarizeScale(answers.map((a) => a[i.id]).filter((v): v is number => typeof v === 'number'), EVALUATION_SCALE) })),
    comments: evaluations.comments(form.stepId),
  };
}

export function evaluationView(services: Services, eventId: string, stepId: string, audience: 'staff' | 'room'): EvaluationView | null {
  const form = formOf(services, eventId, stepId);
  if (!form) return null;
  return { stepId, status: form.status, items: form.items, results: audience === 'staff' ? results(services, eventId, form) : null };
}

function respondentOf(token: string | null, stepId: string): string | null {
  return token ? pseudonym(token, `evaluation:${stepId}`) : null;
}

export function myEvaluation(services: Services, stepId: string, token: string | null): MyEvaluation | null {
  const respondent = respondentOf(token, stepId);
  if (!respondent) return null;
  return { stepId, answers: services.repos.evaluations.answersOf(stepId, respondent) ?? {} };
}

function publishEvaluation(services: Services, eventId: string, stepId: string, roomToo: boolean): void {
  services.io.to(rooms.staff(eventId)).emit('evaluation:updated', { evaluation: evaluationView(services, eventId, stepId, 'staff') });
  if (roomToo) services.io.to(rooms.event(eventId)).except(rooms.staff(eventId)).emit('evaluation:updated', { evaluation: evaluationView(services, eventId, stepId, 'room') });
}

/**
 * An evaluation step starts: every screen gets the form, and each phone that already answered gets
 * its own answers back (found from the token it connected with).
 */
export function publishEvaluationStart(services: Services, eventId: string, stepId: string): void {
  publishEvaluation(services, eventId, stepId, true);
  answersBack(services, eventId, stepId);
  toOtherProcesses(services.io, 'local:evaluation', eventId, stepId);
}

/** The phones connected to this process that already answered get their own answers back. */
export function answersBack(services: Services, eventId: string, stepId: string): void {
  for (const id of services.io.sockets.adapter.rooms.get(rooms.event(eventId)) ?? []) {
    const socket = services.io.sockets.sockets.get(id);
    const token = (socket?.handshake.auth as { token?: unknown } | undefined)?.token;
    if (!socket || socket.data.actor.kind !== 'participant' || typeof token !== 'string') continue;
    const mine = myEvaluation(services, stepId, token);
    if (mine && Object.keys(mine.answers).length) socket.emit('evaluation:mine', mine);
  }
}

export const evaluationHandlers: Pick<Handlers, 'evaluation:configure' | 'evaluation:answer' | 'evaluation:status' | 'evaluation:moderate'> = {
  'evaluation:configure'(ctx, { eventId, stepId, items }) {
    const form = stored(ctx, eventId, stepId);
    if (!form.ok) return form;
    if (ctx.services.repos.evaluations.responses(stepId) > 0) return fail('evaluation_has_answers');
    ctx.services.repos.evaluations.setItems(stepId, items);
    ctx.after(() => publishEvaluation(ctx.services, eventId, stepId, true));
    return ok(evaluationView(ctx.services, eventId, stepId, 'staff') as EvaluationView);
  },

  /** [EV-ANON] One response per person (keyed hash of their device token), replaced when sent again. */
  'evaluation:answer'(ctx, { eventId, stepId, answers }) {
    const form = stored(ctx, eventId, stepId);
    if (!form.ok) return form;
    if (form.data.status !== 'open') return fail('evaluation_closed');
    const clean = cleanAnswers(form.data.items, answers);
    if (!clean || Object.keys(clean).length === 0) return fail('evaluation_answer_invalid');
    const respondent = respondentOf(ctx.token, stepId);
    if (!respondent) return fail('forbidden');
    const scales: Record<string, number> = {};
    const texts: Record<string, string> = {};
    for (const [id, v] of Object.entries(clean)) {
      if (typeof v === 'number') scales[id] = v;
      else texts[id] = v;
    }
    ctx.services.repos.evaluations.save(stepId, respondent, scales, texts, newId);
    const mine = myEvaluation(ctx.services, stepId, ctx.token) as MyEvaluation;
    ctx.after(() => {
      if (ctx.actor.kind === 'participant') ctx.socket.to(rooms.participant(ctx.actor.participantId)).emit('evaluation:mine', mine);
      publishEvaluation(ctx.services, eventId, stepId, false);
    });
    return ok(mine);
  },

  'evaluation:status'(ctx, { eventId, stepId, open }) {
    const form = stored(ctx, eventId, stepId);
    if (!form.ok) return form;
    const status = open ? 'open' : 'closed';
    ctx.services.repos.evaluations.setStatus(stepId, status);
    ctx.after(() => publishEvaluation(ctx.services, eventId, stepId, true));
    return ok({ status });
  },

  'evaluation:moderate'(ctx, { eventId, stepId, commentId, status }) {
    const form = stored(ctx, eventId, stepId);
    if (!form.ok) return form;
    if (!ctx.services.repos.evaluations.moderate(stepId, commentId, status)) return fail('comment_not_found');
    const comment = ctx.services.repos.evaluations.comments(stepId).find((c) => c.id === commentId);
    ctx.after(() => publishEvaluation(ctx.services, eventId, stepId, false));
    return comment ? ok(comment) : fail('comment_not_found');
  },
};
