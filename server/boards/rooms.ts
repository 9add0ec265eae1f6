import * as Y from 'yjs';
import type { Logger } from '../logger.ts';
import type { BoardStore } from './store.ts';
import { EMPTY_BOARD, readBoard, type BoardContent } from './validate.ts';

/** Updates are written at most this long after they arrive (and at once on close and shutdown). */
export const FLUSH_MS = 100;
/** After a failed write, the next try waits twice as long each time, up to this. */
export const MAX_RETRY_MS = 5_000;
/** Past this many stored updates, a document is compacted into one snapshot. */
const COMPACT_AFTER = 200;

/**
 * The origin of an update that is already in the store (a board command's change, appended in the
 * command's transaction): it is shown and relayed, not written a second time.
 */
export const COMMITTED = Symbol('committed');

export interface Room {
  name: string;
  eventId: string;
  axis: string;
  doc: Y.Doc;
  /** How many connections have the document open: a room nobody has open is unloaded. */
  users: number;
  /** The checked content, kept so that each update is compared without reading the board again. */
  content: BoardContent;
  /** Applied to the document, not stored yet. */
  pending: Uint8Array[];
  flushTimer: NodeJS.Timeout | null;
  /** Writes that failed in a row; 0 when the last one went through. */
  failures: number;
}

/** Sends an update that the live document accepted to the connections other than `origin`. */
export type Relay = (room: Room, update: Uint8Array, origin: unknown) => void;

/**
 * The board documents held in memory, one per board somebody has open, and their persistence:
 * accepted updates are written in batches, compacted from time to time, and the document is let go
 * when nobody has it open. Nothing here throws out of a timer: a write that fails keeps its updates,
 * is tried again with back-off, is logged, and shows in `healthy()` until a write goes through.
 */
export class BoardRooms {
  readonly #rooms = new Map<string, Room>();
  #closed = false;

  constructor(
    private readonly store: BoardStore,
    private readonly logger: Logger,
    private readonly relay: Relay,
  ) {}

  /** The live room of a document, if it is loaded. */
  get(name: string): Room | undefined {
    return this.#rooms.get(name);
  }

  /** The room of a document, loaded from the store if needed. */
  open(name: string, eventId: string, axis: string): Room {
    const existing = this.#rooms.get(name);
    if (existing) return existing;
    const doc = loadDoc(this.store, name);
    const room: Room = { name, eventId, axis, doc, users: 0, content: readBoard(doc, axis) ?? EMPTY_BOARD, pending: [], flushTimer: null, failures: 0 };
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      this.relay(room, update, origin);
      if (origin === COMMITTED) return;
      room.pending.push(update);
      if (room.failures === 0) this.#schedule(room, FLUSH_MS);
    });
    this.#rooms.set(name, room);
    return room;
  }

  /** One more connection has the document open. */
  enter(room: Room): void {
    room.users++;
  }

  /** Applies an update that was checked (or committed), with `origin` as the connection it came from. */
  apply(room: Room, update: Uint8Array, origin: unknown, content?: BoardContent): void {
    Y.applyUpdate(room.doc, update, origin);
    room.content = content ?? readBoard(room.doc, room.axis) ?? room.content;
  }

  /** Somebody stopped looking at the document: once nobody has it open and it is stored, it leaves memory. */
  leave(room: Room): void {
    room.users = Math.max(0, room.users - 1);
    if (room.users === 0 && !this.#closed) this.#unloadIfStored(room);
  }

  get size(): number {
    return this.#rooms.size;
  }

  /** False while a board's updates could not be written (they are kept in memory and tried again). */
  healthy(): boolean {
    for (const room of this.#rooms.values()) if (room.failures > 0) return false;
    return true;
  }

  /** Updates held in memory, not stored yet: what a crash now would lose. */
  unstored(): number {
    let n = 0;
    for (const room of this.#rooms.values()) n += room.pending.length;
    return n;
  }

  #schedule(room: Room, ms: number): void {
    if (this.#closed) return;
    room.flushTimer ??= setTimeout(() => {
      room.flushTimer = null;
      if (this.#flush(room) && room.users === 0) this.#unloadIfStored(room);
    }, ms);
  }

  /** Writes the pending updates; false (logged, kept, and tried again later) when the store refused them. */
  #flush(room: Room): boolean {
    if (room.flushTimer) clearTimeout(room.flushTimer);
    room.flushTimer = null;
    if (room.pending.length) {
      const batch = room.pending;
      room.pending = [];
      try {
        this.store.append(room.name, room.eventId, batch);
      } catch (err) {
        room.pending = batch.concat(room.pending);
        room.failures++;
        const retryMs = Math.min(FLUSH_MS * 2 ** room.failures, MAX_RETRY_MS);
        this.logger.error('board write failed', { board: room.name, updates: room.pending.length, attempt: room.failures, retryMs, error: message(err) });
        this.#schedule(room, retryMs);
        return false;
      }
      if (room.failures > 0) this.logger.info('board write recovered', { board: room.name, attempts: room.failures + 1 });
      room.failures = 0;
    }
    if (this.#storedCount(room) > COMPACT_AFTER) this.#compact(room);
    return true;
  }

  #storedCount(room: Room): number {
    try {
      return this.store.pendingCount(room.name);
    } catch (err) {
      this.logger.error('board count failed', { board: room.name, error: message(err) });
      return 0;
    }
  }

  /** Compaction only saves space: what it would replace is stored already, so a failure loses nothing. */
  #compact(room: Room): void {
    try {
      this.store.compact(room.name, room.eventId, Y.encodeStateAsUpdate(room.doc));
    } catch (err) {
      this.logger.error('board compaction failed', { board: room.name, error: message(err) });
    }
  }

  /** Nobody left: store everything, compact, and let the document go; if the store fails, keep it and try again. */
  #unloadIfStored(room: Room): void {
    if (this.#rooms.get(room.name) !== room || !this.#flush(room)) return;
    this.#compact(room);
    room.doc.destroy();
    this.#rooms.delete(room.name);
  }

  /** On shutdown: write and compact every document. What cannot be written is logged, never thrown. */
  close(): void {
    if (this.#closed) return;
    for (const room of [...this.#rooms.values()]) this.#unloadIfStored(room);
    this.#closed = true;
    for (const room of this.#rooms.values()) {
      if (room.flushTimer) clearTimeout(room.flushTimer);
      room.flushTimer = null;
      this.logger.error('board not stored at shutdown', { board: room.name, updates: room.pending.length });
    }
  }
}

/** A document built from what the store holds, owned by the caller. */
export function loadDoc(store: BoardStore, name: string): Y.Doc {
  const doc = new Y.Doc({ gc: true });
  const stored = store.load(name);
  if (stored.length) Y.applyUpdate(doc, Y.mergeUpdates(stored));
  return doc;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
