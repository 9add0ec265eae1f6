/**
 * The one socket. It owns the connection (who this screen is, reconnection after sleep, network
 * loss or a server restart), maps server events onto the state classes, and sends commands:
 * commands about an event go through a queue kept in localStorage, so that what someone did while
 * offline is sent when the connection comes back, with the same command id (cid) the server uses
 * to apply it exactly once.
 *
 * Components never import this module: they call methods of the state classes, which send their
 * commands through `send` below and apply the answers. Those classes and this module import each
 * other; neither uses the other while the modules load, only when events and commands happen.
 */
import { io, type Socket } from 'socket.io-client';
import { RECONNECT } from '../shared/schemas/limits.ts';
import type { ErrorCode } from '../shared/domain/errors.ts';
import type { Ack, ClientToServer, CommandInput, CommandName, CommandResults, HandshakeAuth, ServerToClient } from '../shared/protocol.ts';
import { commandPolicy } from '../shared/commandPolicy.ts';
import { connection } from './state/connection.svelte.ts';
import type { Outcome } from './state/outcome.ts';
import { isRecord, randomId, readJson, writeJson } from './storage.ts';

export type AppSocket = Socket<ServerToClient, ClientToServer>;

const ACK_TIMEOUT_MS = 8000;
const RECONNECTING_BANNER_DELAY_MS = 1000;
const QUEUE_KEY = 'concerto.queue';
const QUEUE_MAX_AGE_MS = 24 * 60 * 60 * 1000;
const RATE_LIMIT_PAUSE_MS = 2000;

interface QueuedCommand {
  cid: string;
  name: CommandName;
  payload: Record<string, unknown>;
  /** Who sent it: it is only ever sent again on a connection with the same token. */
  token: string;
  at: number;
}

export function newCid(): string {
  return randomId(22);
}

/** How state classes hear the socket: server events mapped onto them, and a reset when the identity changes. */
export interface Wiring {
  listen(socket: AppSocket): void;
  clear(): void;
}
const wirings: Wiring[] = [];

/** Registered once at start (client/state/wiring.ts), before any connection. */
export function wire(wiring: Wiring): void {
  wirings.push(wiring);
}

let socket: AppSocket | null = null;
let auth: HandshakeAuth = {};
let bannerTimer: ReturnType<typeof setTimeout> | null = null;
let restartTimer: ReturnType<typeof setTimeout> | null = null;
let queue: QueuedCommand[] = loadQueue();
const waiting = new Map<string, (outcome: Outcome<unknown>) => void>();
let pumping = false;

function isQueued(value: unknown): value is QueuedCommand {
  return (
    isRecord(value) &&
    typeof value.cid === 'string' &&
    typeof value.name === 'string' &&
    typeof value.token === 'string' &&
    typeof value.at === 'number' &&
    isRecord(value.payload)
  );
}

function loadQueue(): QueuedCommand[] {
  const saved = readJson(QUEUE_KEY);
  const now = Date.now();
  return Array.isArray(saved) ? saved.filter(isQueued).filter((c) => now - c.at < QUEUE_MAX_AGE_MS) : [];
}

function saveQueue(): void {
  writeJson(QUEUE_KEY, queue);
  connection.setPending(queue.filter((c) => c.token === (auth.token ?? '')).length);
}

function sameAuth(a: HandshakeAuth, b: HandshakeAuth): boolean {
  return (a.token ?? '') === (b.token ?? '') && (a.deviceTokens ?? []).join(' ') === (b.deviceTokens ?? []).join(' ');
}

function scheduleBanner(): void {
  if (bannerTimer) return;
  bannerTimer = setTimeout(() => {
    bannerTimer = null;
    connection.setShowReconnecting(true);
  }, RECONNECTING_BANNER_DELAY_MS);
}

function clearBanner(): void {
  if (bannerTimer) clearTimeout(bannerTimer);
  bannerTimer = null;
  connection.setShowReconnecting(false);
}

