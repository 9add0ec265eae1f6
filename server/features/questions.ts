import { fail, ok, type Result } from '../../shared/domain/errors.ts';
import { hiddenByReason, onView } from '../../shared/domain/questions.ts';
import type { HideReason, Question, QuestionSettings, QuestionsView } from '../../shared/schemas/question.ts';
import { rooms, type CommandContext, type Handlers, type Services } from '../context.ts';
import { coarseTime, hashSecret, newId, pseudonym, sameHash } from '../security.ts';
import { publishFaq } from './faq.ts';

/** Support counts reach the room at most this often per question: a burst of clicks is one update. */
export const SUPPORTS_EVERY_MS = 200;

export function questionSettings(services: Services, eventId: string): QuestionSettings & { faqId: string } {
  return services.repos.questions.settings(eventId);
}

function publicSettings({ preModeration, anyTime, spotlight, projector }: QuestionSettings): QuestionSettings {
  return { preModeration, anyTime, spotlight, projector };
}

/** The supporter key of a participant in an event: a keyed hash of their device token (see pseudonym). */
function supporterOf(token: string | null, eventId: string): string | null {
  return token ? pseudonym(token, `support:${eventId}`) : null;
}

/** Questions as a screen may see them: facilitators everything, everyone else what is on view. */
export function questionsView(services: Services, eventId: string, audience: 'staff' | 'room', token: string | null = null): QuestionsView {
  const all = services.repos.questions.list(eventId);
  const supporter = audience === 'room' ? supporterOf(token, eventId) : null;
  return {
    settings: publicSettings(questionSettings(services, eventId)),
    questions: audience === 'staff' ? all : all.filter((q) => onView(q.status)),
    hidden: hiddenByReason(all),
    mySupports: supporter ? services.repos.questions.supportsOf(eventId, supporter) : null,
  };
}

/** One question changed: facilitators get it; the room gets it if on view, else null (screens drop it). */
export function publishQuestion(services: Services, eventId: string, questionId: string): void {
  const question = services.repos.questions.get(eventId, questionId) ?? null;
  const hidden = services.repos.questions.hiddenByReason(eventId);
  services.io.to(rooms.staff(eventId)).emit('question:updated', { questionId, question, hidden });
  services.io
    .to(rooms.event(eventId))
    .except(rooms.staff(eventId))
    .emit('question:updated', { questionId, question: question && onView(question.status) ? question : null, hidden });
}

function publishSettings(services: Services, eventId: string): void {
  services.io.to(rooms.event(eventId)).emit('questions:settings', { settings: publicSettings(questionSettings(services, eventId)) });
}

/** [QU-OPEN] People ask during a questions step, or at any time if the facilitators allow it. */
function askingOpen(services: Services, eventId: string): boolean {
  const stored = services.repos.events.get(eventId);
  if (!stored) return false;
  const current = stored.currentStepId ? services.repos.steps.get(eventId, stored.currentStepId) : undefined;
  return current?.kind === 'questions' || questionSettings(services, eventId).anyTime;
}

function questionOf(ctx: CommandContext, eventId: string, id: string): Result<Question> {
  const q = ctx.services.repos.questions.get(eventId, id);
  return q ? ok(q) : fail('question_not_found');
}

function staffRole(ctx: CommandContext): string {
  return ctx.actor.kind === 'staff' ? ctx.actor.role : 'participant';
}

export const questionHandlers: Pick<
  Handlers,
  'question:ask' | 'question:mine' | 'question:withdraw' | 'question:support' | 'question:moderate' | 'question:merge' | 'question:answer' | 'questions:configure'
