import type { Db } from './index.ts';

const KEEP_MS = 48 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;

/**
 * Results of applied commands by client command id: a retry gets the first answer back. Anonymous
 * commands keep theirs in a table of their own, timed to the hour only.
 */
export function receiptsRepo(db: Db) {
  const statements = (table: 'command_receipts' | 'anonymous_receipts') => ({
    get: db.prepare<[string, string], { result: string }>(`SELECT result FROM ${table} WHERE event_id = ? AND cid = ?`),
    put: db.prepare<[string, string, string, number]>(`INSERT INTO ${table} (event_id, cid, result, created_at) VALUES (?, ?, ?, ?)`),
    prune: db.prepare<[number]>(`DELETE FROM ${table} WHERE created_at < ?`),
  });
  const named = statements('command_receipts');
  const anonymous = statements('anonymous_receipts');
  return {
    get(eventId: string, cid: string): unknown {
      const r = named.get.get(eventId, cid) ?? anonymous.get.get(eventId, cid);
      return r === undefined ? undefined : (JSON.parse(r.result) as unknown);
    },
    put(eventId: string, cid: string, result: unknown, now: number, isAnonymous = false): void {
      if (isAnonymous) anonymous.put.run(eventId, cid, JSON.stringify(result ?? null), now - (now % HOUR_MS));
      else named.put.run(eventId, cid, JSON.stringify(result ?? null), now);
    },
    prune(now: number): number {
      return named.prune.run(now - KEEP_MS).changes + anonymous.prune.run(now - KEEP_MS - HOUR_MS).changes;
    },
  };
}
