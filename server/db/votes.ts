import type { Db } from './index.ts';
import type { PaperEntry, VoteItem, VoteItemOrigin } from '../../shared/schemas/vote.ts';

export interface StoredVote {
  stepId: string;
  eventId: string;
  status: 'draft' | 'open' | 'closed';
  mode: 'hidden' | 'live';
  budget: number | null;
  cap: number;
  runoffOf: string | null;
}

interface ItemRow {
  id: string;
  text: string;
  axis: string | null;
  origin: string | null;
  retained: number | null;
}

function toItem(r: ItemRow): VoteItem {
  return {
    id: r.id,
    text: r.text,
    axis: r.axis,
    origin: r.origin === null ? null : (JSON.parse(r.origin) as VoteItemOrigin),
    retained: r.retained === null ? null : r.retained === 1,
  };
}

/** Votes, their items, everyone's dots and the paper dots' audit log. */
export function votesRepo(db: Db) {
  const get = db.prepare<
    [string],
    { step_id: string; event_id: string; status: string; mode: string; budget: number | null; cap: number; runoff_of: string | null }
  >('SELECT * FROM votes WHERE step_id = ?');
  const insert = db.prepare<[string, string, string | null]>('INSERT INTO votes (step_id, event_id, runoff_of) VALUES (?, ?, ?)');
  const update = db.prepare<[string, string, number | null, number, string]>('UPDATE votes SET status = ?, mode = ?, budget = ?, cap = ? WHERE step_id = ?');
  const items = db.prepare<[string], ItemRow>('SELECT id, text, axis, origin, retained FROM vote_items WHERE step_id = ? ORDER BY position, id');
  const maxPos = db.prepare<[string], { p: number | null }>('SELECT max(position) AS p FROM vote_items WHERE step_id = ?');
  const insertItem = db.prepare<[string, string, number, string, string | null, string | null]>(
    'INSERT INTO vote_items (id, step_id, position, text, axis, origin) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const updateItem = db.prepare<[string, string | null, string, string]>('UPDATE vote_items SET text = ?, origin = ? WHERE id = ? AND step_id = ?');
  const removeItem = db.prepare<[string, string]>('DELETE FROM vote_items WHERE id = ? AND step_id = ?');
  const retain = db.prepare<[number | null, string, string]>('UPDATE vote_items SET retained = ? WHERE id = ? AND step_id = ?');
  const mine = db.prepare<[string, string], { item_id: string; count: number }>('SELECT item_id, count FROM dots WHERE step_id = ? AND participant_id = ?');
  const setDot = db.prepare<[string, string, string, number]>(
    'INSERT INTO dots (step_id, participant_id, item_id, count) VALUES (?, ?, ?, ?) ON CONFLICT (step_id, participant_id, item_id) DO UPDATE SET count = excluded.count',
  );
  const dropDot = db.prepare<[string, string, string]>('DELETE FROM dots WHERE step_id = ? AND participant_id = ? AND item_id = ?');
  const online = db.prepare<[string], { item_id: string; dots: number }>('SELECT item_id, sum(count) AS dots FROM dots WHERE step_id = ? GROUP BY item_id');
  const voters = db.prepare<[string], { n: number }>('SELECT count(DISTINCT participant_id) AS n FROM dots WHERE step_id = ?');
  const byPerson = db.prepare<[string], { participant_id: string; item_id: string; count: number }>(
    'SELECT participant_id, item_id, count FROM dots WHERE step_id = ?',
  );
  const addPaper = db.prepare<[string, string, string | null, number, string, number]>(
    'INSERT INTO paper_dots (step_id, item_id, category, count, entered_by, at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const paperLog = db.prepare<[string], { item_id: string; category: string | null; count: number; entered_by: string; at: number }>(
    'SELECT item_id, category, count, entered_by, at FROM paper_dots WHERE step_id = ? ORDER BY id',
  );

  return {
    get(stepId: string): StoredVote | undefined {
      const r = get.get(stepId);
      return (
        r && {
          stepId: r.step_id,
          eventId: r.event_id,
          status: r.status as StoredVote['status'],
          mode: r.mode as StoredVote['mode'],
          budget: r.budget,
          cap: r.cap,
          runoffOf: r.runoff_of,
        }
      );
    },
    create(eventId: string, stepId: string, runoffOf: string | null = null): void {
      insert.run(stepId, eventId, runoffOf);
    },
    save(v: StoredVote): void {
      update.run(v.status, v.mode, v.budget, v.cap, v.stepId);
    },
    items(stepId: string): VoteItem[] {
      return items.all(stepId).map(toItem);
    },
    addItem(stepId: string, item: Omit<VoteItem, 'retained'>): void {
      insertItem.run(item.id, stepId, (maxPos.get(stepId)?.p ?? -1) + 1, item.text, item.axis, item.origin && JSON.stringify(item.origin));
    },
    updateItem(stepId: string, item: VoteItem): void {
      updateItem.run(item.text, item.origin && JSON.stringify(item.origin), item.id, stepId);
    },
    removeItem(stepId: string, itemId: string): void {
      removeItem.run(itemId, stepId);
    },
    retain(stepId: string, itemId: string, retained: boolean | null): void {
      retain.run(retained === null ? null : retained ? 1 : 0, itemId, stepId);
    },
    dotsOf(stepId: string, participantId: string): Map<string, number> {
      return new Map(mine.all(stepId, participantId).map((r) => [r.item_id, r.count]));
    },
    setDots(stepId: string, participantId: string, itemId: string, count: number): void {
      if (count > 0) setDot.run(stepId, participantId, itemId, count);
      else dropDot.run(stepId, participantId, itemId);
    },
    online(stepId: string): Map<string, number> {
      return new Map(online.all(stepId).map((r) => [r.item_id, r.dots]));
    },
    voters(stepId: string): number {
      return voters.get(stepId)?.n ?? 0;
    },
    allDots(stepId: string) {
      return byPerson.all(stepId);
    },
    addPaper(stepId: string, itemId: string, category: string | null, count: number, enteredBy: string, at: number): void {
      addPaper.run(stepId, itemId, category, count, enteredBy, at);
    },
    paperLog(stepId: string): PaperEntry[] {
      return paperLog.all(stepId).map((r) => ({ itemId: r.item_id, category: r.category, count: r.count, enteredBy: r.entered_by, at: r.at }));
    },
  };
}
