import * as Y from 'yjs';
import type { BoardStore } from '../boards/store.ts';
import type { Db } from './index.ts';

export type ModerationAction = 'hide' | 'show' | 'edit' | 'move' | 'promote';

/** Yjs board storage: a snapshot per document plus the updates appended since. */
export function sqliteBoardStore(db: Db): BoardStore {
  const snapshot = db.prepare<[string], { state: Buffer }>('SELECT state FROM board_snapshots WHERE doc = ?');
  const updates = db.prepare<[string], { update_data: Buffer }>('SELECT update_data FROM board_updates WHERE doc = ? ORDER BY seq');
  const append = db.prepare<[string, string, Buffer]>('INSERT INTO board_updates (doc, event_id, update_data) VALUES (?, ?, ?)');
  const count = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM board_updates WHERE doc = ?');
  const putSnapshot = db.prepare<[string, string, Buffer]>(
    'INSERT INTO board_snapshots (doc, event_id, state) VALUES (?, ?, ?) ON CONFLICT(doc) DO UPDATE SET state = excluded.state',
  );
  const dropUpdates = db.prepare<[string]>('DELETE FROM board_updates WHERE doc = ?');
  const documents = db.prepare<[string, string], { doc: string }>(
    'SELECT doc FROM board_snapshots WHERE event_id = ? UNION SELECT doc FROM board_updates WHERE event_id = ? ORDER BY doc',
  );

  function load(doc: string): Uint8Array[] {
    const out: Uint8Array[] = [];
    const snap = snapshot.get(doc);
    if (snap) out.push(new Uint8Array(snap.state));
    for (const u of updates.all(doc)) out.push(new Uint8Array(u.update_data));
    return out;
  }

  return {
    load,
    documents(eventId) {
      return documents.all(eventId, eventId).map((r) => r.doc);
    },
    append: db.transaction((doc: string, eventId: string, batch: readonly Uint8Array[]) => {
      for (const u of batch) append.run(doc, eventId, Buffer.from(u));
    }),
    pendingCount(doc) {
      return count.get(doc)?.n ?? 0;
    },
    // Under the write lock: what another process appended since `state` was taken is merged in, not
    // dropped. Through a document, not Y.mergeUpdates: deleted content is then collected, so the text
    // of a removed card does not survive in the snapshot.
    compact: (doc, eventId, state) =>
      db
        .transaction(() => {
          const merged = new Y.Doc({ gc: true });
          Y.applyUpdate(merged, Y.mergeUpdates([...load(doc), state]));
          putSnapshot.run(doc, eventId, Buffer.from(Y.encodeStateAsUpdate(merged)));
          merged.destroy();
          dropUpdates.run(doc);
        })
        .immediate(),
  };
}

export function boardsRepo(db: Db) {
  const logModeration = db.prepare<[string, string, string, string, string | null, number]>(
    'INSERT INTO moderation_log (event_id, board, card_id, action, reason, at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const moderation = db.prepare<[string], { board: string; card_id: string; action: string; reason: string | null; at: number }>(
    'SELECT board, card_id, action, reason, at FROM moderation_log WHERE event_id = ? ORDER BY id',
  );
  return {
    ...sqliteBoardStore(db),
    logModeration(eventId: string, board: string, cardId: string, action: ModerationAction, reason: string | null, at: number): void {
      logModeration.run(eventId, board, cardId, action, reason, at);
    },
    moderationLog(eventId: string) {
      return moderation.all(eventId);
    },
  };
}
