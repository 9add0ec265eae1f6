import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { BoardStore } from '../../server/boards/store.ts';
import type { Card } from '../../shared/schemas/board.ts';

/** Events the contract stores documents under; a store that checks events must have them. */
export const CONTRACT_EVENTS = ['evt-contract-aaaa', 'evt-contract-bbbb'] as const;
const [EVENT_A, EVENT_B] = CONTRACT_EVENTS;
const AXIS = 'approche-systemique';
const docOf = (event: string, scope: string) => `board:${event}:${scope}:${AXIS}`;

export interface StoreFixture {
  store: BoardStore;
  /** The same storage opened again, as after a restart; the previous handle is not used any more. */
  reopen(): BoardStore | Promise<BoardStore>;
  dispose(): void | Promise<void>;
}

/** A client's document whose every change is kept as the update it produced. */
function writer() {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  const cards = doc.getMap<Card>('cards');
  return {
    doc,
    updates,
    put(id: string, text: string) {
      cards.set(id, { id, text, axis: AXIS, colour: 'yellow' });
      return updates[updates.length - 1] as Uint8Array;
    },
    remove(id: string) {
      cards.delete(id);
      return updates[updates.length - 1] as Uint8Array;
    },
  };
}

/** What a store holds for a document, read into a fresh document: its cards' texts by id. */
function cardsOf(store: BoardStore, doc: string): Record<string, string> {
  const ydoc = new Y.Doc();
  const stored = store.load(doc);
  if (stored.length) Y.applyUpdate(ydoc, Y.mergeUpdates(stored));
  expect(ydoc.store.pendingStructs, 'stored updates depend on something missing').toBeNull();
  const out: Record<string, string> = {};
  for (const [id, card] of ydoc.getMap<Card>('cards')) out[id] = card.text;
  return out;
}

const text = (bytes: Uint8Array[]) => bytes.map((b) => Buffer.from(b).toString('latin1')).join('');

/**
 * What every BoardStore must do (server/boards/store.ts), whatever it keeps its bytes in. Run it on
 * each implementation with a factory that gives a fresh, empty store.
 */
