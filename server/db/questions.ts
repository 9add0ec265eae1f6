import type { Db } from './index.ts';
import type { FaqEntry, HideReason, Question, QuestionSettings, QuestionStatus } from '../../shared/schemas/question.ts';

interface QuestionRow {
  id: string;
  seq: number;
  text: string;
  name: string | null;
  status: string;
  hide_reason: string | null;
  merged_into: string | null;
  answer: string | null;
  answered_live: number;
  theme: string | null;
  supports: number;
}

/** What a question was stored as; the merged texts and counts are added by listing. */
export interface NewQuestion {
  id: string;
  eventId: string;
  stepId: string | null;
  text: string;
  name: string | null;
  ownerHash: string;
  status: 'pending' | 'visible';
}

function toQuestion(r: QuestionRow, merged: string[]): Question {
  return {
    id: r.id,
    seq: r.seq,
    text: r.text,
    name: r.name,
    status: r.status as QuestionStatus,
    hideReason: r.hide_reason as HideReason | null,
    mergedInto: r.merged_into,
    merged,
    supports: r.supports,
    answer: r.answer,
    answeredLive: r.answered_live === 1,
    theme: r.theme,
  };
}

const SELECT = `SELECT q.id, q.seq, q.text, q.name, q.status, q.hide_reason, q.merged_into, q.answer, q.answered_live, q.theme,
  (SELECT count(*) FROM question_supports s WHERE s.question_id = q.id) AS supports FROM questions q`;

