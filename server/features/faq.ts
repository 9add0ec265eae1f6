import { fail, ok } from '../../shared/domain/errors.ts';
import type { FaqEntry, PublicFaq } from '../../shared/schemas/question.ts';
import { rooms, type Handlers, type Services } from '../context.ts';
import { newId } from '../security.ts';
import { questionSettings } from './questions.ts';

/**
 * [FAQ1] FAQ entries with how many people asked (each question and those merged into it) and how
 * many supported (distinct supporters of its questions). Drafts only for facilitators.
 */
export function faqEntries(services: Services, eventId: string, drafts: boolean): FaqEntry[] {
  const { questions } = services.repos;
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

export function faqUrl(services: Services, eventId: string): string {
  return `${services.config.publicUrl}/faq/${questionSettings(services, eventId).faqId}`;
}

/** Facilitators get every entry; the room and the public page the published ones. */
export function publishFaq(services: Services, eventId: string): void {
  const published = faqEntries(services, eventId, false);
  services.io.to(rooms.staff(eventId)).emit('faq:updated', { entries: faqEntries(services, eventId, true) });
  services.io.to(rooms.event(eventId)).to(rooms.faq(eventId)).except(rooms.staff(eventId)).emit('faq:updated', { entries: published });
}

function entryOf(services: Services, eventId: string, entryId: string): FaqEntry | undefined {
  return faqEntries(services, eventId, true).find((e) => e.id === entryId);
}

export const faqHandlers: Pick<Handlers, 'faq:create' | 'faq:update' | 'faq:remove' | 'faq:public'> = {
  'faq:create'(ctx, { eventId, questionId }) {
    const q = ctx.services.repos.questions.get(eventId, questionId);
    if (!q || q.status === 'merged' || q.status === 'withdrawn') return fail('question_not_found');
    const id = newId();
    ctx.services.repos.questions.addFaq(eventId, { id, question: q.text, answer: q.answer ?? '', theme: q.theme, questionIds: [q.id] });
    ctx.after(() => publishFaq(ctx.services, eventId));
    const entry = entryOf(ctx.services, eventId, id);
    return entry ? ok(entry) : fail('faq_entry_not_found');
  },

  'faq:update'(ctx, { eventId, entryId, changes }) {
    const entry = entryOf(ctx.services, eventId, entryId);
    if (!entry) return fail('faq_entry_not_found');
    const next = { ...entry, ...changes, theme: changes.theme !== undefined ? changes.theme || null : entry.theme };
    ctx.services.repos.questions.saveFaq(eventId, next);
    ctx.after(() => publishFaq(ctx.services, eventId));
    return ok(entryOf(ctx.services, eventId, entryId) as FaqEntry);
  },

  'faq:remove'(ctx, { eventId, entryId }) {
    if (!ctx.services.repos.questions.removeFaq(eventId, entryId)) return fail('faq_entry_not_found');
    ctx.after(() => publishFaq(ctx.services, eventId));
    return ok({ entryId });
  },

  /** [FAQ2] The public page: published entries only; the socket hears later changes. */
  'faq:public'(ctx, { faqId }) {
    const eventId = ctx.services.repos.questions.eventOfFaq(faqId);
    const stored = eventId ? ctx.services.repos.events.get(eventId) : undefined;
    if (!eventId || !stored) return fail('event_not_found');
    const { title, date, place, locale, axes } = stored.info;
    const faq: PublicFaq = { event: { title, date, place, locale, axes: axes.map((a) => ({ key: a.key, title: a.title })) }, entries: faqEntries(ctx.services, eventId, false) };
    ctx.after(() => void ctx.socket.join(rooms.faq(eventId)));
    return ok(faq);
  },
};
