import type { Server, Socket } from 'socket.io';
import type { ServerToClient } from '../shared/protocol.ts';
import type { Repos } from './db/repos.ts';
import type { Db } from './db/index.ts';
import type { Logger } from './logger.ts';
import type { Actor } from './permissions.ts';
import type { Presence } from './presence.ts';
import type { Publisher } from './publish.ts';
import type { BoardSync } from './boards/sync.ts';
import type { GuessLimiter } from './guards.ts';
import type { Health } from './health.ts';

export interface Clock {
  now(): number;
}

export interface AppConfig {
  /** Where people reach this server: used in links and QR codes. */
  publicUrl: string;
  /** The built client; absent in tests that use the API only. */
  clientDir?: string;
  /** Reverse proxies in front of the server whose X-Forwarded-For is read (see server/config.ts); 0 when absent. */
  trustProxy?: number;
}

export interface SocketData {
  actor: Actor;
  /** The secret this socket acts with: from its handshake, or given by participant:join. In memory only. */
  token?: string;
  /** Where it connects from (see clientAddress), to count failed guesses. In memory only, never logged. */
  address?: string;
}

/**
 * Between server processes (several processes behind Redis, see server/scaling.ts): work that each
 * process does on the sockets connected to it, asked for by the process that ran the command.
 */
export interface InterServerEvents {
  /** Participants' sockets: their own group and its room (`running`: a breakout is under way). */
  'local:groups': (eventId: string, running: boolean, only: string[] | null) => void;
  /** Phones that already answered an evaluation get their answers back when it starts. */
  'local:evaluation': (eventId: string, stepId: string) => void;
  /** After a purge, participants' sockets are signed out. */
  'local:purged': (eventId: string) => void;
}

export type AppServer = Server<Record<string, never>, ServerToClient, InterServerEvents, SocketData>;
export type AppSocket = Socket<Record<string, never>, ServerToClient, InterServerEvents, SocketData>;

/** What the app is made of, wired in server/app.ts. Features never receive it: commands get a CommandContext. */
export interface Services {
  db: Db;
  repos: Repos;
  clock: Clock;
  logger: Logger;
  config: AppConfig;
  io: AppServer;
  presence: Presence;
  boards: BoardSync;
  publisher: Publisher;
  guesses: GuessLimiter;
  health: Health;
}
