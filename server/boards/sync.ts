import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import * as Y from 'yjs';
import type { ErrorCode, Result } from '../../shared/domain/errors.ts';
import type { Card } from '../../shared/schemas/board.ts';
import type { CardChange } from '../command.ts';
import type { Clock, Services } from '../context.ts';
import type { BoardChange } from '../effects.ts';
import type { BoardAccess } from './access.ts';
import { BoardRooms, COMMITTED, loadDoc } from './rooms.ts';
import type { BoardStore } from './store.ts';
import { BoardTransport } from './transport.ts';
import { EMPTY_BOARD, readBoard, type BoardContent } from './validate.ts';

export type { BoardChange };

/** What a board command does to a board, decided from its checked content. */
export type BoardEdit<T, E extends ErrorCode = never> = (content: BoardContent) => Result<CardChange<T>, E>;

/** A planned change; `change` is null when the command found nothing to change. */
export type Planned<T> = { data: T; change: BoardChange | null };

/**
 * The board documents: the y-websocket endpoint (transport.ts), the documents held in memory and
 * their persistence (rooms.ts), the store behind it (store.ts), and the changes made by commands.
 *
 * A command's change is made in two steps, so that nobody sees a change that was not saved:
 * `plan` computes it without touching the live document; the command appends `change.update` to the
 * store inside its transaction (`persist`); once that commits, `applyCommitted` shows it.
 */
export class BoardSync {
  readonly #store: BoardStore;
  readonly #transport: BoardTransport;
  readonly #rooms: BoardRooms;
  #closed = false;

  constructor(services: Pick<Services, 'repos' | 'logger'> & { clock: Clock; store?: BoardStore }) {
    this.#store = services.store ?? services.repos.boards;
    this.#transport = new BoardTransport(services, () => this.#rooms);
    this.#rooms = new BoardRooms(this.#store, services.logger, (room, update, origin) => this.#transport.relay(room, update, origin));
  }

  /** Answers an HTTP upgrade on /yjs/…: false when the token or document was refused (nothing opened, nothing answered: the caller answers). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    return this.#transport.handleUpgrade(req, socket, head);
  }

  /**
   * Computes what `edit` does to the board on a scratch copy of its current document (the live one,
   * or the stored one when nobody has it open). Applies nothing, writes nothing.
   */
  plan<T, E extends ErrorCode = never>(name: string, access: BoardAccess, edit: BoardEdit<T, E>): Result<Planned<T>, E> {
    // Thrown, not answered: the router answers `internal` and rolls the command back.
    if (this.#closed) throw new Error('boards are closed');
    const room = this.#rooms.get(name);
    const current = room?.doc ?? loadDoc(this.#store, name);
    const scratch = new Y.Doc({ gc: true });
    try {
      const content = room?.content ?? readBoard(current, access.address.axis) ?? EMPTY_BOARD;
      const planned = edit(content);
      if (!planned.ok) return planned;
      const result = planned.data;
      const removed = result.removed ?? [];
      if (!result.cards.length && !removed.length) return { ok: true, data: { data: result.data, change: null } };
      Y.applyUpdate(scratch, Y.encodeStateAsUpdate(current));
      const before = Y.encodeStateVector(scratch);
      scratch.transact(() => {
        const cards = scratch.getMap<Card>('cards');
        for (const id of removed) cards.delete(id);
        for (const card of result.cards) cards.set(card.id, card);
      });
      // A command checks its cards against the schema already; a change that breaks it is a bug here.
      if (!readBoard(scratch, access.address.axis)) throw new Error('a command made a board that does not pass its checks');
      const diff = Y.encodeStateAsUpdate(scratch, before);
      // With the updates the live document holds but has not written yet: the change may build on
      // them (a card just added), and what is stored must never depend on what is not.
      const update = room?.pending.length ? Y.mergeUpdates([...room.pending, diff]) : diff;
      return { ok: true, data: { data: result.data, change: { board: name, eventId: access.address.eventId, update } } };
    } finally {
      scratch.destroy();
      if (!room) current.destroy();
    }
  }

  /** Stores a planned change; to be called inside the command's transaction, so it commits with it. */
  persist(change: BoardChange): void {
    this.#store.append(change.board, change.eventId, [change.update]);
  }

  /**
   * After the command committed: shows the change on the live document, if the board is open, and
   * to its connections. It is stored already; when nobody has the board open there is nothing to do.
   */
  applyCommitted(change: BoardChange): void {
    const room = this.#rooms.get(change.board);
    if (room) this.#rooms.apply(room, change.update, COMMITTED);
  }

  /** The checked content of a board; a board nobody has open is read from the store, and nothing is written. */
  read(name: string, access: BoardAccess): BoardContent {
    const room = this.#rooms.get(name);
    if (room) return room.content;
    const doc = loadDoc(this.#store, name);
    try {
      return readBoard(doc, access.address.axis) ?? EMPTY_BOARD;
    } finally {
      doc.destroy();
    }
  }

  /** Closes the board connections one staff link opened (it was replaced). */
  closeStaff(eventId: string, role: 'facilitator' | 'cofacilitator' | 'projector'): void {
    this.#transport.closeStaff(eventId, role);
  }

  loadedDocuments(): number {
    return this.#rooms.size;
  }

  /** False while some board's updates could not be written; they are kept and tried again. */
  healthy(): boolean {
    return this.#rooms.healthy();
  }

  /** On shutdown: write and compact every document, then close every connection. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#rooms.close();
    this.#transport.close();
  }
}
