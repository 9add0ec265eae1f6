/**
 * Where board documents are kept: per document, Yjs updates appended in order and, from time to
 * time, one snapshot that replaces them. The SQLite implementation is `sqliteBoardStore` in
 * server/db/boards.ts; test/boards/store.contract.ts is what any other implementation must pass.
 *
 * Synchronous on purpose: a board command appends its update inside the command's own SQLite
 * transaction, so that the change, the command's other writes and its receipt commit together.
 */
export interface BoardStore {
  /** Everything stored for a document, oldest first (its snapshot, then the updates since); [] when unknown. */
  load(doc: string): Uint8Array[];
  /** Adds updates after those already stored, in this order, all or none. */
  append(doc: string, eventId: string, updates: readonly Uint8Array[]): void;
  /** How many updates were appended since the last snapshot. */
  pendingCount(doc: string): number;
  /**
   * Replaces what is stored for the document by one snapshot holding `state` merged with everything
   * already stored: an update appended by someone else since `state` was taken is kept, not lost.
   */
  compact(doc: string, eventId: string, state: Uint8Array): void;
  /** The documents of an event that hold anything, sorted by name. */
  documents(eventId: string): string[];
}
