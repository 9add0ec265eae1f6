import type { Db } from './index.ts';

const KEEP_MS = 48 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;

/** A receipt looked up: the first answer, or a command id already used by someone else or for another command. */
export type Receipt = { kind: 'none' } | { kind: 'answered'; result: unknown } | { kind: 'taken' };

/**
 * Results of applied commands by client command id: a retry gets the first answer back. Anonymous
 * commands keep theirs in a table of their own, timed to the hour only. Each receipt keeps the hash
 * of its command, sender and command id (`owner`): the same sender retrying matches it; anyone else
 * reusing the id does not, and gets nothing of the first answer.
 */
export function receiptsRepo(db: Db) {
  const statements = (table: 'command_receipts' | 'anonymous_receipts') => ({
    get: db.prepare<[string, string], { result: string; owner: string }>(`SELECT result, owner FROM ${table} WHERE event_id = ? AND cid = ?`),
    put: db.prepare<[string, string, string, number, string]>(`INSERT INTO ${table} (event_id, cid, result, created_at, owner) VALUES (?, ?, ?, ?, ?)`),
    prune: db.prepare<[number]>(`DELETE FROM ${table} WHERE created_at < ?`),
  });
  const named = statements('command_receipts');
  const anonymous = statements('anonymous_receipts');
  return {
    get(eventId: string, cid: string, owner: string): Receipt {
      const r = named.get.get(eventId, cid) ?? anonymous.get.get(eventId, cid);
      if (r === undefined) return { kind: 'none' };
      // Receipts from before owners were kept ('') answer as they did.
      if (r.owner !== '' && r.owner !== owner) return { kind: 'taken' };
      return { kind: 'answered', result: JSON.parse(r.result) as unknown };
    },
    put(eventId: string, cid: string, owner: string, result: unknown, now: number, isAnonymous = false): void {
      if (isAnonymous) anonymous.put.run(eventId, cid, JSON.stringify(result ?? null), now - (now % HOUR_MS), owner);
      else named.put.run(eventId, cid, JSON.stringify(result ?? null), now, owner);
    },
    prune(now: number): number {
      return named.prune.run(now - KEEP_MS).changes + anonymous.prune.run(now - KEEP_MS - HOUR_MS).changes;
    },
  };
}
