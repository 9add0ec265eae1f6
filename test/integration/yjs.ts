import WebSocket from 'ws';
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
