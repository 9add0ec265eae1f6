import type { AddressInfo } from 'node:net';
import { io as connect, type Socket } from 'socket.io-client';
import { createApp, type App } from '../../server/app.ts';
import { openDatabase, type Db } from '../../server/db/index.ts';
import { createLogger, type Logger } from '../../server/logger.ts';
import type { Ack, ClientToServer, CommandInput, CommandName, CommandResults, ServerEvents, ServerToClient } from '../../shared/protocol.ts';

export type TestSocket = Socket<ServerToClient, ClientToServer>;

export interface Harness {
  app: App;
  db: Db;
  url: string;
  logs: string[];
  clock: { now(): number; advance(ms: number): void };
  /** A guest socket (no token), connected. */
  client(auth?: { token?: string; deviceTokens?: string[] }): Promise<TestSocket>;
  /** A socket with a token, once the server has pushed its snapshot. */
  member(token: string, deviceTokens?: string[]): Promise<{ socket: TestSocket; snapshot: ServerEvents['state:snapshot'] }>;
  close(): Promise<void>;
}

/** The real app on port 0 with a real SQLite file (or :memory:), real sockets, and a clock tests can move. */
export async function startHarness(opts: { dbFile?: string; publicUrl?: string; clientDir?: string; trustProxy?: number } = {}): Promise<Harness> {
  const db = openDatabase(opts.dbFile ?? ':memory:');
  const logs: string[] = [];
  const logger: Logger = createLogger({ level: 'debug', write: (line) => logs.push(line) });
  let offset = 0;
  const clock = { now: () => Date.now() + offset, advance: (ms: number) => void (offset += ms) };
  const app = createApp({
    db,
    clock,
    logger,
    config: {
      publicUrl: opts.publicUrl ?? 'http://concerto.test',
      ...(opts.clientDir ? { clientDir: opts.clientDir } : {}),
      ...(opts.trustProxy ? { trustProxy: opts.trustProxy } : {}),
    },
  });
  await new Promise<void>((r) => app.httpServer.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(app.httpServer.address() as AddressInfo).port}`;
  const sockets: TestSocket[] = [];
  return {
    app,
    db,
    url,
    logs,
    clock,
    async client(auth = {}) {
      const socket: TestSocket = connect(url, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
      sockets.push(socket);
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', (err) => reject(err));
      });
      return socket;
    },
    async member(token, deviceTokens) {
      const socket: TestSocket = connect(url, {
        auth: { token, deviceTokens },
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
        autoConnect: false,
      });
      sockets.push(socket);
      const snapshot = new Promise<ServerEvents['state:snapshot']>((resolve, reject) => {
        socket.once('state:snapshot', resolve);
        socket.once('connect_error', reject);
      });
      socket.connect();
      return { socket, snapshot: await snapshot };
    },
    async close() {
      for (const s of sockets) s.disconnect();
      await app.close();
      db.close();
    },
  };
}

export function send<N extends CommandName>(socket: TestSocket, name: N, payload: CommandInput<N>): Promise<Ack<CommandResults[N]>> {
  // emitWithAck's overloads cannot follow a generic command name; the protocol types both ends.
  const emit = socket.timeout(5000).emitWithAck as unknown as (n: N, p: unknown) => Promise<Ack<CommandResults[N]>>;
  return emit.call(socket.timeout(5000), name, payload);
}

/** The data of a command that must succeed. */
export async function must<N extends CommandName>(socket: TestSocket, name: N, payload: CommandInput<N>): Promise<CommandResults[N]> {
  const ack = await send(socket, name, payload);
  if (!ack.ok) throw new Error(`${name} failed: ${ack.code}`);
  return ack.data;
}

export function next<E extends keyof ServerEvents>(
  socket: TestSocket,
  event: E,
  where: (payload: ServerEvents[E]) => boolean = () => true,
  timeoutMs = 3000,
): Promise<ServerEvents[E]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, listener as never);
      reject(new Error(`no ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (payload: ServerEvents[E]) => {
      if (!where(payload)) return;
      clearTimeout(timer);
      socket.off(event, listener as never);
      resolve(payload);
    };
    socket.on(event, listener as never);
  });
}

let barriers = 0;

/**
 * A positive barrier, for tests that show something did NOT happen: a facilitator shows a message on
 * every screen of the event, after the action under test. Each socket receives its events in the
 * order the server emitted them, so once every socket in `sockets` has this message, anything the
 * server emitted to them before it has arrived too.
 */
export async function barrier(facilitator: TestSocket, eventId: string, sockets: TestSocket[]): Promise<void> {
  const text = `Barrière ${++barriers}`;
  const heard = sockets.map((s) => next(s, 'message:sent', (m) => m.message?.text === text, 10_000));
  await must(facilitator, 'message:send', { eventId, text });
  await Promise.all(heard);
}

/**
 * Every row of every table of the database, as one string: compared before and after something
 * that must change nothing. The tables are read from the schema, so a new one is never left out.
 */
export function databaseFingerprint(db: Harness['db']): string {
  const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all();
  return JSON.stringify(tables.map(({ name }) => [name, db.prepare(`SELECT * FROM "${name}" ORDER BY 1, 2`).all()]));
}
