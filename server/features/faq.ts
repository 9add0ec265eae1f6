import { fail } from '../../shared/domain/errors.ts';
import type { FaqEntry } from '../../shared/schemas/question.ts';
import { command, done } from '../command.ts';
import type { Repos } from '../db/repos.ts';
import { anyone, isFacilitator } from '../permissions.ts';
import { newId } from '../security.ts';
import { faqEntries, publicFaq } from '../views/questions.ts';

function entryOf(reads: { repos: Repos }, eventId: string, entryId: string): FaqEntry | undefined {
  return faqEntries(reads, eventId, true).find((e) => e.id === entryId);
}

export const faqCommands = [
  command('faq:create', isFacilitator, (ctx, { eventId, questionId }) => {
    const q = ctx.repos.questions.get(eventId, questionId);
    if (!q || q.status === 'merged' || q.status === 'withdrawn') return fail('question_not_found');
    const id = newId();
    ctx.repos.questions.addFaq(eventId, { id, question: q.text, answer: q.answer ?? '', theme: q.theme, questionIds: [q.id] });
    const entry = entryOf(ctx, eventId, id);
    // Just written in this transaction: missing would be a fault of the store, answered as internal.
    if (!entry) throw new Error('FAQ entry not stored');
    return done(entry, { type: 'faqChanged', eventId });
  }),

  command('faq:update', isFacilitator, (ctx, { eventId, entryId, changes }) => {
    const entry = entryOf(ctx, eventId, entryId);
    if (!entry) return fail('faq_entry_not_found');
    const next = { ...entry, ...changes, theme: changes.theme !== undefined ? changes.theme || null : entry.theme };
    ctx.repos.questions.saveFaq(eventId, next);
    const saved = entryOf(ctx, eventId, entryId);
    if (!saved) return fail('faq_entry_not_found');
    return done(saved, { type: 'faqChanged', eventId });
  }),

  command('faq:remove', isFacilitator, (ctx, { eventId, entryId }) => {
    if (!ctx.repos.questions.removeFaq(eventId, entryId)) return fail('faq_entry_not_found');
    return done({ entryId }, { type: 'faqChanged', eventId });
  }),

  /** [FAQ2] The public page: published entries only; the socket hears later changes. */
  command('faq:public', anyone, (ctx, { faqId }) => {
    const eventId = ctx.repos.questions.eventOfFaq(faqId);
    const faq = eventId ? publicFaq(ctx, eventId) : null;
    if (!eventId || !faq) return fail('event_not_found');
    return done(faq, { type: 'callerFollowsFaq', eventId });
  }),
] as const;
