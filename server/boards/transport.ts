import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { WebSocket, WebSocketServer } from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { MAX_UPDATE_BYTES } from '../../shared/schemas/board.ts';
import type { Services } from '../context.ts';
import { resolveActor } from '../sessions.ts';
import { boardAccess, mayWrite, type BoardAccess } from './access.ts';
import type { BoardRooms, Room } from './rooms.ts';
import { checkUpdate, moderationEntries, type UpdateRefusal } from './validate.ts';

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
/** Close codes: 1008 policy violation (hostile or refused update), 1009 too big, 1011 the server failed (the client retries). */
const POLICY = 1008;
const TOO_BIG = 1009;
const SERVER_ERROR = 1011;
/** Refusals that say nothing about the person (an update out of order, too big to read): not logged. */
const QUIET: ReadonlySet<UpdateRefusal> = new Set(['update_too_big', 'missing_dependencies']);

/**
 * [HR-BUDGET] What one connection may send: bursts up to the capacity, then the refill per second.
 * A person adding cards or a phone resyncing after a network loss stays far below; a flood of tiny
 * messages is closed before it can hold the server.
 */
export const CONNECTION_BUDGET = { messages: 200, messagesPerSecond: 50, bytes: 2 * MAX_UPDATE_BYTES, bytesPerSecond: MAX_UPDATE_BYTES / 2 };

/** [HR-CARDS] Cards one person may add to one board. */
export const CARD_BUDGET = { perMinute: 30, perBoard: 150 };

interface Budget {
  messages: number;
  bytes: number;
  at: number;
}

/** [HR-READONLY] Whether an update carries content the document does not have: read from the update alone, never from the document's content. */
function bringsNewContent(doc: Y.Doc, update: Uint8Array): boolean {
  // `to`: where each writer's content in the update ends.
  const { to } = Y.parseUpdateMeta(update);
  const ours = Y.decodeStateVector(Y.encodeStateVector(doc));
  for (const [client, clock] of to) if (clock > (ours.get(client) ?? 0)) return true;
  return false;
}

export type TransportServices = Pick<Services, 'repos' | 'logger' | 'clock'>;

/**
 * The y-websocket protocol on /yjs/<document>, so that a standard WebsocketProvider with
 * `params: { token }` can sync: sync steps 1 and 2, updates checked (validate.ts) before they are
 * applied and relayed. Awareness (who is looking, cursors) is not relayed: boards are anonymous.
 */
export class BoardTransport {
  readonly #wss = new WebSocketServer({ noServer: true, maxPayload: MAX_UPDATE_BYTES + 1024 });
  /** The connections of each room, with what each may do. */
  readonly #conns = new Map<Room, Map<WebSocket, BoardAccess>>();
  readonly #budgets = new WeakMap<WebSocket, Budget>();
  readonly #cardTimes = new Map<string, number[]>();
  readonly #cardTotals = new Map<string, number>();
  readonly #synced = new WeakSet<WebSocket>();
  #closed = false;

  constructor(
    private readonly services: TransportServices,
    private readonly rooms: () => BoardRooms,
  ) {}

  /** Opens the board for a valid token and document; false when the token or document was refused. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const docName = decodeURIComponent(url.pathname.slice('/yjs/'.length));
    const actor = resolveActor(this.services.repos, url.searchParams.get('token') ?? undefined, undefined);
    const access = actor && actor.kind !== 'guest' ? boardAccess(this.services, actor, docName) : null;
    // Refused: the caller answers, once it has counted (and maybe slowed) the failure.
    if (!access) return false;
    if (this.#closed) {
      socket.destroy();
      return true;
    }
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#open(ws, docName, access));
    return true;
  }

  /** Sends an update the live document accepted to every connection of the room but the one it came from. */
  relay(room: Room, update: Uint8Array, origin: unknown): void {
    const conns = this.#conns.get(room);
    if (!conns) return;
    const message = encoding.createEncoder();
    encoding.writeVarUint(message, MESSAGE_SYNC);
    syncProtocol.writeUpdate(message, update);
    const bytes = encoding.toUint8Array(message);
    for (const ws of conns.keys()) if (ws !== origin && ws.readyState === WebSocket.OPEN) ws.send(bytes);
  }

  #open(ws: WebSocket, name: string, access: BoardAccess): void {
    const rooms = this.rooms();
    let room: Room;
    try {
      room = rooms.open(name, access.address.eventId, access.address.axis);
    } catch (err) {
      // The store could not be read (a locked or damaged file): the client tries again later.
      this.services.logger.error('board load failed', { board: name }, err);
      return ws.close(SERVER_ERROR);
    }
    rooms.enter(room);
    let conns = this.#conns.get(room);
    if (!conns) this.#conns.set(room, (conns = new Map()));
    conns.set(ws, access);
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