export function runBoardStoreContract(name: string, makeStore: () => StoreFixture | Promise<StoreFixture>): void {
  describe(`[BS] BoardStore contract: ${name}`, () => {
    let f: StoreFixture;
    let store: BoardStore;
    beforeEach(async () => {
      f = await makeStore();
      store = f.store;
    });
    afterEach(async () => {
      await f.dispose();
    });

    it('[BS1] an unknown document loads as nothing, with nothing pending, in no event', () => {
      expect(store.load(docOf(EVENT_A, 'plenary'))).toEqual([]);
      expect(store.pendingCount(docOf(EVENT_A, 'plenary'))).toBe(0);
      expect(store.documents(EVENT_A)).toEqual([]);
    });

    it('[BS2] appended updates load back byte for byte, in the order they were appended', () => {
      const doc = docOf(EVENT_A, 'plenary');
      const w = writer();
      const u1 = w.put('card-one-01', 'Premier');
      const u2 = w.put('card-two-02', 'Deuxième');
      const u3 = w.put('card-one-01', 'Premier, corrigé');
      store.append(doc, EVENT_A, [u1, u2]);
      store.append(doc, EVENT_A, [u3]);
      expect(store.load(doc).map((u) => [...u])).toEqual([u1, u2, u3].map((u) => [...u]));
      expect(store.pendingCount(doc)).toBe(3);
      expect(cardsOf(store, doc)).toEqual({ 'card-one-01': 'Premier, corrigé', 'card-two-02': 'Deuxième' });
    });

    it('[BS3] compaction replaces the updates by one snapshot that loads as the same document', () => {
      const doc = docOf(EVENT_A, 'plenary');
      const w = writer();
      for (let i = 0; i < 30; i++) store.append(doc, EVENT_A, [w.put(`card-${i}-xxxx`, `Idée ${i}`)]);
      const before = cardsOf(store, doc);
      store.compact(doc, EVENT_A, Y.encodeStateAsUpdate(w.doc));
      expect(store.pendingCount(doc)).toBe(0);
      expect(store.load(doc)).toHaveLength(1);
      expect(cardsOf(store, doc)).toEqual(before);
      // Appending after a snapshot builds on it.
      store.append(doc, EVENT_A, [w.put('card-after-1', 'Après')]);
      expect(store.pendingCount(doc)).toBe(1);
      expect(cardsOf(store, doc)).toEqual({ ...before, 'card-after-1': 'Après' });
    });

    it('[BS4] compaction keeps what was stored but is missing from the state it is given', () => {
      const doc = docOf(EVENT_A, 'plenary');
      const mine = writer();
      const elsewhere = writer();
      store.append(doc, EVENT_A, [mine.put('card-mine-01', 'Ici')]);
      // Written by someone else after `mine` took its state (another process, a command).
      store.append(doc, EVENT_A, [elsewhere.put('card-else-01', 'Ailleurs')]);
      store.compact(doc, EVENT_A, Y.encodeStateAsUpdate(mine.doc));
      expect(cardsOf(store, doc)).toEqual({ 'card-mine-01': 'Ici', 'card-else-01': 'Ailleurs' });
    });

    it('[BS5] after compaction, the text of a removed card is nowhere in what is stored', () => {
      const doc = docOf(EVENT_A, 'plenary');
      const w = writer();
      store.append(doc, EVENT_A, [w.put('card-gone-01', 'TEXTE-EFFACE-42'), w.put('card-kept-01', 'Gardé')]);
      store.append(doc, EVENT_A, [w.remove('card-gone-01')]);
      expect(text(store.load(doc))).toContain('TEXTE-EFFACE-42');
      store.compact(doc, EVENT_A, Y.encodeStateAsUpdate(w.doc));
      expect(text(store.load(doc))).not.toContain('TEXTE-EFFACE-42');
      expect(cardsOf(store, doc)).toEqual({ 'card-kept-01': 'Gardé' });
    });

    it('[BS6] documents(event) lists only that event’s documents, sorted, snapshot or updates alike', () => {
      const w = writer();
      const update = w.put('card-any-001', 'x');
      const a1 = docOf(EVENT_A, 'plenary');
      const a2 = docOf(EVENT_A, 'group-table1');
      const b1 = docOf(EVENT_B, 'plenary');
      store.append(a1, EVENT_A, [update]);
      store.append(a2, EVENT_A, [update]);
      store.compact(a2, EVENT_A, Y.encodeStateAsUpdate(w.doc));
      store.append(b1, EVENT_B, [update]);
      expect(store.documents(EVENT_A)).toEqual([a1, a2].sort());
      expect(store.documents(EVENT_B)).toEqual([b1]);
    });

    it('[BS7] documents are isolated: appending to or compacting one leaves the others as they were', () => {
      const one = docOf(EVENT_A, 'plenary');
      const two = docOf(EVENT_A, 'group-table2');
      const w1 = writer();
      const w2 = writer();
      store.append(one, EVENT_A, [w1.put('card-one-aa', 'Un')]);
      store.append(two, EVENT_A, [w2.put('card-two-bb', 'Deux'), w2.put('card-two-cc', 'Trois')]);
      store.compact(one, EVENT_A, Y.encodeStateAsUpdate(w1.doc));
      expect(cardsOf(store, one)).toEqual({ 'card-one-aa': 'Un' });
      expect(cardsOf(store, two)).toEqual({ 'card-two-bb': 'Deux', 'card-two-cc': 'Trois' });
      expect(store.pendingCount(two)).toBe(2);
    });

    it('[BS8] large updates (a whole board’s worth) round-trip intact', () => {
      const doc = docOf(EVENT_A, 'plenary');
      const w = writer();
      const big = new Uint8Array(1_500_000);
      for (let i = 0; i < big.length; i++) big[i] = (i * 7919) % 251;
      w.doc.getMap('meta').set('blob', big);
      const update = w.updates[w.updates.length - 1] as Uint8Array;
      expect(update.byteLength).toBeGreaterThan(1_500_000);
      store.append(doc, EVENT_A, [update]);
      expect(store.load(doc).map((u) => Buffer.from(u).equals(Buffer.from(update)))).toEqual([true]);
      store.compact(doc, EVENT_A, Y.encodeStateAsUpdate(w.doc));
      const loaded = new Y.Doc();
      Y.applyUpdate(loaded, Y.mergeUpdates(store.load(doc)));
      expect(Buffer.from(loaded.getMap('meta').get('blob') as Uint8Array).equals(Buffer.from(big))).toBe(true);
    });

    it('[BS9] what was stored is there after the store is opened again', async () => {
      const compacted = docOf(EVENT_A, 'plenary');
      const appended = docOf(EVENT_B, 'plenary');
      const w = writer();
      store.append(compacted, EVENT_A, [w.put('card-snap-01', 'Instantané')]);
      store.compact(compacted, EVENT_A, Y.encodeStateAsUpdate(w.doc));
      const v = writer();
      store.append(appended, EVENT_B, [v.put('card-upd-01', 'Mise à jour'), v.put('card-upd-02', 'Autre')]);
      store = await f.reopen();
      expect(cardsOf(store, compacted)).toEqual({ 'card-snap-01': 'Instantané' });
      expect(cardsOf(store, appended)).toEqual({ 'card-upd-01': 'Mise à jour', 'card-upd-02': 'Autre' });
      expect(store.pendingCount(appended)).toBe(2);
      expect(store.documents(EVENT_B)).toEqual([appended]);
    });
  });
}
