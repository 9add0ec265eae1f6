import type { Db } from './index.ts';
import type { EvaluationComment, EvaluationItem } from '../../shared/schemas/evaluation.ts';

export interface StoredEvaluation {
  stepId: string;
  eventId: string;
  status: 'open' | 'closed';
  items: EvaluationItem[];
}

/** Evaluation forms, responses (keyed by a respondent hash, no time) and open comments to moderate. */
export function evaluationsRepo(db: Db) {
  const get = db.prepare<[string], { step_id: string; event_id: string; status: string; items: string }>('SELECT * FROM evaluations WHERE step_id = ?');
  const insert = db.prepare<[string, string, string]>('INSERT INTO evaluations (step_id, event_id, items) VALUES (?, ?, ?)');
  const setItems = db.prepare<[string, string]>('UPDATE evaluations SET items = ? WHERE step_id = ?');
  const setStatus = db.prepare<[string, string]>('UPDATE evaluations SET status = ? WHERE step_id = ?');
  const count = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM evaluation_responses WHERE step_id = ?');
  const upsert = db.prepare<[string, string, string]>(
    'INSERT INTO evaluation_responses (step_id, respondent, answers) VALUES (?, ?, ?) ON CONFLICT (step_id, respondent) DO UPDATE SET answers = excluded.answers',
  );
  const response = db.prepare<[string, string], { answers: string }>('SELECT answers FROM evaluation_responses WHERE step_id = ? AND respondent = ?');
  const responses = db.prepare<[string], { answers: string }>('SELECT answers FROM evaluation_responses WHERE step_id = ?');
  const commentsOf = db.prepare<[string, string], { id: string; item_id: string; text: string; status: string }>(
    'SELECT id, item_id, text, status FROM evaluation_comments WHERE step_id = ? AND respondent = ?',
  );
  const comments = db.prepare<[string], { id: string; item_id: string; text: string; status: string }>(
    'SELECT id, item_id, text, status FROM evaluation_comments WHERE step_id = ? ORDER BY item_id, id',
  );
  const addComment = db.prepare<[string, string, string, string, string]>(
    'INSERT INTO evaluation_comments (id, step_id, item_id, respondent, text) VALUES (?, ?, ?, ?, ?)',
  );
  const editComment = db.prepare<[string, string]>("UPDATE evaluation_comments SET text = ?, status = 'pending' WHERE id = ?");
  const dropComment = db.prepare<[string]>('DELETE FROM evaluation_comments WHERE id = ?');
  const moderate = db.prepare<[string, string, string]>('UPDATE evaluation_comments SET status = ? WHERE step_id = ? AND id = ?');

  const everyone = db.prepare<[string], { respondent: string; answers: string }>(
    'SELECT respondent, answers FROM evaluation_responses WHERE step_id = ? ORDER BY respondent',
  );
  const approvedOf = db.prepare<[string], { respondent: string; item_id: string; text: string }>(
    "SELECT respondent, item_id, text FROM evaluation_comments WHERE step_id = ? AND status = 'approved'",
  );
  const toComment = (r: { id: string; item_id: string; text: string; status: string }): EvaluationComment => ({
    id: r.id,
    itemId: r.item_id,
    text: r.text,
    status: r.status as EvaluationComment['status'],
  });

  return {
    get(stepId: string): StoredEvaluation | undefined {
      const r = get.get(stepId);
      return r && { stepId: r.step_id, eventId: r.event_id, status: r.status === 'closed' ? 'closed' : 'open', items: JSON.parse(r.items) as EvaluationItem[] };
    },
    create(eventId: string, stepId: string, items: EvaluationItem[]): void {
      insert.run(stepId, eventId, JSON.stringify(items));
    },
    setItems(stepId: string, items: EvaluationItem[]): void {
      setItems.run(JSON.stringify(items), stepId);
    },
    setStatus(stepId: string, status: 'open' | 'closed'): void {
      setStatus.run(status, stepId);
    },
    responses(stepId: string): number {
      return count.get(stepId)?.n ?? 0;
    },
    /** Scale answers of everyone, for the figures. */
    allAnswers(stepId: string): Record<string, number>[] {
      return responses.all(stepId).map((r) => JSON.parse(r.answers) as Record<string, number>);
    },
    /** One person's answers: scales from the response, open answers from the comments. */
    answersOf(stepId: string, respondent: string): Record<string, number | string> | null {
      const r = response.get(stepId, respondent);
      if (!r) return null;
      const out: Record<string, number | string> = JSON.parse(r.answers) as Record<string, number>;
      for (const c of commentsOf.all(stepId, respondent)) out[c.item_id] = c.text;
      return out;
    },
    /** Replaces a person's answers; a changed comment goes back to moderation. */
    save(stepId: string, respondent: string, scales: Record<string, number>, texts: Record<string, string>, newId: () => string): void {
      upsert.run(stepId, respondent, JSON.stringify(scales));
      const existing = new Map(commentsOf.all(stepId, respondent).map((c) => [c.item_id, c]));
      for (const [itemId, text] of Object.entries(texts)) {
        const before = existing.get(itemId);
        existing.delete(itemId);
        if (!before) addComment.run(newId(), stepId, itemId, respondent, text);
        else if (before.text !== text) editComment.run(text, before.id);
      }
      for (const gone of existing.values()) dropComment.run(gone.id);
    },
    /** Every response with its approved comments, in the order of the respondent keys (which follows nothing). */
    responsesWithComments(stepId: string): Record<string, number | string>[] {
      const comments = new Map<string, Record<string, string>>();
      for (const c of approvedOf.all(stepId)) comments.set(c.respondent, { ...comments.get(c.respondent), [c.item_id]: c.text });
      return everyone.all(stepId).map((r) => ({ ...(JSON.parse(r.answers) as Record<string, number>), ...comments.get(r.respondent) }));
    },
    comments(stepId: string): EvaluationComment[] {
      return comments.all(stepId).map(toComment);
    },
    moderate(stepId: string, commentId: string, status: 'approved' | 'hidden'): boolean {
      return moderate.run(status, stepId, commentId).changes > 0;
    },
  };
}
