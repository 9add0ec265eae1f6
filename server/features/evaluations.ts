import { fail, ok, type Result } from '../../shared/domain/errors.ts';
import { cleanAnswers } from '../../shared/domain/evaluation.ts';
import type { StoredEvaluation } from '../db/evaluations.ts';
import { command, done, type CommandContext } from '../command.ts';
import { isFacilitator, isParticipant } from '../permissions.ts';
import { newId } from '../security.ts';
import { evaluationView, formOf, myEvaluation, respondentOf } from '../views/evaluations.ts';

/** The stored form, made from the default one on first use. */
function stored(ctx: CommandContext, eventId: string, stepId: string): Result<StoredEvaluation, 'evaluation_not_found'> {
  const form = formOf(ctx, eventId, stepId);
  if (!form) return fail('evaluation_not_found');
  if (!ctx.repos.evaluations.get(stepId)) ctx.repos.evaluations.create(eventId, stepId, form.items);
  return ok(form);
}

export const evaluationCommands = [
  command('evaluation:configure', isFacilitator, (ctx, { eventId, stepId, items }) => {
    const form = stored(ctx, eventId, stepId);
    if (!form.ok) return form;
    if (ctx.repos.evaluations.responses(stepId) > 0) return fail('evaluation_has_answers');
    ctx.repos.evaluations.setItems(stepId, items);
    const view = evaluationView(ctx, eventId, stepId, 'staff');
    if (!view) return fail('evaluation_not_found');
    return done(view, { type: 'evaluationChanged', eventId, stepId, forRoom: true });
  }),

  /** [EV-ANON] One response per person (keyed hash of their device token), replaced when sent again. */
  command('evaluation:answer', isParticipant, (ctx, { eventId, stepId, answers }) => {
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
    ctx.repos.evaluations.save(stepId, respondent, scales, texts, newId);
    const mine = myEvaluation(ctx, stepId, ctx.token);
    if (!mine) return fail('forbidden');
    return done(
      mine,
      { type: 'evaluationAnswered', eventId, stepId, participantId: ctx.actor.participantId, mine },
      { type: 'evaluationChanged', eventId, stepId, forRoom: false },
    );
  }),

  command('evaluation:status', isFacilitator, (ctx, { eventId, stepId, open }) => {
    const form = stored(ctx, eventId, stepId);
    if (!form.ok) return form;
    const status = open ? ('open' as const) : ('closed' as const);
    ctx.repos.evaluations.setStatus(stepId, status);
    return done({ status }, { type: 'evaluationChanged', eventId, stepId, forRoom: true });
  }),

  command('evaluation:moderate', isFacilitator, (ctx, { eventId, stepId, commentId, status }) => {
    const form = stored(ctx, eventId, stepId);
    if (!form.ok) return form;
    if (!ctx.repos.evaluations.moderate(stepId, commentId, status)) return fail('comment_not_found');
    const comment = ctx.repos.evaluations.comments(stepId).find((c) => c.id === commentId);
    return comment ? done(comment, { type: 'evaluationChanged', eventId, stepId, forRoom: false }) : fail('comment_not_found');
  }),
] as const;
