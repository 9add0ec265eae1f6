/**
 * One idea board (a Yjs document) as this screen sees it. The Yjs libraries are loaded only when a
 * board is opened, so the first page stays small. Cards written offline stay in the local document
 * (and in localStorage, across a reload) and are sent once when the connection comes back; Yjs makes
 * a second send a no-op.
 */
import { cleanText } from '../../shared/domain/text.ts';
import { sha256 } from '@noble/hashes/sha2.js';
import { boardName, mergeCards, type BoardAddress } from '../../shared/domain/boards.ts';
import type { Card, Cluster } from '../../shared/schemas/board.ts';
import type { HIDE_REASONS } from '../../shared/schemas/limits.ts';
import type * as YjsModule from 'yjs';
import type { Doc, Map as YMap } from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import { send } from '../socket.ts';
import type { CommandOutcome } from '../state/outcome.ts';
import { isRecord, randomId, readJson, removeKey, writeJson } from '../storage.ts';

type Yjs = typeof YjsModule;
export type HideReason = (typeof HIDE_REASONS)[number];
export type BoardStatus = 'connecting' | 'live' | 'offline';

const TOKENS_KEY = 'concerto.cardTokens';
const SAVE_MS = 300;

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The hash the server compares with: base64url(SHA-256(token)), done here even on plain-http pages. */
export function ownerHashOf(token: string): string {
  return base64url(sha256(new TextEncoder().encode(token)));
}

