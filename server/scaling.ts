import type { AppServer, InterServerEvents } from './context.ts';
import type { Logger } from './logger.ts';

/** Servers whose broadcasts go through Redis to the other processes (see docs/SCALING.md). */
const clustered = new WeakSet<AppServer>();

/**
 * Several processes: Socket.IO's Redis adapter, so that a broadcast to a room reaches the sockets
 * connected to every process. Call it before the server listens. Resolves once both connections
 * (one to publish, one to subscribe) are up; the closer ends them, after the Socket.IO server closed.
 */
export async function attachRedis(io: AppServer, url: string, logger: Logger): Promise<() => Promise<void>> {
  // Loaded only here: a single process never needs them.
  const [{ createClient }, { createAdapter }] = await Promise.all([import('redis'), import('@socket.io/redis-adapter')]);
  let up = false;
  // At start, an unreachable Redis stops the process (its supervisor will start it again); once up,
  // a lost connection is retried, backing off to every 3 seconds.
  const socket = { reconnectStrategy: (retries: number, cause: Error) => (up ? Math.min(100 * 2 ** retries, 3000) : cause) };
  const clients = { pub: createClient({ url, socket }), sub: createClient({ url, socket }) };
  for (const [role, client] of Object.entries(clients)) {
    // Without a listener, a lost connection would end the process.
    client.on('error', (err: unknown) => logger.error('redis error', { client: role }, err));
  }
  const connected = await Promise.allSettled([clients.pub.connect(), clients.sub.connect()]);
  const failed = connected.find((c) => c.status === 'rejected');
  if (failed) {
    for (const client of Object.values(clients)) if (client.isOpen) client.destroy();
    const reason: unknown = failed.reason;
    throw new Error(`Redis (REDIS_URL) cannot be reached: ${reason instanceof Error ? reason.message : 'unknown error'}`);
  }
  up = true;
  io.adapter(createAdapter(clients.pub, clients.sub));
  clustered.add(io);
  // The address is not logged: it may hold a password.
  logger.info('redis adapter attached');
  return async () => {
    clustered.delete(io);
    await Promise.allSettled([clients.pub.close(), clients.sub.close()]);
  };
}

/**
 * Some work is done on the sockets themselves rather than by a broadcast to a room (moving phones
 * into their group's room, a phone's own answers, signing phones out after a purge): each process
 * can only do it for the sockets connected to it. The process that ran the command does its own,
 * then asks the others with this; alone, there is nobody to ask.
 */
export function toOtherProcesses<E extends keyof InterServerEvents>(io: AppServer, event: E, ...args: Parameters<InterServerEvents[E]>): void {
  if (!clustered.has(io)) return;
  // serverSideEmit's overloads cannot follow a generic event name; InterServerEvents types both ends.
  (io.serverSideEmit as (ev: E, ...a: Parameters<InterServerEvents[E]>) => boolean).call(io, event, ...args);
}

/** What this process does when another one asks (see toOtherProcesses): a failure is logged, never thrown into Redis's handler. */
export function onOtherProcesses(io: AppServer, logger: Logger, handlers: InterServerEvents): void {
  for (const [event, handler] of Object.entries(handlers) as [keyof InterServerEvents, (...args: unknown[]) => void][]) {
    const safe = (...args: unknown[]) => {
      try {
        handler(...args);
      } catch (err) {
        logger.error('work for another process failed', { event }, err);
      }
    };
    (io.on as (ev: string, listener: (...args: unknown[]) => void) => AppServer).call(io, event, safe);
  }
}