function createSocket(): AppSocket {
  // Websockets first; where a network refuses them (many company, school and hotel networks), long-polling.
  const s: AppSocket = io({ auth, transports: ['websocket', 'polling'], tryAllTransports: true, autoConnect: false, ...RECONNECT });

  s.on('connect', () => {
    clearBanner();
    connection.setStatus('online');
    void pump();
  });
  s.on('disconnect', (reason) => {
    // Our own disconnect, to connect as someone else: connect() has already said what comes next.
    if (reason === 'io client disconnect') return;
    connection.setStatus('offline');
    scheduleBanner();
    // The server closed the socket itself (a restart): socket.io leaves that to us.
    if (reason === 'io server disconnect') restartSoon();
  });
  s.on('connect_error', (err) => {
    if (err.message === 'forbidden') {
      // The token is unknown: retrying will not help; the screen says the link is no longer valid.
      clearBanner();
      connection.setStatus('refused');
      dropQueued(auth.token ?? '', 'forbidden');
      return;
    }
    connection.setStatus('offline');
    scheduleBanner();
    if (!s.active) restartSoon();
  });

  // The state classes hear the server's events (client/state/wiring.ts): this module imports none of them.
  for (const w of wirings) w.listen(s);

  if (typeof window !== 'undefined') {
    // Phones drop sockets when asleep or locked; come back as soon as the page is used again.
    window.addEventListener('online', wake);
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') wake();
    });
  }
  return s;
}

function restartSoon(): void {
  if (restartTimer) return;
  restartTimer = setTimeout(
    () => {
      restartTimer = null;
      if (socket && !socket.connected && connection.status !== 'refused') socket.connect();
    },
    1000 + Math.random() * 2000,
  );
}

function wake(): void {
  if (!socket || socket.connected || connection.status === 'refused' || connection.status === 'idle') return;
  // Skip what is left of socket.io's back-off (up to 5 s): the network or the screen is back now.
  socket.disconnect();
  socket.connect();
}

/**
 * Connects as someone: a guest (no token), a participant (their token and the others held by this
 * device), or a facilitator, co-facilitator or projector. Changing who clears the event state.
 */
export function connect(next: HandshakeAuth): void {
  if (socket && sameAuth(auth, next)) {
    if (!socket.connected && connection.status !== 'refused') {
      connection.setStatus('connecting');
      socket.connect();
    }
    return;
  }
  const changedToken = (auth.token ?? '') !== (next.token ?? '');
  auth = { ...next };
  connection.setToken(auth.token ?? null);
  if (changedToken) {
    for (const w of wirings) w.clear();
  }
  saveQueue();
  if (!socket) socket = createSocket();
  if (socket.connected || socket.active) socket.disconnect();
  socket.auth = auth;
  connection.setStatus('connecting');
  scheduleBanner();
  socket.connect();
}

/** The token this screen acts with (for the boards' own connections), or null as a guest. */
export function currentToken(): string | null {
  return auth.token ?? null;
}

/** For guest commands (look up a code, join, create): any open connection will do. */
export function ensureConnected(): void {
  if (!socket || connection.status === 'idle' || connection.status === 'refused') connect({});
}

/** Leaves the event screens (back to the home page): nothing of that identity stays. */
export function disconnect(): void {
  if (!socket) return;
  socket.disconnect();
  clearBanner();
  connection.setStatus('idle');
  auth = {};
  connection.setToken(null);
  for (const w of wirings) w.clear();
}

function emit(name: CommandName, payload: unknown): Promise<Ack<unknown>> {
  if (!socket) return Promise.reject(new Error('not connected'));
  // emitWithAck's overloads cannot follow a command name chosen at run time; shared/protocol.ts
  // types both ends, and send() below restores the command's own result type.
  const timed = socket.timeout(ACK_TIMEOUT_MS) as unknown as {
    emitWithAck(n: CommandName, p: unknown): Promise<Ack<unknown>>;
  };
  return timed.emitWithAck(name, payload);
}