function loadTokens(): Record<string, string> {
  const raw = readJson(TOKENS_KEY);
  if (!isRecord(raw)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (typeof v === 'string') out[k] = v;
  return out;
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array | null {
  try {
    const binary = atob(text);
    const out = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}

let libraries: Promise<{ Y: Yjs; WebsocketProvider: typeof WebsocketProvider }> | null = null;
function loadLibraries() {
  libraries ??= Promise.all([import('yjs'), import('y-websocket')]).then(([Y, ws]) => ({ Y, WebsocketProvider: ws.WebsocketProvider }));
  return libraries;
}

export class BoardState {
  readonly name: string;
  cards = $state<Card[]>([]);
  clusters = $state<Cluster[]>([]);
  locked = $state(false);
  status = $state<BoardStatus>('connecting');
  /** The server refused a change (the step closed, the board was locked): what was not kept. */
  refused = $state(false);
  /** Cards from others that arrived since the board was first shown, for a polite announcement. */
  arrived = $state<Card[]>([]);

  #Y: Yjs | null = null;
  #doc: Doc | null = null;
  #provider: WebsocketProvider | null = null;
  #order: string[] = [];
  #synced = false;
  #saveTimer: ReturnType<typeof setTimeout> | null = null;
  #closed = false;
  // Plain bookkeeping, not shown: the cards this screen added (not announced to their author).
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #mineAdded = new Set<string>();

  constructor(
    readonly address: BoardAddress,
    readonly token: string,
    /** Keep a local copy so that cards written offline survive a reload (participants). */
    readonly keepLocal = true,
  ) {
    this.name = boardName(address);
  }

  get #storageKey(): string {
    return `concerto.board.${this.name}`;
  }

  async open(): Promise<void> {
    // A phone that loses the network says so at once: stop trying until it is back, then sync.
    window.addEventListener('offline', this.#wentOffline);
    window.addEventListener('online', this.#cameBack);
    const { Y, WebsocketProvider } = await loadLibraries();
    if (this.#closed) return;
    this.#Y = Y;
    this.#start(WebsocketProvider);
    if (!navigator.onLine) this.#wentOffline();
  }

  #wentOffline = (): void => {
    this.#provider?.disconnect();
    this.status = 'offline';
  };

  #cameBack = (): void => {
    this.#provider?.connect();
  };

  #start(Provider: typeof WebsocketProvider): void {
    const Y = this.#Y;
    if (!Y) return;
    const doc = new Y.Doc();
    if (this.keepLocal) {
      const saved = readJson(this.#storageKey);
      const bytes = typeof saved === 'string' ? fromBase64(saved) : null;
      if (bytes) {
        try {
          Y.applyUpdate(doc, bytes);
        } catch {
          removeKey(this.#storageKey);
        }
      }
    }
    this.#doc = doc;
    this.#synced = false;
    doc.on('update', () => {
      this.#refresh();
      this.#saveSoon();
    });
    const base = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/yjs`;
    const provider = new Provider(base, this.name, doc, { params: { token: this.token }, disableBc: true, maxBackoffTime: 5000 });
    this.#provider = provider;
    provider.on('status', ({ status }) => {
      if (this.#provider !== provider) return;
      this.status = status === 'connected' ? (this.#synced ? 'live' : 'connecting') : status === 'connecting' ? 'connecting' : 'offline';
    });
    provider.on('sync', (synced: boolean) => {
      if (this.#provider !== provider || !synced) return;
      this.#synced = true;
      this.status = 'live';
      this.#refresh();
    });
    provider.on('connection-close', (event) => {
      if (this.#provider !== provider || this.#closed) return;
      if (event?.code === 1008 || event?.code === 1009) this.#restartFresh(Provider);
    });
    this.#refresh();
  }

  /** Refused: drop the local copy (it holds what the server will not take) and start again from the server's. */
  #restartFresh(Provider: typeof WebsocketProvider): void {
    this.refused = true;
    this.#provider?.destroy();
    this.#doc?.destroy();
    removeKey(this.#storageKey);
    this.#start(Provider);
  }

  #saveSoon(): void {
    if (!this.keepLocal || this.#saveTimer) return;
    this.#saveTimer = setTimeout(() => {
      this.#saveTimer = null;
      const Y = this.#Y;
      if (Y && this.#doc) writeJson(this.#storageKey, toBase64(Y.encodeStateAsUpdate(this.#doc)));
    }, SAVE_MS);
  }

  #cardsMap(): YMap<Card> | null {
    return this.#doc?.getMap<Card>('cards') ?? null;
  }

  #refresh(): void {
    const doc = this.#doc;
    if (!doc) return;
    const map = doc.getMap<Card>('cards');
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a local lookup, not state
    const known = new Set(this.#order);
    const fresh: Card[] = [];
    for (const [id, card] of map) {
      if (known.has(id)) continue;
      this.#order.push(id);
      if (this.#synced && !this.#mineAdded.has(id) && !card.hidden) fresh.push(card);
    }
    this.#order = this.#order.filter((id) => map.has(id));
    this.cards = this.#order.map((id) => map.get(id)).filter((c): c is Card => c !== undefined);
    this.clusters = [...doc.getMap<Cluster>('clusters').values()];
    this.locked = doc.getMap<unknown>('meta').get('locked') === true;
    if (fresh.length) this.arrived = fresh;
  }

  /** Adds a card of one's own: a fresh token stays on this device, only its hash goes on the card. */
  addCard(typed: string, colour: Card['colour'], author?: string): Card | null {
    const map = this.#cardsMap();
    // [HR-TEXT] Cleaned as the server expects it: the shared document takes safe text only.
    const text = cleanText(typed);
    if (!map || !text) return null;
    const id = randomId(16);
    const token = randomId(43);
    const tokens = loadTokens();
    tokens[`${this.name}/${id}`] = token;
    writeJson(TOKENS_KEY, tokens);
    const card: Card = { id, text, axis: this.address.axis, colour, ownerHash: ownerHashOf(token), ...(author ? { author } : {}) };
    this.#mineAdded.add(id);
    map.set(id, card);
    return card;
  }

  /** The token that proves a card is this device's, if it is. */
  tokenFor(cardId: string): string | null {
    return loadTokens()[`${this.name}/${cardId}`] ?? null;
  }

  isMine(card: Card): boolean {
    return this.tokenFor(card.id) !== null;
  }

  // An author's changes to their own card go through the server, which checks the card's secret.

  /** Null: this screen did not write the card, nothing is sent. */
  async editCard(cardId: string, text: string): Promise<CommandOutcome<'board:card:edit'> | null> {
    const cardToken = this.tokenFor(cardId);
    if (!cardToken) return null;
    return send('board:card:edit', { eventId: this.address.eventId, board: this.name, cardId, cardToken, changes: { text } });
  }

  async removeCard(cardId: string): Promise<CommandOutcome<'board:card:remove'> | null> {
    const cardToken = this.tokenFor(cardId);
    if (!cardToken) return null;
    return send('board:card:remove', { eventId: this.address.eventId, board: this.name, cardId, cardToken });
  }

  /** Reports a card or a cluster of a table's board back to the plenary. */
  promote(selection: { cardId: string } | { clusterId: string }): Promise<CommandOutcome<'board:promote'>> {
    return send('board:promote', { eventId: this.address.eventId, board: this.name, ...selection });
  }

  moveCard(cardId: string, toAxis: string): Promise<CommandOutcome<'board:card:move'>> {
    return send('board:card:move', { eventId: this.address.eventId, board: this.name, cardId, toAxis });
  }

  /** Shows this board's axis on the projector, or (false) lets it turn through the open axes again. */
  project(on: boolean): Promise<CommandOutcome<'board:project'>> {
    return send('board:project', { eventId: this.address.eventId, axis: on ? this.address.axis : null });
  }

  // Facilitators write the document directly; the server checks and logs what they do.

  setCard(card: Card): void {
    const text = cleanText(card.text);
    if (text) this.#cardsMap()?.set(card.id, { ...card, text });
  }

  hide(card: Card, reason: HideReason): void {
    this.setCard({ ...card, hidden: { reason } });
  }

  show(card: Card): void {
    const { hidden: _hidden, ...rest } = card;
    this.setCard(rest);
  }

  setLocked(locked: boolean): void {
    this.#doc?.getMap<unknown>('meta').set('locked', locked);
  }

  /** Gathers cards under a new named cluster (regroupement). */
  cluster(typed: string, cardIds: readonly string[]): void {
    const title = cleanText(typed);
    if (!title) return;
    const doc = this.#doc;
    const map = this.#cardsMap();
    if (!doc || !map) return;
    const id = randomId(16);
    doc.transact(() => {
      doc.getMap<Cluster>('clusters').set(id, { id, title });
      for (const cardId of cardIds) {
        const card = map.get(cardId);
        if (card) map.set(cardId, { ...card, clusterId: id });
      }
    });
  }

  /** Takes a card out of its cluster; an empty cluster goes away. */
  uncluster(card: Card): void {
    const doc = this.#doc;
    const map = this.#cardsMap();
    if (!doc || !map || !card.clusterId) return;
    const clusterId = card.clusterId;
    doc.transact(() => {
      const { clusterId: _c, ...rest } = card;
      map.set(card.id, rest);
      if (![...map.values()].some((c) => c.clusterId === clusterId)) doc.getMap<Cluster>('clusters').delete(clusterId);
    });
  }

  /** Merges duplicates into one card that keeps the record of them; the duplicates are hidden as such. */
  merge(keepId: string, duplicateIds: readonly string[]): boolean {
    const doc = this.#doc;
    const map = this.#cardsMap();
    if (!doc || !map) return false;
    const scope = this.address.scope.kind === 'plenary' ? 'plenary' : `group-${this.address.scope.groupId}`;
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a local copy for the pure rule
    const result = mergeCards(new Map(map.entries()), keepId, duplicateIds, scope);
    if (result === 'card_not_found') return false;
    doc.transact(() => {
      for (const card of result) map.set(card.id, card);
    });
    return true;
  }

  close(): void {
    this.#closed = true;
    window.removeEventListener('offline', this.#wentOffline);
    window.removeEventListener('online', this.#cameBack);
    if (this.#saveTimer) clearTimeout(this.#saveTimer);
    const Y = this.#Y;
    if (this.keepLocal && Y && this.#doc) writeJson(this.#storageKey, toBase64(Y.encodeStateAsUpdate(this.#doc)));
    this.#provider?.destroy();
    this.#doc?.destroy();
    this.#provider = null;
    this.#doc = null;
  }
}
