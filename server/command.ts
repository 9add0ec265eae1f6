/**
 * A command is one typed definition next to its feature: `command(name, who, run)`. Its payload schema,
 * its closed list of errors and its receipt policy come from the protocol (shared/protocol.ts and
 * shared/commandPolicy.ts, which the client reads too); the rule (`who`) narrows the caller's type;
 * the handler returns `{ data, effects }` or one of its declared errors, which the compiler checks.
 * The router (server/commands.ts) owns the order: parse, authorize, run in one transaction, commit,
 * then apply the effects, then acknowledge.
 */
import type { z } from 'zod';
import type { ErrorCode, Failure, Result } from '../shared/domain/errors.ts';
import type { Card } from '../shared/schemas/board.ts';
import { commandPolicy, type CommandPolicy } from '../shared/commandPolicy.ts';
import { commands, type CommandName, type CommandPayload, type CommandResults } from '../shared/protocol.ts';
import type { BoardAccess } from './boards/access.ts';
import type { BoardContent } from './boards/validate.ts';
import type { AppConfig } from './context.ts';
import type { Repos } from './db/repos.ts';
import type { BoardChange, Effect } from './effects.ts';
import type { Logger } from './logger.ts';
import type { Actor, Rule } from './permissions.ts';

/** A change to a board: cards written or replaced, cards removed. */
export type CardChange<T> = { data: T; cards: Card[]; removed?: string[] };

/** Boards as commands see them: read, and plan a change that the router stores in the transaction and applies after. */
export interface BoardCommands {
  /** The checked content of a board; writes nothing. */
  read(name: string, access: BoardAccess): BoardContent;
  /** Computes the Yjs update a change makes, without applying it anywhere. */
  plan<T, E extends ErrorCode = never>(
    name: string,
    access: BoardAccess,
    fn: (content: BoardContent) => Result<CardChange<T>, E>,
  ): Result<{ data: T; change: BoardChange | null }, E>;
}

/** What a handler may use: the store, the time, the caller. No socket, no server, no other feature's state. */
export interface CommandContext<A extends Actor = Actor> {
  actor: A;
  now: number;
  /** The token the socket connected with (participants: their device token), never stored. */
  token: string | null;
  repos: Repos;
  boards: BoardCommands;
  config: AppConfig;
  logger: Logger;
  /** How many of an event's participants have a screen connected now (held in memory, not stored). */
  connected(eventId: string): number;
}

/** Any command may answer these besides its own (the router answers invalid_payload, rate_limited and internal). */
export type CommonError = 'forbidden';
export type DeclaredError<N extends CommandName> = (typeof commands)[N]['errors'][number] | CommonError;

export type Done<T> = { ok: true; data: T; effects: readonly Effect[] };
export type Outcome<N extends CommandName> = Done<CommandResults[N]> | Failure<DeclaredError<N>>;

/** The answer and what changed. */
export function done<T>(data: T, ...effects: (Effect | null | false | undefined)[]): Done<T> {
  return { ok: true, data, effects: effects.filter((e): e is Effect => Boolean(e)) };
}

export interface CommandDefinition<N extends CommandName = CommandName> {
  readonly name: N;
  readonly schema: z.ZodType;
  readonly errors: readonly string[];
  readonly policy: CommandPolicy;
  readonly who: Rule;
  /** Runs inside the command's transaction; returns, never emits. */
  run(ctx: CommandContext, input: CommandPayload<N>): Outcome<N>;
}

export function command<N extends CommandName, A extends Actor>(
  name: N,
  who: Rule<A>,
  run: (ctx: CommandContext<A>, input: CommandPayload<N>) => Outcome<N>,
): CommandDefinition<N> {
  return {
    name,
    schema: commands[name].payload,
    errors: commands[name].errors,
    policy: commandPolicy[name],
    who,
    run(ctx, input) {
      const { actor } = ctx;
      // The router has checked already; a definition run any other way denies by default.
      if (!who.admits(actor)) return { ok: false, code: 'forbidden' };
      return run({ ...ctx, actor }, input);
    },
  };
}