/** Questions, their supports, the moderation log, the per-event settings and the FAQ entries. */
export function questionsRepo(db: Db) {
  const settingsGet = db.prepare<[string], { pre_moderation: number; any_time: number; spotlight: string | null; projector: string; faq_id: string }>(
    'SELECT pre_moderation, any_time, spotlight, projector, faq_id FROM question_settings WHERE event_id = ?',
  );
  const settingsInsert = db.prepare<[string, string]>('INSERT OR IGNORE INTO question_settings (event_id, faq_id) VALUES (?, ?)');
  const settingsUpdate = db.prepare<[number, number, string | null, string, string]>(
    'UPDATE question_settings SET pre_moderation = ?, any_time = ?, spotlight = ? , projector = ? WHERE event_id = ?',
  );
  const byFaqId = db.prepare<[string], { event_id: string }>('SELECT event_id FROM question_settings WHERE faq_id = ?');
  const nextSeq = db.prepare<[string], { n: number | null }>('SELECT max(seq) AS n FROM questions WHERE event_id = ?');
  const insert = db.prepare<[string, string, number, string | null, string, string | null, string, string]>(
    'INSERT INTO questions (id, event_id, seq, step_id, text, name, owner_hash, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const one = db.prepare<[string, string], QuestionRow>(`${SELECT} WHERE q.event_id = ? AND q.id = ?`);
  const all = db.prepare<[string], QuestionRow>(`${SELECT} WHERE q.event_id = ? ORDER BY q.seq`);
  const mine = db.prepare<[string, string], QuestionRow>(`${SELECT} WHERE q.event_id = ? AND q.owner_hash = ?`);
  const mergedTexts = db.prepare<[string], { merged_into: string; text: string }>(
    "SELECT merged_into, text FROM questions WHERE event_id = ? AND status = 'merged' ORDER BY seq",
  );
  const hiddenCounts = db.prepare<[string], { hide_reason: string; n: number }>(
    "SELECT hide_reason, count(*) AS n FROM questions WHERE event_id = ? AND status = 'hidden' AND hide_reason IS NOT NULL GROUP BY hide_reason",
  );
  const ownerOf = db.prepare<[string, string], { owner_hash: string }>('SELECT owner_hash FROM questions WHERE event_id = ? AND id = ?');
  const setStatus = db.prepare<[string, string | null, string, string]>('UPDATE questions SET status = ?, hide_reason = ? WHERE event_id = ? AND id = ?');
  const setMerged = db.prepare<[string, string, string]>("UPDATE questions SET status = 'merged', merged_into = ? WHERE event_id = ? AND id = ?");
  const setAnswer = db.prepare<[string | null, number, string | null, string, string]>(
    'UPDATE questions SET answer = ?, answered_live = ?, theme = ? WHERE event_id = ? AND id = ?',
  );
  const support = db.prepare<[string, string]>('INSERT OR IGNORE INTO question_supports (question_id, supporter) VALUES (?, ?)');
  const unsupport = db.prepare<[string, string]>('DELETE FROM question_supports WHERE question_id = ? AND supporter = ?');
  const supportsOf = db.prepare<[string, string], { question_id: string }>(
    'SELECT s.question_id FROM question_supports s JOIN questions q ON q.id = s.question_id WHERE q.event_id = ? AND s.supporter = ?',
  );
  const moveSupports = db.prepare<[string, string]>(
    'INSERT OR IGNORE INTO question_supports (question_id, supporter) SELECT ?, supporter FROM question_supports WHERE question_id = ?',
  );
  const supporterCount = db.prepare<[string], { n: number }>(
    'SELECT count(DISTINCT supporter) AS n FROM question_supports WHERE question_id IN (SELECT value FROM json_each(?))',
  );
  const dropSupports = db.prepare<[string]>('DELETE FROM question_supports WHERE question_id = ?');
  const addLog = db.prepare<[string, string, string, string | null, string, number]>(
    'INSERT INTO question_log (event_id, question_id, action, reason, by_role, at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const log = db.prepare<[string], { question_id: string; action: string; reason: string | null; by_role: string; at: number }>(
    'SELECT question_id, action, reason, by_role, at FROM question_log WHERE event_id = ? ORDER BY id',
  );

  const faqAll = db.prepare<
    [string],
    { id: string; position: number; question: string; answer: string; theme: string | null; status: string; question_ids: string }
  >('SELECT id, position, question, answer, theme, status, question_ids FROM faq_entries WHERE event_id = ? ORDER BY position, id');
  const faqMaxPos = db.prepare<[string], { p: number | null }>('SELECT max(position) AS p FROM faq_entries WHERE event_id = ?');
  const faqInsert = db.prepare<[string, string, number, string, string, string | null, string]>(
    'INSERT INTO faq_entries (id, event_id, position, question, answer, theme, question_ids) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const faqUpdate = db.prepare<[string, string, string | null, string, string, string]>(
    'UPDATE faq_entries SET question = ?, answer = ?, theme = ?, status = ? WHERE event_id = ? AND id = ?',
  );
  const faqRemove = db.prepare<[string, string]>('DELETE FROM faq_entries WHERE event_id = ? AND id = ?');

  const withMerged = (eventId: string, rows: QuestionRow[]): Question[] => {
    const merged = new Map<string, string[]>();
    for (const m of mergedTexts.all(eventId)) merged.set(m.merged_into, [...(merged.get(m.merged_into) ?? []), m.text]);
    return rows.map((r) => toQuestion(r, merged.get(r.id) ?? []));
  };

  return {
    /** Made with the event (and for older events by the migration). */
    init(eventId: string, faqId: string): void {
      settingsInsert.run(eventId, faqId);
    },
    settings(eventId: string): QuestionSettings & { faqId: string } {
      const r = settingsGet.get(eventId);
      return {
        preModeration: r?.pre_moderation === 1,
        anyTime: r?.any_time === 1,
        spotlight: r?.spotlight ?? null,
        projector: r?.projector === 'faq' ? 'faq' : 'questions',
        faqId: r?.faq_id ?? '',
      };
    },
    saveSettings(eventId: string, s: QuestionSettings): void {
      settingsUpdate.run(s.preModeration ? 1 : 0, s.anyTime ? 1 : 0, s.spotlight, s.projector, eventId);
    },
    eventOfFaq(faqId: string): string | null {
      return byFaqId.get(faqId)?.event_id ?? null;
    },
    insert(q: NewQuestion): void {
      const seq = (nextSeq.get(q.eventId)?.n ?? 0) + 1;
      insert.run(q.id, q.eventId, seq, q.stepId, q.text, q.name, q.ownerHash, q.status);
    },
    get(eventId: string, id: string): Question | undefined {
      const r = one.get(eventId, id);
      return r && withMerged(eventId, [r])[0];
    },
    list(eventId: string): Question[] {
      return withMerged(eventId, all.all(eventId));
    },
    mine(eventId: string, ownerHashes: readonly string[]): Question[] {
      return withMerged(
        eventId,
        ownerHashes.flatMap((h) => mine.all(eventId, h)),
      );
    },
    /** Hidden questions by reason, counted by the database (not by reading every question). */
    hiddenByReason(eventId: string): Partial<Record<HideReason, number>> {
      return Object.fromEntries(hiddenCounts.all(eventId).map((r) => [r.hide_reason, r.n]));
    },
    ownerHash(eventId: string, id: string): string | undefined {
      return ownerOf.get(eventId, id)?.owner_hash;
    },
    setStatus(eventId: string, id: string, status: QuestionStatus, reason: HideReason | null = null): void {
      setStatus.run(status, reason, eventId, id);
    },
    /** The others join `keepId`: supporters are unioned (once each), the merged rows keep their text. */
    merge(eventId: string, keepId: string, otherIds: readonly string[]): void {
      for (const id of otherIds) {
        moveSupports.run(keepId, id);
        dropSupports.run(id);
        setMerged.run(keepId, eventId, id);
      }
    },
    setAnswer(eventId: string, id: string, answer: string | null, answeredLive: boolean, theme: string | null): void {
      setAnswer.run(answer, answeredLive ? 1 : 0, theme, eventId, id);
    },
    support(questionId: string, supporter: string, on: boolean): void {
      if (on) support.run(questionId, supporter);
      else unsupport.run(questionId, supporter);
    },
    /** Distinct supporters of some questions together. */
    supporters(questionIds: readonly string[]): number {
      return supporterCount.get(JSON.stringify(questionIds))?.n ?? 0;
    },
    supportsOf(eventId: string, supporter: string): string[] {
      return supportsOf.all(eventId, supporter).map((r) => r.question_id);
    },
    log(eventId: string, questionId: string, action: 'approve' | 'hide' | 'restore' | 'merge', reason: string | null, byRole: string, at: number): void {
      addLog.run(eventId, questionId, action, reason, byRole, at);
    },
    moderationLog(eventId: string) {
      return log.all(eventId).map((r) => ({ questionId: r.question_id, action: r.action, reason: r.reason, byRole: r.by_role, at: r.at }));
    },

    faq(eventId: string): Omit<FaqEntry, 'asked' | 'supports'>[] {
      return faqAll.all(eventId).map((r) => ({
        id: r.id,
        position: r.position,
        question: r.question,
        answer: r.answer,
        theme: r.theme,
        status: r.status === 'published' ? 'published' : 'draft',
        questionIds: JSON.parse(r.question_ids) as string[],
      }));
    },
    addFaq(eventId: string, e: { id: string; question: string; answer: string; theme: string | null; questionIds: string[] }): void {
      faqInsert.run(e.id, eventId, (faqMaxPos.get(eventId)?.p ?? -1) + 1, e.question, e.answer, e.theme, JSON.stringify(e.questionIds));
    },
    saveFaq(eventId: string, e: Pick<FaqEntry, 'id' | 'question' | 'answer' | 'theme' | 'status'>): void {
      faqUpdate.run(e.question, e.answer, e.theme, e.status, eventId, e.id);
    },
    removeFaq(eventId: string, id: string): boolean {
      return faqRemove.run(eventId, id).changes > 0;
    },
  };
}
