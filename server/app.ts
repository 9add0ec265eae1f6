import { schedulePurges } from './features/retention.ts';
import { clientAddress, GuessLimiter, originAllowed } from './guards.ts';
import { MAX_COMMAND_BYTES } from '../shared/schemas/limits.ts';
import { createServer, type RequestListener, type Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { ClientToServer } from '../shared/protocol.ts';
import type { AppConfig, AppServer, Clock, Services } from './context.ts';
import { createCommandRouter } from './commands.ts';
import type { Db } from './db/index.ts';
import { createRepos } from './db/repos.ts';
import { Presence } from './presence.ts';
import { createPublisher, joinGroupRoom } from './publish.ts';
import { buildSnapshot } from './views/snapshot.ts';
import { BoardSync } from './boards/sync.ts';
import { createHttpApp } from './http.ts';
import type { Logger } from './logger.ts';
import { onOtherProcesses } from './scaling.ts';
import { attach, detach, resolveActor } from './sessions.ts';
import { roleOf } from './permissions.ts';
import { Health } from './health.ts';

export interface AppDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  config: AppConfig;
}

export interface App {
  httpServer: HttpServer;
  io: AppServer;
  services: Services;
  boards: BoardSync;
  /**
   * Starts the server's own timers: the daily purge check (Loi 25) and receipt pruning. The server
   * calls it; command-line tools that only read or export never do, so they never purge.
   */
  startTimers(): void;
  /** Stops accepting connections, closes sockets; the database is the caller's to close. */
  close(): Promise<void>;
}

export function createApp(deps: AppDeps): App {
  const repos = createRepos(deps.db);
  // The pages and the API are registered before Socket.IO attaches: engine.io then wraps this listener
  // so that it never sees /socket.io/ requests. Added after, both would answer a long-polling request,
  // and the second answer ends the process (ERR_HTTP_HEADERS_SENT).
  let pages: RequestListener | null = null;
  const httpServer = createServer((req, res) => {
    if (pages) pages(req, res);
    else res.writeHead(503).end();
  });
  // Socket.IO's listen-event map is the protocol's command map (see shared/protocol.ts).
  const io: AppServer = new Server<ClientToServer>(httpServer, {
    serveClient: false,
    // Just above the largest legitimate command (an event created with a long agenda); default 1 MB.
    maxHttpBufferSize: MAX_COMMAND_BYTES + 16 * 1024,
    pingInterval: 10_000,
    pingTimeout: 10_000,
    connectionStateRecovery: undefined,
    // Board documents take /yjs/ on the same port; other paths are closed below.
    destroyUpgrade: false,
    // Socket.IO's CORS setting does not cover websockets: the Origin is checked here for both.
    allowRequest: (req, callback) => callback(null, originAllowed(req.headers.origin, deps.config.publicUrl)),
  }) as unknown as AppServer;
  const boards = new BoardSync({ repos, logger: deps.logger, clock: deps.clock });
  const presence = new Presence((eventId) => publisher.presence(eventId));
  const publisher = createPublisher({
    ...deps,
    io,
    repos,
    presence,
    applyBoardChange: (change) => boards.applyCommitted(change),
    closeBoardConnections: (eventId, role) => boards.closeStaff(eventId, role),
  });
  const services: Services = { ...deps, repos, io, boards, presence, publisher, guesses: new GuessLimiter(), health: new Health() };
  pages = createHttpApp(services);
  httpServer.on('upgrade', (req, socket, head) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (path.startsWith('/yjs/')) {
      if (!originAllowed(req.headers.origin, deps.config.publicUrl)) {
        socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      const address = clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], deps.config.trustProxy);
      try {
        if (boards.handleUpgrade(req, socket, head)) return;
      } catch (err) {
        // [HR-DB] The store could not be read (a locked or full disk): this connection fails, the server stays up.
        deps.logger.error('board upgrade failed', {}, err);
        socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      // One answer for a bad token, another event and an unknown board: nothing to enumerate. Slowed past the free failures.
      void services.guesses.failed('secret', address).then((verdict) => {
        const status = verdict === 'rate_limited' ? '429 Too Many Requests' : '404 Not Found';
        socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      });
    } else if (!path.startsWith('/socket.io/')) socket.destroy();
  });

  io.use((socket, next) => {
    const auth = (socket.handshake.auth ?? {}) as Record<string, unknown>;
    const address = clientAddress(socket.handshake.address, socket.handshake.headers['x-forwarded-for'], deps.config.trustProxy);
    socket.data.address = address;
    const check = async () => {
      // A valid secret is never refused nor slowed; only failures are counted.
      let actor: ReturnType<typeof resolveActor>;
      try {
        actor = resolveActor(repos, auth.token, auth.deviceTokens);
      } catch (err) {
        // [HR-DB] The database cannot be read: the client retries later; the server stays up.
        deps.logger.error('handshake failed', {}, err);
        return next(new Error('internal'));
      }
      // The message is a code the client translates; it reveals nothing about which part failed.
      if (!actor) {
        const verdict = await services.guesses.failed('secret', address);
        return next(new Error(verdict === 'rate_limited' ? 'rate_limited' : 'forbidden'));
      }
      socket.data.actor = actor;
      if (actor.kind !== 'guest' && typeof auth.token === 'string') socket.data.token = auth.token;
      next();
    };
    void check();
  });

  // With several processes, the work another process asks for on the sockets connected here.
  onOtherProcesses(io, deps.logger, {
    'local:groups': (eventId, _running, only) => publisher.local.groups(eventId, only),
    'local:evaluation': (eventId, stepId) => publisher.local.evaluation(eventId, stepId),
    'local:purged': (eventId) => publisher.local.purged(eventId),
  });

  const router = createCommandRouter(services);
  io.on('connection', (socket) => {
    const actor = socket.data.actor;
    attach(presence, socket, actor);
    router.bind(socket);
    if (actor.kind !== 'guest') {
      try {
        const snapshot = buildSnapshot(services, actor, socket.data.token ?? null, presence.connected(actor.eventId), deps.clock.now());
        if (snapshot) socket.emit('state:snapshot', snapshot);
        // Group-scoped events reach only the group's members.
        if (snapshot?.group?.phase === 'groups') joinGroupRoom(socket, snapshot.group.id);
      } catch (err) {
        // [HR-DB] The screen asks again with state:get once the database answers; the server stays up.
        deps.logger.error('snapshot failed', { role: roleOf(actor) }, err);
      }
    }
    socket.on('disconnect', () => detach(presence, socket));
  });

  let pruneTimer: NodeJS.Timeout | null = null;
  let stopPurges = () => {};

  return {
    httpServer,
    io,
    services,
    boards,
    startTimers() {
      if (pruneTimer) return;
      pruneTimer = setInterval(
        () => {
          try {
            repos.receipts.prune(deps.clock.now());
          } catch (err) {
            deps.logger.error('receipt pruning failed', {}, err);
          }
        },
        60 * 60 * 1000,
      );
      pruneTimer.unref();
      // Purges whose day has come (Loi 25): at start, then every hour.
      stopPurges = schedulePurges(services);
    },
    async close() {
      if (pruneTimer) clearInterval(pruneTimer);
      stopPurges();
      boards.close();
      presence.stop();
      publisher.stop();
      await io.close();
      if (httpServer.listening) await new Promise<void>((r) => httpServer.close(() => r()));
    },
  };
}
