import { fail, ok, type Result } from '../../shared/domain/errors.ts';
import { onView } from '../../shared/domain/questions.ts';
import type { HideReason, Question, QuestionSettings } from '../../shared/schemas/question.ts';
import { command, done, type CommandContext } from '../command.ts';
import type { Repos } from '../db/repos.ts';
import type { Effect } from '../effects.ts';
import { isFacilitator, isParticipant } from '../permissions.ts';
import { coarseTime, hashSecret, newId, sameHash } from '../security.ts';
import { publicSettings, questionSettings, supporterOf } from '../views/questions.ts';

/** [QU-OPEN] People ask during a questions step, or at any time if the facilitators allow it. */
function askingOpen(services: { repos: Repos }, eventId: string): boolean {
  const stored = services.repos.events.get(eventId);
  if (!stored) return false;
  const current = stored.currentStepId ? services.repos.steps.get(eventId, stored.currentStepId) : undefined;
  return current?.kind === 'questions' || questionSettings(services, eventId).anyTime;
}

function questionOf(ctx: CommandContext, eventId: string, id: string): Result<Question, 'question_not_found'> {
  const q = ctx.repos.questions.get(eventId, id);
  return q ? ok(q) : fail('question_not_found');
}

export const questionCommands = [
  /**
   * [QU-ANON] What is stored: the text, the name only if the person signs, the hash of a secret only
   * their device holds, the step it was asked in. No participant id, device, address, browser or time.
   */
  command('question:ask', isParticipant, (ctx, { eventId, text, ownerToken, named }) => {
    const { events, participants, questions } = ctx.repos;
    const stored = events.get(eventId);
    if (!stored) return fail('event_not_found');
    if (!askingOpen(ctx, eventId)) return fail('questions_closed');
    if (named && !stored.info.allowNamedContributions) return fail('named_not_allowed');
    const name = named ? (participants.get(eventId, ctx.actor.participantId)?.me.displayName ?? null) : null;
    const settings = questionSettings(ctx, eventId);
    const id = newId();
    questions.insert({
      id,
      eventId,
      stepId: stored.currentStepId,
      text,
      name,
      ownerHash: hashSecret(ownerToken),
      status: settings.preModeration ? 'pending' : 'visible',
    });
    const question = questions.get(eventId, id);
    // Just written in this transaction: missing would be a fault of the store, answered as internal.
    if (!question) throw new Error('question not stored');
    return done({ question }, { type: 'questionChanged', eventId, questionId: id });
  }),

  command('question:mine', isParticipant, (ctx, { eventId, ownerTokens }) => {
    if (!ctx.repos.events.get(eventId)) return fail('event_not_found');
    return done({ questions: ctx.repos.questions.mine(eventId, ownerTokens.map(hashSecret)) });
  }),

  command('question:withdraw', isParticipant, (ctx, { eventId, questionId, ownerToken }) => {
    const stored = ctx.repos.questions.ownerHash(eventId, questionId);
    if (stored === undefined) return fail('question_not_found');
    if (!sameHash(stored, hashSecret(ownerToken))) return fail('question_not_yours');
    ctx.repos.questions.setStatus(eventId, questionId, 'withdrawn');
    return done({ questionId }, { type: 'questionChanged', eventId, questionId });
  }),

  /** [QU-SUPPORT] Once per person and question (primary key); the asker does not support their own. */
  command('question:support', isParticipant, (ctx, { eventId, questionId, support }) => {
    const q = questionOf(ctx, eventId, questionId);
    if (!q.ok) return q;
    if (support && !onView(q.data.status)) return fail('question_not_found');
    const supporter = supporterOf(ctx.token, eventId);
    if (!supporter) return fail('forbidden');
    ctx.repos.questions.support(questionId, supporter, support);
    const supports = ctx.repos.questions.get(eventId, questionId)?.supports ?? 0;
    return done({ questionId, supported: support, supports }, { type: 'questionChanged', eventId, questionId, supportOnly: true });
  }),

  command('question:moderate', isFacilitator, (ctx, { eventId, questionId, action }) => {
    const q = questionOf(ctx, eventId, questionId);
    if (!q.ok) return q;
    if (q.data.status === 'merged' || q.data.status === 'withdrawn') return fail('question_not_found');
    const { questions } = ctx.repos;
    const reason: HideReason | null = action.kind === 'hide' ? action.reason : null;
    questions.setStatus(eventId, questionId, action.kind === 'hide' ? 'hidden' : 'visible', reason);
    questions.log(eventId, questionId, action.kind, reason, ctx.actor.role, coarseTime(ctx.now));
    const settings = questionSettings(ctx, eventId);
    const unspot = action.kind === 'hide' && settings.spotlight === questionId;
    if (unspot) questions.saveSettings(eventId, { ...settings, spotlight: null });
    const question = questions.get(eventId, questionId);
    if (!question) return fail('question_not_found');
    return done({ question }, { type: 'questionChanged', eventId, questionId }, unspot && { type: 'questionSettingsChanged', eventId });
  }),

  /** [QU-MERGE] Supporters are unioned (once each); merged questions keep their text and count as askers. */
  command('question:merge', isFacilitator, (ctx, { eventId, keepId, mergeIds }) => {
    const { questions } = ctx.repos;
    const keep = questionOf(ctx, eventId, keepId);
    if (!keep.ok) return keep;
    const others = [...new Set(mergeIds)].filter((id) => id !== keepId);
    const live = (q: Question | undefined) => q !== undefined && q.status !== 'merged' && q.status !== 'withdrawn';
    if (!live(keep.data) || others.length === 0 || !others.every((id) => live(questions.get(eventId, id)))) return fail('question_not_found');
    // A question merged earlier into one of these follows it to the kept one.
    const followers = questions.list(eventId).filter((q) => q.status === 'merged' && q.mergedInto !== null && others.includes(q.mergedInto));
    questions.merge(eventId, keepId, others);
    for (const f of followers) questions.merge(eventId, keepId, [f.id]);
    for (const id of others) questions.log(eventId, id, 'merge', keepId, ctx.actor.role, coarseTime(ctx.now));
    const question = questions.get(eventId, keepId);
    if (!question) return fail('question_not_found');
    return done({ question }, ...[...others, keepId].map((id): Effect => ({ type: 'questionChanged', eventId, questionId: id })), {
      type: 'faqChanged',
      eventId,
    });
  }),

  command('question:answer', isFacilitator, (ctx, { eventId, questionId, changes }) => {
    const q = questionOf(ctx, eventId, questionId);
    if (!q.ok) return q;
    const next = {
      answer: changes.answer !== undefined ? changes.answer || null : q.data.answer,
      answeredLive: changes.answeredLive ?? q.data.answeredLive,
      theme: changes.theme !== undefined ? changes.theme || null : q.data.theme,
    };
    ctx.repos.questions.setAnswer(eventId, questionId, next.answer, next.answeredLive, next.theme);
    const question = ctx.repos.questions.get(eventId, questionId);
    if (!question) return fail('question_not_found');
    return done({ question }, { type: 'questionChanged', eventId, questionId });
  }),

  command('questions:configure', isFacilitator, (ctx, { eventId, changes }) => {
    if (!ctx.repos.events.get(eventId)) return fail('event_not_found');
    if (changes.spotlight) {
      const q = ctx.repos.questions.get(eventId, changes.spotlight);
      if (!q || !onView(q.status)) return fail('question_not_found');
    }
    const current = questionSettings(ctx, eventId);
    const next: QuestionSettings = { ...publicSettings(current), ...changes };
    ctx.repos.questions.saveSettings(eventId, next);
    return done(next, { type: 'questionSettingsChanged', eventId });
  }),
] as const;
