import * as Y from 'yjs';
import { checkParticipantChange, type BoardChangeError } from '../../shared/domain/boards.ts';
import { BoardMeta, Card, Cluster, MAX_CARDS_PER_BOARD, MAX_CLUSTERS_PER_BOARD, MAX_DOC_BYTES, MAX_UPDATE_BYTES } from '../../shared/schemas/board.ts';
import type { ModerationAction } from '../db/boards.ts';

export interface BoardContent {
  cards: Map<string, Card>;
  clusters: Map<string, Cluster>;
  locked: boolean;
  /** JSON of everything but the cards, to tell whether a change touched it. */
  rest: string;
  /**
   * Cards and clusters that do not pass their schema, left out of `cards` and `clusters`. A damaged
   * item is checked on its own: it never makes the board unreadable, and an update that removes it
   * is a repair. An update that brings a new one is refused.
   */
  damaged: string[];
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * [HR-PROTO] Plain data only, as it will be stored: objects whose prototype is Object's (a decoded
 * `__proto__` key sets the prototype instead, and a schema would then read fields through it), and
 * none of the keys that reach a prototype.
 */
export function isPlainData(value: unknown, depth = 0): boolean {
  if (value === null || typeof value !== 'object') return true;
  if (depth > 8) return false;
  if (Array.isArray(value)) return Object.getPrototypeOf(value) === Array.prototype && value.every((v) => isPlainData(v, depth + 1));
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  for (const key of Object.keys(value)) {
    if (FORBIDDEN_KEYS.has(key)) return false;
    if (!isPlainData((value as Record<string, unknown>)[key], depth + 1)) return false;
  }
  return true;
}

const PARTS = new Set(['cards', 'clusters', 'meta']);

/**
 * [BD2] Reads a board document, or says why it is not one: unknown parts, wrong types, or a value
 * that does not match its schema (unknown fields, card text over 280 characters…).
 */
export function readBoard(doc: Y.Doc, axis: string): BoardContent | null {
  for (const name of doc.share.keys()) if (!PARTS.has(name)) return null;
  let cardsMap: Y.Map<unknown>, clustersMap: Y.Map<unknown>, metaMap: Y.Map<unknown>;
  try {
    cardsMap = doc.getMap<unknown>('cards');
    clustersMap = doc.getMap<unknown>('clusters');
    metaMap = doc.getMap<unknown>('meta');
  } catch {
    return null; // a part already defined as another type
  }
  // List content written into a part that must be a map would be silently ignored: refuse it.
  for (const part of [cardsMap, clustersMap, metaMap]) if (part._start !== null) return null;
  if (cardsMap.size > MAX_CARDS_PER_BOARD || clustersMap.size > MAX_CLUSTERS_PER_BOARD) return null;

  const damaged: string[] = [];
  const clusters = new Map<string, Cluster>();
  for (const [id, value] of clustersMap) {
    const cluster = isPlainData(value) ? Cluster.safeParse(value) : null;
    if (cluster?.success && cluster.data.id === id) clusters.set(id, cluster.data);
    else damaged.push(id);
  }
  const cards = new Map<string, Card>();
  for (const [id, value] of cardsMap) {
    const card = isPlainData(value) ? Card.safeParse(value) : null;
    if (card?.success && card.data.id === id && card.data.axis === axis && (!card.data.clusterId || clusters.has(card.data.clusterId)))
      cards.set(id, card.data);
    else damaged.push(id);
  }
  const metaJson = metaMap.toJSON();
  const meta = isPlainData(metaJson) ? BoardMeta.safeParse(metaJson) : null;
  if (!meta?.success) return null;
  return {
    cards,
    clusters,
    locked: meta.data.locked === true,
    rest: JSON.stringify([clustersMap.toJSON(), metaJson]),
    damaged,
  };
}

export const EMPTY_BOARD: BoardContent = { cards: new Map(), clusters: new Map(), locked: false, rest: JSON.stringify([{}, {}]), damaged: [] };

/** Why an update sent over the live document was refused. */
export type UpdateRefusal =
  /** The update alone is over MAX_UPDATE_BYTES. */
  | 'update_too_big'
  /** It builds on content this server does not have: the client resyncs when it reconnects. */
  | 'missing_dependencies'
  | 'read_only'
  /** The document would be over MAX_DOC_BYTES. */
  | 'too_big'
  | 'invalid'
  | BoardChangeError;

export type UpdateCheck =
  /** Nothing new (sync messages often repeat what is known, such as a reconnecting client's delete set). */
  { kind: 'same' } | { kind: 'refused'; reason: UpdateRefusal } | { kind: 'accepted'; content: BoardContent };

export interface UpdateAuthor {
  role: 'participant' | 'facilitator' | 'projector';
  /** Asked only when the update changes something, since it reads the database. */
  mayWrite(): boolean;
  /** Whether the event allows signed cards (participants only). */
  allowNamed(): boolean;
}

/**
 * [BD2] Checks an update on a scratch copy of the document before anything is applied: the live
 * document, the other clients and the store see only updates that pass.
 */
export function checkUpdate(doc: Y.Doc, content: BoardContent, axis: string, update: Uint8Array, author: UpdateAuthor): UpdateCheck {
  if (update.byteLength > MAX_UPDATE_BYTES) return { kind: 'refused', reason: 'update_too_big' };
  const current = Y.encodeStateAsUpdate(doc);
  const scratch = new Y.Doc();
  try {
    Y.applyUpdate(scratch, current);
    Y.applyUpdate(scratch, update);
    if (scratch.store.pendingStructs !== null || scratch.store.pendingDs !== null) return { kind: 'refused', reason: 'missing_dependencies' };
    const next = Y.encodeStateAsUpdate(scratch);
    if (equalBytes(next, current)) return { kind: 'same' };
    if (!author.mayWrite()) return { kind: 'refused', reason: 'read_only' };
    if (next.byteLength > MAX_DOC_BYTES) return { kind: 'refused', reason: 'too_big' };
    const after = readBoard(scratch, axis);
    if (!after) return { kind: 'refused', reason: 'invalid' };
    // Per card: an item damaged before does not block the board; a new one is refused.
    if (after.damaged.some((id) => !content.damaged.includes(id))) return { kind: 'refused', reason: 'invalid' };
    if (author.role === 'participant') {
      const refused = checkParticipantChange(content.cards, after.cards, content.rest !== after.rest, content.locked, author.allowNamed());
      if (refused) return { kind: 'refused', reason: refused };
    }
    return { kind: 'accepted', content: after };
  } finally {
    scratch.destroy();
  }
}

export interface ModerationEntry {
  cardId: string;
  action: Extract<ModerationAction, 'hide' | 'show' | 'edit'>;
  reason: string | null;
}

/** [BD11] What a facilitator's change did to cards: hidden or shown again (with the reason category), someone's text edited. */
export function moderationEntries(before: BoardContent, after: BoardContent): ModerationEntry[] {
  const out: ModerationEntry[] = [];
  for (const [id, card] of after.cards) {
    const earlier = before.cards.get(id);
    const was = earlier?.hidden;
    if (card.hidden && card.hidden.reason !== was?.reason) out.push({ cardId: id, action: 'hide', reason: card.hidden.reason });
    else if (!card.hidden && was) out.push({ cardId: id, action: 'show', reason: null });
    if (earlier && earlier.text !== card.text) out.push({ cardId: id, action: 'edit', reason: null });
  }
  return out;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}