  /**
   * [HR-CARDS] A person's cards on one board: at most CARD_BUDGET.perMinute a minute and CARD_BUDGET.perBoard
   * in all (counted in memory, by the person's id, never stored). Far above anyone writing ideas.
   */
  #mayAddCards(participantId: string, board: string, added: number): boolean {
    const key = `${participantId}|${board}`;
    const now = this.services.clock.now();
    const recent = (this.#cardTimes.get(key) ?? []).filter((t) => now - t < 60_000);
    const total = (this.#cardTotals.get(key) ?? 0) + added;
    if (recent.length + added > CARD_BUDGET.perMinute || total > CARD_BUDGET.perBoard) return false;
    for (let i = 0; i < added; i++) recent.push(now);
    this.#cardTimes.set(key, recent);
    this.#cardTotals.set(key, total);
    return true;
  }

  /** Spends one message of the connection's budget; false once it is spent. */
  #spend(ws: WebSocket, bytes: number): boolean {
    const now = this.services.clock.now();
    const b = this.#budgets.get(ws) ?? { messages: CONNECTION_BUDGET.messages, bytes: CONNECTION_BUDGET.bytes, at: now };
    const seconds = Math.max(0, now - b.at) / 1000;
    b.messages = Math.min(CONNECTION_BUDGET.messages, b.messages + seconds * CONNECTION_BUDGET.messagesPerSecond) - 1;
    b.bytes = Math.min(CONNECTION_BUDGET.bytes, b.bytes + seconds * CONNECTION_BUDGET.bytesPerSecond) - bytes;
    b.at = now;
    this.#budgets.set(ws, b);
    return b.messages >= 0 && b.bytes >= 0;
  }

  #message(room: Room, ws: WebSocket, data: Uint8Array): void {
    const access = this.#conns.get(room)?.get(ws);
    if (!access || this.#closed) return;
    if (!this.#spend(ws, data.byteLength)) {
      this.services.logger.info('board connection over its budget', { role: access.role });
      return ws.close(POLICY);
    }
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
      // A connection's first sync step 2 answers ours: after a server restart it carries the cards of
      // everyone that this screen holds and the server lost, so they are not counted as its own.
      const resync = syncType === syncProtocol.messageYjsSyncStep2 && !this.#synced.has(ws);
      if (syncType === syncProtocol.messageYjsSyncStep2) this.#synced.add(ws);
      this.#receive(room, ws, access, decoding.readVarUint8Array(decoder), resync);
    } catch {
      ws.close(POLICY);
    }
  }

  /** [BD2] Check on a scratch copy, then apply: nothing refused reaches another client or the database. */
  #receive(room: Room, ws: WebSocket, access: BoardAccess, update: Uint8Array, resync = false): void {
    const { repos, logger, clock } = this.services;
    if (update.byteLength > MAX_UPDATE_BYTES) return ws.close(TOO_BIG);
    // [HR-READONLY] Decided before any work on the document: nothing from a read-only connection is
    // applied, and one that sends content the board does not have is closed.
    if (access.role === 'projector' || !mayWrite(this.services, access)) {
      if (!bringsNewContent(room.doc, update)) return;
      logger.info('board update refused', { reason: 'read_only', role: access.role });
      return ws.close(POLICY);
    }
    const checked = checkUpdate(room.doc, room.content, room.axis, update, {
      role: access.role,
      mayWrite: () => true,
      allowNamed: () => repos.events.get(room.eventId)?.info.allowNamedContributions ?? false,
    });
    if (checked.kind === 'same') return;
    if (checked.kind === 'refused') {
      if (!QUIET.has(checked.reason)) logger.info('board update refused', { reason: checked.reason, role: access.role });
      return ws.close(checked.reason === 'update_too_big' || checked.reason === 'too_big' ? TOO_BIG : POLICY);
    }
    if (access.participantId && !resync) {
      const added = [...checked.content.cards.keys()].filter((id) => !room.content.cards.has(id)).length;
      if (added > 0 && !this.#mayAddCards(access.participantId, room.name, added)) {
        logger.info('board update refused', { reason: 'card_budget', role: access.role });
        return ws.close(POLICY);
      }
    }
    if (access.role === 'facilitator') {
      // [BD11] Hidden, shown again or edited: logged before the change is applied, or not applied.
      const now = clock.now();
      try {
        for (const e of moderationEntries(room.content, checked.content))
          repos.boards.logModeration(room.eventId, room.name, e.cardId, e.action, e.reason, now);
      } catch (err) {
        logger.error('board moderation log failed', { board: room.name }, err);
        return ws.close(SERVER_ERROR);
      }
    }
    this.rooms().apply(room, update, ws, checked.content);
  }

  #close(room: Room, ws: WebSocket): void {
    const conns = this.#conns.get(room);
    if (!conns?.delete(ws)) return;
    if (conns.size === 0) this.#conns.delete(room);
    if (!this.#closed) this.rooms().leave(room);
  }

  /** [HR-ROTATE] Closes the connections one staff link opened on an event's boards: that link was replaced. */
  closeStaff(eventId: string, role: 'facilitator' | 'cofacilitator' | 'projector'): void {
    for (const conns of this.#conns.values())
      for (const [ws, access] of conns) if (access.address.eventId === eventId && access.staffRole === role) ws.close(POLICY);
  }

  /** On shutdown: close every connection (the rooms are stored by their owner). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const ws of this.#wss.clients) ws.close(1001);
    this.#wss.close();
  }
}
