import type * as Y from 'yjs';
import { BoardMeta, Card, Cluster, MAX_CARDS_PER_BOARD, MAX_CLUSTERS_PER_BOARD } from '../../shared/schemas/board.ts';

export interface BoardContent {
  cards: Map<string, Card>;
  clusters: Map<string, Cluster>;
  locked: boolean;
  /** JSON of everything but the cards, to tell whether a change touched it. */
  rest: string;
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

  const cards = new Map<string, Card>();
  for (const [id, value] of cardsMap) {
    const card = Card.safeParse(value);
    if (!card.success || card.data.id !== id || card.data.axis !== axis) return null;
    cards.set(id, card.data);
  }
  const clusters = new Map<string, Cluster>();
  for (const [id, value] of clustersMap) {
    const cluster = Cluster.safeParse(value);
    if (!cluster.success || cluster.data.id !== id) return null;
    clusters.set(id, cluster.data);
  }
  for (const card of cards.values()) if (card.clusterId && !clusters.has(card.clusterId)) return null;
  const meta = BoardMeta.safeParse(metaMap.toJSON());
  if (!meta.success) return null;
  return {
    cards,
    clusters,
    locked: meta.data.locked === true,
    rest: JSON.stringify([clustersMap.toJSON(), metaMap.toJSON()]),
  };
}
