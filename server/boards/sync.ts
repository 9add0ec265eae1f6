import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { WebSocket, WebSocketServer } from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { checkParticipantChange } from '../../shared/domain/boards.ts';
import type { ErrorCode, Result } from '../../shared/domain/errors.ts';
import type { CardChange } from '../command.ts';
import type { BoardChange } from '../effects.ts';
import { MAX_DOC_BYTES, MAX_UPDATE_BYTES, type Card } from '../../shared/schemas/board.ts';
import type { Clock, Services } from '../context.ts';
import { resolveActor } from '../sessions.ts';
import { boardAccess, mayWrite, type BoardAccess } from './access.ts';
import { readBoard, type BoardContent } from './validate.ts';

const EMPTY: BoardContent = { cards: new Map(), clusters: new Map(), locked: false, rest: JSON.stringify([{}, {}]) };

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The origin of updates already stored by a command's transaction. */
const STORED = Symbol('stored');

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
/** Updates are written at most this long after they arrive (and at once on close and shutdown). */
const FLUSH_MS = 100;
/** Past this many stored updates, a document is compacted into one snapshot. */
const COMPACT_AFTER = 200;
/** Close codes: 1008 policy violation (hostile or refused update), 1009 too big. */
const POLICY = 1008;
const TOO_BIG = 1009;

interface Room {
  name: string;
  eventId: string;
  axis: string;
  doc: Y.Doc;
  conns: Map<WebSocket, BoardAccess>;
  /** The checked content, kept so that each update is compared without reading the board again. */
  content: BoardContent;
  pending: Uint8Array[];
  flushTimer: NodeJS.Timeout | null;
}

/**
 * The Yjs endpoint: the y-websocket protocol on /yjs/<document>, so a standard WebsocketProvider
 * with `params: { token }` can sync. Every update is checked on a scratch copy before it is applied,
 * relayed or stored. Awareness (who is looking, cursors) is not relayed: boards are anonymous.
 */
export class BoardSync {
  readonly #wss = new WebSocketServer({ noServer: true, maxPayload: MAX_UPDATE_BYTES + 1024 });
  readonly #rooms = new Map<string, Room>();
  #closed = false;

  constructor(private readonly services: Pick<Services, 'repos' | 'logger'> & { clock: Clock }) {}