> = {
  /**
   * [QU-ANON] What is stored: the text, the name only if the person signs, the hash of a secret only
   * their device holds, the step it was asked in. No participant id, device, address, browser or time.
   */
  'question:ask'(ctx, { eventId, text, ownerToken, named }) {
    const { events, participants, questions } = ctx.services.repos;
    const stored = events.get(eventId);
    if (!stored) return fail('event_not_found');
    if (!askingOpen(ctx.services, eventId)) return fail('questions_closed');
    if (named && !stored.info.allowNamedContributions) return fail('named_not_allowed');
    const name = named && ctx.actor.kind === 'participant' ? (participants.get(eventId, ctx.actor.participantId)?.me.displayName ?? null) : null;
    const settings = questionSettings(ctx.services, eventId);
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
    if (!question) return fail('question_not_found');
    ctx.after(() => publishQuestion(ctx.services, eventId, id));
    return ok({ question });
  },

  'question:mine'(ctx, { eventId, ownerTokens }) {
    if (!ctx.services.repos.events.get(eventId)) return fail('event_not_found');
    return ok({ questions: ctx.services.repos.questions.mine(eventId, ownerTokens.map(hashSecret)) });
  },

  'question:withdraw'(ctx, { eventId, questionId, ownerToken }) {
    const stored = ctx.services.repos.questions.ownerHash(eventId, questionId);
    if (stored === undefined) return fail('question_not_found');
    if (!sameHash(stored, hashSecret(ownerToken))) return fail('question_not_yours');
    ctx.services.repos.questions.setStatus(eventId, questionId, 'withdrawn');
    ctx.after(() => publishQuestion(ctx.services, eventId, questionId));
    return ok({ questionId });
  },

  /** [QU-SUPPORT] Once per person and question (primary key); the asker does not support their own. */
  'question:support'(ctx, { eventId, questionId, support }) {
    const q = questionOf(ctx, eventId, questionId);
    if (!q.ok) return q;
    if (support && !onView(q.data.status)) return fail('question_not_found');
    const supporter = supporterOf(ctx.token, eventId);
    if (!supporter) return fail('forbidden');
    ctx.services.repos.questions.support(questionId, supporter, support);
    const supports = ctx.services.repos.questions.get(eventId, questionId)?.supports ?? 0;
    ctx.after(() => ctx.services.questionUpdates.schedule(eventId, questionId));
    return ok({ questionId, supported: support, supports });
  },

  'question:moderate'(ctx, { eventId, questionId, action }) {
    const q = questionOf(ctx, eventId, questionId);
    if (!q.ok) return q;
    if (q.data.status === 'merged' || q.data.status === 'withdrawn') return fail('question_not_found');
    const { questions } = ctx.services.repos;
    const reason: HideReason | null = action.kind === 'hide' ? action.reason : null;
    questions.setStatus(eventId, questionId, action.kind === 'hide' ? 'hidden' : 'visible', reason);
    questions.log(eventId, questionId, action.kind, reason, staffRole(ctx), coarseTime(ctx.now));
    const settings = questionSettings(ctx.services, eventId);
    const unspot = action.kind === 'hide' && settings.spotlight === questionId;
    if (unspot) questions.saveSettings(eventId, { ...settings, spotlight: null });
    ctx.after(() => {
      publishQuestion(ctx.services, eventId, questionId);
      if (unspot) publishSettings(ctx.services, eventId);
    });
    return ok({ question: questions.get(eventId, questionId) as Question });
  },

  /** [QU-MERGE] Supporters are unioned (once each); merged questions keep their text and count as askers. */
  'question:merge'(ctx, { eventId, keepId, mergeIds }) {
    const { questions } = ctx.services.repos;
    const keep = questionOf(ctx, eventId, keepId);
    if (!keep.ok) return keep;
    const others = [...new Set(mergeIds)].filter((id) => id !== keepId);
    const live = (q: Question | undefined) => q !== undefined && q.status !== 'merged' && q.status !== 'withdrawn';
    if (!live(keep.data) || others.length === 0 || !others.every((id) => live(questions.get(eventId, id)))) return fail('question_not_found');
    // A question merged earlier into one of these follows it to the kept one.
    const followers = questions.list(eventId).filter((q) => q.status === 'merged' && q.mergedInto !== null && others.includes(q.mergedInto));
    questions.merge(eventId, keepId, others);
    for (const f of followers) questions.merge(eventId, keepId, [f.id]);
    for (const id of others) questions.log(eventId, id, 'merge', keepId, staffRole(ctx), coarseTime(ctx.now));
    ctx.after(() => {
      for (const id of [...others, keepId]) publishQuestion(ctx.services, eventId, id);
      publishFaq(ctx.services, eventId);
    });
    return ok({ question: questions.get(eventId, keepId) as Question });
  },

  'question:answer'(ctx, { eventId, questionId, changes }) {
    const q = questionOf(ctx, eventId, questionId);
    if (!q.ok) return q;
    const next = {
      answer: changes.answer !== undefined ? changes.answer || null : q.data.answer,
      answeredLive: changes.answeredLive ?? q.data.answeredLive,
      theme: changes.theme !== undefined ? changes.theme || null : q.data.theme,
    };
    ctx.services.repos.questions.setAnswer(eventId, questionId, next.answer, next.answeredLive, next.theme);
    ctx.after(() => publishQuestion(ctx.services, eventId, questionId));
    return ok({ question: ctx.services.repos.questions.get(eventId, questionId) as Question });
  },

  'questions:configure'(ctx, { eventId, changes }) {
    if (!ctx.services.repos.events.get(eventId)) return fail('event_not_found');
    if (changes.spotlight) {
      const q = ctx.services.repos.questions.get(eventId, changes.spotlight);
      if (!q || !onView(q.status)) return fail('question_not_found');
    }
    const current = questionSettings(ctx.services, eventId);
    const next: QuestionSettings = { ...publicSettings(current), ...changes };
    ctx.services.repos.questions.saveSettings(eventId, next);
    ctx.after(() => publishSettings(ctx.services, eventId));
    return ok(next);
  },
};

