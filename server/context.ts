import type { Server, Socket } from 'socket.io';
import type { Result } from '../shared/domain/errors.ts';
import type { CommandName, CommandPayload, CommandResults, ServerToClient } from '../shared/protocol.ts';
import type { Repos } from './db/repos.ts';
import type { Db } from './db/index.ts';
import type { Logger } from './logger.ts';
import type { Actor } from './permissions.ts';
import type { Presence } from './features/presence.ts';
import type { BoardSync } from './boards/sync.ts';
import type { Coalescer } from './coalescer.ts';
import type { GuessLimiter } from './guards.ts';

export interface Clock {
  now(): number;
}

export interface AppConfig {
  /** Where people reach this server: used in links and QR codes. */
  publicUrl: string;
  /** The built client; absent in tests that use the API only. */
  clientDir?: string;
}

export interface SocketData {
  actor: Actor;
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

export interface Services {
  db: Db;
  repos: Repos;
  clock: Clock;
  logger: Logger;
  config: AppConfig;
  io: AppServer;
  presence: Presence;
  boards: BoardSync;
  /** Vote tallies, coalesced per vote. */
  tallies: Coalescer;
  /** Question updates after supports, coalesced per question. */
  questionUpdates: Coalescer;
  guesses: GuessLimiter;
}

export interface CommandContext {
  actor: Actor;
  socket: AppSocket;
  services: Services;
  now: number;
  /** The token the socket connected with (participants: their device token), never stored. */
  token: string | null;
  /** Runs after the transaction commits: broadcasts go here, so nothing is announced that was not saved. */
  after(effect: () => void): void;
}

export type Handler<N extends CommandName> = (ctx: CommandContext, payload: CommandPayload<N>) => Result<CommandResults[N]>;
export type Handlers = { [N in CommandName]: Handler<N> };

export const rooms = {
  event: (eventId: string) => `e:${eventId}`,
  staff: (eventId: string) => `e:${eventId}:staff`,
  projector: (eventId: string) => `e:${eventId}:projector`,
  participant: (participantId: string) => `p:${participantId}`,
  group: (groupId: string) => `g:${groupId}`,
  /** Sockets showing an event's public FAQ page. */
  faq: (eventId: string) => `faq:${eventId}`,
};
