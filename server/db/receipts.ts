import type { Db } from './index.ts';

const KEEP_MS = 48 * 60 * 60 * 1000;

/** Results of applied commands by client command id: a retry gets the first answer back. */
export function receiptsRepo(db: Db) {
  const get = db.prepare<[string, string], { result: string }>(
    'SELECT result FROM command_receipts WHERE event_id = ? AND cid = ?',
  );
  const put = db.prepare<[string, string, string, number]>(
    'INSERT INTO command_receipts (event_id, cid, result, created_at) VALUES (?, ?, ?, ?)',
  );
  const prune = db.prepare<[number]>('DELETE FROM command_receipts WHERE created_at < ?');
  return {
    get(eventId: string, cid: string): unknown {
      const r = get.get(eventId, cid);
      return r === undefined ? undefined : (JSON.parse(r.result) as unknown);
    },
    put(eventId: string, cid: string, result: unknown, now: number): void {
      put.run(eventId, cid, JSON.stringify(result ?? null), now);
    },
    prune(now: number): number {
      return prune.run(now - KEEP_MS).changes;
    },
  };
}