  /** Answers an HTTP upgrade on /yjs/…: authenticated and authorized before the socket opens. */
  /** Opens the board for a valid token and document; false when the token or document was refused. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const docName = decodeURIComponent(url.pathname.slice('/yjs/'.length));
    const actor = resolveActor(this.services.repos, url.searchParams.get('token') ?? undefined, undefined);
    const access = actor && actor.kind !== 'guest' ? boardAccess(this.services, actor, docName) : null;
    if (!access) {
      // One answer for a bad token, another event and an unknown board: nothing to enumerate.
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return false;
    }
    if (this.#closed) {
      socket.destroy();
      return true;
    }
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#open(ws, docName, access));
    return true;
  }

  #room(name: string, access: BoardAccess): Room {
    let room = this.#rooms.get(name);
    if (room) return room;
    const doc = new Y.Doc({ gc: true });
    const stored = this.services.repos.boards.load(name);
    if (stored.length) Y.applyUpdate(doc, Y.mergeUpdates(stored));
    const content = readBoard(doc, access.address.axis) ?? EMPTY;
    room = { name, eventId: access.address.eventId, axis: access.address.axis, doc, conns: new Map(), content, pending: [], flushTimer: null };
    const r = room;
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      const message = encoding.createEncoder();
      encoding.writeVarUint(message, MESSAGE_SYNC);
      syncProtocol.writeUpdate(message, update);
      const bytes = encoding.toUint8Array(message);
      for (const ws of r.conns.keys()) if (ws !== origin && ws.readyState === WebSocket.OPEN) ws.send(bytes);
      // Changes made by commands are in the store already.
      if (origin === STORED) return;
      r.pending.push(update);
      r.flushTimer ??= setTimeout(() => this.#flush(r), FLUSH_MS);
    });
    this.#rooms.set(name, room);
    return room;
  }

  #open(ws: WebSocket, name: string, access: BoardAccess): void {
    const room = this.#room(name, access);
    room.conns.set(ws, access);
    ws.binaryType = 'arraybuffer';
    ws.on('message', (data: ArrayBuffer) => this.#message(room, ws, new Uint8Array(data)));
    ws.on('close', () => this.#close(room, ws));
    ws.on('error', () => ws.terminate());
    // Start the sync: our state vector, so the client sends what we lack.
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_SYNC);
    syncProtocol.writeSyncStep1(encoder, room.doc);
    ws.send(encoding.toUint8Array(encoder));
  }

  #message(room: Room, ws: WebSocket, data: Uint8Array): void {
    const access = room.conns.get(ws);
    if (!access || this.#closed) return;
    try {
      const decoder = decoding.createDecoder(data);
      const kind = decoding.readVarUint(decoder);
      if (kind === MESSAGE_AWARENESS) return;
      if (kind !== MESSAGE_SYNC) return ws.close(POLICY);
      const syncType = decoding.readVarUint(decoder);
      if (syncType === syncProtocol.messageYjsSyncStep1) {
        const encoder = encoding.createEncoder();
        encoding.writeVarUint(encoder, MESSAGE_SYNC);
        syncProtocol.readSyncStep1(decoder, encoder, room.doc);
        ws.send(encoding.toUint8Array(encoder));
        return;
      }
      if (syncType !== syncProtocol.messageYjsSyncStep2 && syncType !== syncProtocol.messageYjsUpdate) return ws.close(POLICY);
      const update = decoding.readVarUint8Array(decoder);
      this.#receive(room, ws, access, update);
    } catch {
      ws.close(POLICY);
    }
  }

  /** [BD2] Check on a scratch copy, then apply: nothing refused reaches another client or the database. */
  #receive(room: Room, ws: WebSocket, access: BoardAccess, update: Uint8Array): void {
    const { logger } = this.services;
    if (update.byteLength > MAX_UPDATE_BYTES) return ws.close(TOO_BIG);
    const current = Y.encodeStateAsUpdate(room.doc);
    const scratch = new Y.Doc();
    Y.applyUpdate(scratch, current);
    Y.applyUpdate(scratch, update);
    // Content that depends on something this server does not have: the client resyncs on reconnection.
    if (scratch.store.pendingStructs !== null || scratch.store.pendingDs !== null) return ws.close(POLICY);
    const next = Y.encodeStateAsUpdate(scratch);
    // Sync messages often repeat what is known (a reconnecting client's delete set): nothing to do.
    if (equalBytes(next, current)) return;
    const refuse = (reason: string, code = POLICY) => {
      logger.info('board update refused', { reason, role: access.role });
      ws.close(code);
    };
    if (!mayWrite(this.services, access)) return refuse('read_only');
    if (next.byteLength > MAX_DOC_BYTES) return refuse('too_big', TOO_BIG);
    const after = readBoard(scratch, room.axis);
    if (!after) return refuse('invalid');
    if (access.role === 'participant') {
      const before = room.content;
      const allowNamed = this.services.repos.events.get(room.eventId)?.info.allowNamedContributions ?? false;
      const refused = checkParticipantChange(before.cards, after.cards, before.rest !== after.rest, before.locked, allowNamed);
      if (refused) return refuse(refused);
    }
    if (access.role === 'facilitator') this.#logModeration(room, room.content, after);
    room.content = after;
    Y.applyUpdate(room.doc, update, ws);
  }

  /** [BD11] Every card hidden or shown again goes to the moderation log, with its reason category; edits of someone's text too. */
  #logModeration(room: Room, before: BoardContent, after: BoardContent): void {
    const now = this.services.clock.now();
    for (const [id, card] of after.cards) {
      const was = before.cards.get(id)?.hidden;
      if (card.hidden && card.hidden.reason !== was?.reason) {
        this.services.repos.boards.logModeration(room.eventId, room.name, id, 'hide', card.hidden.reason, now);
      } else if (!card.hidden && was) {
        this.services.repos.boards.logModeration(room.eventId, room.name, id, 'show', null, now);
      }
      const earlier = before.cards.get(id);
      if (earlier && earlier.text !== card.text) this.services.repos.boards.logModeration(room.eventId, room.name, id, 'edit', null, now);
    }
  }

  /** The document as it is now: the live copy if loaded, else read from the store (nothing is kept or written). */
  #current(name: string, axis: string): { doc: Y.Doc; content: BoardContent; temporary: boolean } {
    const room = this.#rooms.get(name);
    if (room) return { doc: room.doc, content: room.content, temporary: false };
    const doc = new Y.Doc({ gc: true });
    const stored = this.services.repos.boards.load(name);
    if (stored.length) Y.applyUpdate(doc, Y.mergeUpdates(stored));
    return { doc, content: readBoard(doc, axis) ?? EMPTY, temporary: true };
  }

  /**
   * A change made by the server itself (a command that checked what the live document cannot, such
   * as a card token), computed on a scratch copy: nothing is applied. The command stores the update in
   * its transaction (`store`) and, once committed, it is applied to the live document (`applyCommitted`).
   */
  plan<T, E extends ErrorCode = never>(name: string, access: BoardAccess, fn: (content: BoardContent) => Result<CardChange<T>, E>): Result<{ data: T; change: BoardChange }, E> {
    if (this.#closed) throw new Error('boards closed');
    const current = this.#current(name, access.address.axis);
    try {
      const result = fn(current.content);
      if (!result.ok) return result;
      const scratch = new Y.Doc({ gc: true });
      Y.applyUpdate(scratch, Y.encodeStateAsUpdate(current.doc));
      const before = Y.encodeStateVector(scratch);
      scratch.transact(() => {
        const cards = scratch.getMap<Card>('cards');
        for (const id of result.data.removed ?? []) cards.delete(id);
        for (const card of result.data.cards) cards.set(card.id, card);
      });
      const update = Y.encodeStateAsUpdate(scratch, before);
      scratch.destroy();
      return { ok: true, data: { data: result.data.data, change: { board: name, eventId: access.address.eventId, update } } };
    } finally {
      if (current.temporary) current.doc.destroy();
    }
  }

  /** Stores a planned change: called inside the command's transaction. */
  store(change: BoardChange): void {
    this.services.repos.boards.append(change.board, change.eventId, [change.update]);
  }

  /** After the commit: the stored change reaches the live document and its connections (it is not stored again). */
  applyCommitted(change: BoardChange): void {
    const room = this.#rooms.get(change.board);
    if (!room) return;
    Y.applyUpdate(room.doc, change.update, STORED);
    room.content = readBoard(room.doc, room.axis) ?? room.content;
  }

  /** The checked content of a board; writes nothing. */
  read(name: string, access: BoardAccess): BoardContent {
    const current = this.#current(name, access.address.axis);
    if (current.temporary) current.doc.destroy();
    return current.content;
  }

  #flush(room: Room): void {
    if (room.flushTimer) clearTimeout(room.flushTimer);
    room.flushTimer = null;
    if (!room.pending.length) return;
    const batch = room.pending;
    room.pending = [];
    const { boards } = this.services.repos;
    boards.append(room.name, room.eventId, batch);
    if (boards.pendingCount(room.name) > COMPACT_AFTER) boards.compact(room.name, room.eventId, Y.encodeStateAsUpdate(room.doc));
  }

  #close(room: Room, ws: WebSocket): void {
    room.conns.delete(ws);
    if (room.conns.size > 0 || this.#closed) return;
    this.#unload(room);
  }

  /** Nobody left: store everything, compact, and let the document go. */
  #unload(room: Room): void {
    this.#flush(room);
    this.services.repos.boards.compact(room.name, room.eventId, Y.encodeStateAsUpdate(room.doc));
    room.doc.destroy();
    this.#rooms.delete(room.name);
  }

  loadedDocuments(): number {
    return this.#rooms.size;
  }

  /** On shutdown: write and compact every document, then close every connection. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const room of [...this.#rooms.values()]) this.#unload(room);
    for (const ws of this.#wss.clients) ws.close(1001);
    this.#wss.close();
  }
}
