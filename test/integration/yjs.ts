import WebSocket from 'ws';
import type Database from 'better-sqlite3';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { Card } from '../../shared/schemas/board.ts';

/** Resolves once `where` holds on the board document, checked on every change (or fails after `ms`). */
export function until(ydoc: Y.Doc, where: () => boolean, ms = 2000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (where()) return resolve();
    const timer = setTimeout(() => reject(new Error('board never reached the expected state')), ms);
    const check = () => {
      if (!where()) return;
      clearTimeout(timer);
      ydoc.off('update', check);
      resolve();
    };
    ydoc.on('update', check);
  });
}

/**
 * A real y-websocket client on a board document of the server at `url`, with a token (or none).
 * `opened` collects the providers so that the test can destroy them when it ends.
 */
export function openBoard(url: string, token: string | undefined, doc: string, opened?: WebsocketProvider[]) {
  const ydoc = new Y.Doc();
  const provider = new WebsocketProvider(url.replace('http', 'ws') + '/yjs', doc, ydoc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: token ? { token } : {},
    disableBc: true,
    maxBackoffTime: 200,
  });
  opened?.push(provider);
  const synced = new Promise<void>((resolve) => {
    if (provider.synced) resolve();
    provider.once('sync', () => resolve());
  });
  const closed = new Promise<number>((resolve) => provider.on('connection-close', (e) => resolve(e?.code ?? 0)));
  return { ydoc, provider, synced, closed, cards: ydoc.getMap<Card>('cards') };
}

/** The cards of a board as the server stored them in SQLite (snapshot and updates), not as a client holds them. */
export function storedCards(db: Database.Database, doc: string): Map<string, Card> {
  const snapshot = db.prepare<[string], { state: Buffer }>('SELECT state FROM board_snapshots WHERE doc = ?').get(doc);
  const updates = db.prepare<[string], { update_data: Buffer }>('SELECT update_data FROM board_updates WHERE doc = ? ORDER BY seq').all(doc);
  const parts = [...(snapshot ? [snapshot.state] : []), ...updates.map((u) => u.update_data)].map((b) => new Uint8Array(b));
  const ydoc = new Y.Doc();
  if (parts.length) Y.applyUpdate(ydoc, Y.mergeUpdates(parts));
  const cards = new Map(ydoc.getMap<Card>('cards').entries());
  ydoc.destroy();
  return cards;
}

/**
 * Resolves once the server has written what `where` checks into the database (it stores a board's
 * updates on a short timer, with no event to wait on, so the file is read again every 10 ms).
 */
export async function untilStored(db: Database.Database, doc: string, where: (cards: Map<string, Card>) => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!where(storedCards(db, doc))) {
    if (Date.now() > deadline) throw new Error(`board ${doc} not stored as expected within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