function waitForConnection(ms: number): Promise<boolean> {
  if (socket?.connected) return Promise.resolve(true);
  return new Promise((resolve) => {
    const s = socket;
    if (!s) return resolve(false);
    const done = (ok: boolean) => {
      clearTimeout(timer);
      s.off('connect', onConnect);
      resolve(ok);
    };
    const onConnect = () => done(true);
    const timer = setTimeout(() => done(false), ms);
    s.on('connect', onConnect);
  });
}

async function sendDirect(name: CommandName, payload: Record<string, unknown>): Promise<Outcome<unknown>> {
  if (!(await waitForConnection(ACK_TIMEOUT_MS))) return { ok: false, code: 'offline' };
  // Reads are safe to ask twice; creating an event or joining is not (no receipt on the server).
  const attempts = name === 'event:create' || name === 'participant:join' ? 1 : 2;
  for (let i = 0; i < attempts; i++) {
    try {
      return await emit(name, payload);
    } catch {
      if (!socket?.connected) return { ok: false, code: 'offline' };
    }
  }
  return { ok: false, code: 'timeout' };
}

function dropQueued(token: string, code: ErrorCode): void {
  const dropped = queue.filter((c) => c.token === token);
  if (!dropped.length) return;
  queue = queue.filter((c) => c.token !== token);
  saveQueue();
  for (const c of dropped) settle(c.cid, { ok: false, code });
}

function settle(cid: string, outcome: Outcome<unknown>): void {
  const resolve = waiting.get(cid);
  waiting.delete(cid);
  if (resolve) resolve(outcome);
  else if (!outcome.ok && outcome.code !== 'offline' && outcome.code !== 'timeout') connection.setQueuedError(outcome.code);
}

/** Sends queued commands of the connected identity, oldest first, one at a time. */
async function pump(): Promise<void> {
  if (pumping) return;
  pumping = true;
  try {
    while (socket?.connected) {
      const token = auth.token ?? '';
      const head = queue.find((c) => c.token === token);
      if (!head) break;
      let ack: Ack<unknown>;
      try {
        ack = await emit(head.name, head.payload);
      } catch {
        // No answer in time: try again with the same cid (the server applies it once), or wait
        // for the reconnection if the socket went away meanwhile.
        continue;
      }
      if (!ack.ok && ack.code === 'rate_limited') {
        // A long queue replayed at once can exceed the server's rate: slow down, same cid.
        await new Promise((resolve) => setTimeout(resolve, RATE_LIMIT_PAUSE_MS));
        continue;
      }
      queue = queue.filter((c) => c.cid !== head.cid);
      saveQueue();
      settle(head.cid, ack);
    }
  } finally {
    pumping = false;
  }
}

/**
 * Sends a command and resolves with its acknowledgement. Commands about an event are queued while
 * offline and resolve once the server has answered; the others answer `offline` when there is no
 * connection within a few seconds.
 */
export async function send<N extends CommandName>(name: N, payload: CommandInput<N>): Promise<Outcome<CommandResults[N]>> {
  const body: Record<string, unknown> = { ...payload };
  if (commandPolicy[name].cid && typeof body.cid !== 'string') body.cid = newCid();
  let outcome: Outcome<unknown>;
  // Without a receipt a replay could create a second event or person: sent only while connected, never queued.
  if (!commandPolicy[name].receipt) {
    outcome = await sendDirect(name, body);
  } else {
    const entry: QueuedCommand = { cid: String(body.cid), name, payload: body, token: auth.token ?? '', at: Date.now() };
    outcome = await new Promise<Outcome<unknown>>((resolve) => {
      waiting.set(entry.cid, resolve);
      queue = [...queue, entry];
      saveQueue();
      void pump();
    });
  }
  // The server answers each command with its own result type (CommandResults in shared/protocol.ts).
  return outcome as Outcome<CommandResults[N]>;
}
