/** What each audience may see of questions and the FAQ: facilitators everything, everyone else what is on view or published. */
import { hiddenByReason, onView } from '../../shared/domain/questions.ts';
import type { FaqEntry, PublicFaq, Question, QuestionSettings, QuestionsView } from '../../shared/schemas/question.ts';
import { pseudonym } from '../security.ts';
import type { Reads } from './reads.ts';

export function questionSettings(reads: Pick<Reads, 'repos'>, eventId: string): QuestionSettings & { faqId: string } {
  return reads.repos.questions.settings(eventId);
}

/** The settings without the FAQ page's id, which only facilitators hold (in its link). */
export function publicSettings({ preModeration, anyTime, spotlight, projector }: QuestionSettings): QuestionSettings {
  return { preModeration, anyTime, spotlight, projector };
}

/** The supporter key of a participant in an event: a keyed hash of their device token (see pseudonym). */
export function supporterOf(token: string | null, eventId: string): string | null {
  return token ? pseudonym(token, `support:${eventId}`) : null;
}

/** Questions as a screen may see them: facilitators everything, everyone else what is on view. */
export function questionsView(reads: Pick<Reads, 'repos'>, eventId: string, audience: 'staff' | 'room', token: string | null = null): QuestionsView {
  const all = reads.repos.questions.list(eventId);
  const supporter = audience === 'room' ? supporterOf(token, eventId) : null;
  return {
    settings: publicSettings(questionSettings(reads, eventId)),
    questions: audience === 'staff' ? all : all.filter((q) => onView(q.status)),
    hidden: hiddenByReason(all),
    mySupports: supporter ? reads.repos.questions.supportsOf(eventId, supporter) : null,
  };
}

/** One question as an audience may see it: the room gets null for a question not on view (screens drop it). */
export function questionFor(question: Question | null, audience: 'staff' | 'room'): Question | null {
  if (audience === 'staff') return question;
  return question && onView(question.status) ? question : null;
}

/**
 * [FAQ1] FAQ entries with how many people asked (each question and those merged into it) and how
 * many supported (distinct supporters of its questions). Drafts only for facilitators.
 */
export function faqEntries(reads: Pick<Reads, 'repos'>, eventId: string, drafts: boolean): FaqEntry[] {
  const { questions } = reads.repos;
  const byId = new Map(questions.list(eventId).map((q) => [q.id, q]));
  return questions
    .faq(eventId)
    .filter((e) => drafts || e.status === 'published')
    .map((e) => ({
      ...e,
      asked: e.questionIds.reduce((n, id) => n + (byId.has(id) ? 1 + (byId.get(id)?.merged.length ?? 0) : 0), 0),
      supports: questions.supporters(e.questionIds),
    }));
}

export function faqUrl(reads: Reads, eventId: string): string {
  return `${reads.config.publicUrl}/faq/${questionSettings(reads, eventId).faqId}`;
}

/** [FAQ2] The public page: the event's public facts and the published entries only. */
export function publicFaq(reads: Pick<Reads, 'repos'>, eventId: string): PublicFaq | null {
  const stored = reads.repos.events.get(eventId);
  if (!stored) return null;
  const { title, date, place, locale, axes } = stored.info;
  return { event: { title, date, place, locale, axes: axes.map((a) => ({ key: a.key, title: a.title })) }, entries: faqEntries(reads, eventId, false) };
}
