import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { ErrorCode } from '../shared/domain/errors.ts';
import { normalizeJoinCode } from '../shared/domain/joinCode.ts';
import { COMMAND_NAMES, type Ack, type CommandName } from '../shared/protocol.ts';
import type { CommandContext } from './command.ts';
import type { AppSocket, Services } from './context.ts';
import type { Effect } from './effects.ts';
import { definitions } from './registry.ts';
import { roleOf, scopeAllows, type Actor } from './permissions.ts';
import { pseudonym } from './security.ts';

/** Limits per participant (not per socket or address: a whole venue shares one address), in memory only. */
const PER_PARTICIPANT: Partial<Record<CommandName, { points: number; duration: number }>> = {
  'question:ask': { points: 5, duration: 60 },
};

/**
 * Who a receipt belongs to: a keyed hash of the sender's own secret (never stored), the command and
 * the command id. The same sender retrying finds it; with the database alone nobody can tell whose
 * it is, and two receipts share nothing.
 */
function receiptOwner(name: CommandName, actor: Actor, token: string | null, cid: string): string {
  const sender = token ?? (actor.kind === 'staff' ? `${actor.eventId}:${actor.role}` : actor.kind);
  return pseudonym(sender, `receipt:${name}:${cid}`);
}

/** The secret the socket connected with (participants: their device token); null for a guest. */
function socketToken(socket: AppSocket): string | null {
  return socket.data.actor.kind !== 'guest' ? (socket.data.token ?? null) : null;
}

class Rollback extends Error {
  constructor(readonly code: ErrorCode) {
    super(code);
  }
}

export function createCommandRouter(services: Services) {
  // In memory only, per participant (not per address: a whole venue shares one) or per socket for
  // others; nothing about who sent what is kept anywhere else.
  const perSocket = new RateLimiterMemory({ points: 60, duration: 10 });
  // [HR-FLOOD] What a guest can create: events (per socket, per address and overall) and people (per
  // socket, and per event however many sockets ask). Far above a real room: 150 people joining in the
  // first minutes, a shared tablet adding its table, an organizer trying things out.
  const creations = new RateLimiterMemory({ points: 10, duration: 60 });
  const creationsPerAddress = new RateLimiterMemory({ points: 30, duration: 600 });
  const creationsOverall = new RateLimiterMemory({ points: 300, duration: 3600 });
  const joinsPerSocket = new RateLimiterMemory({ points: 12, duration: 60 });
  // 100 a second: a room of thousands arriving at the door, never one script filling an event.
  const joinsPerEvent = new RateLimiterMemory({ points: 6000, duration: 60 });
  const participantLimits = new Map(Object.entries(PER_PARTICIPANT).map(([name, opts]) => [name as CommandName, new RateLimiterMemory(opts)]));

  /** [RL] Who a budget belongs to: a participant (all their sockets together), a staff role, or a guest's socket. */
  function who(socket: AppSocket): string {
    const actor = socket.data.actor;
    if (actor.kind === 'participant') return `p:${actor.participantId}`;
    if (actor.kind === 'staff') return `s:${actor.eventId}:${actor.role}:${socket.id}`;
    return `g:${socket.id}`;
  }

  async function allowed(socket: AppSocket): Promise<boolean> {
    return perSocket.consume(who(socket)).then(
      () => true,
      () => false,
    );
  }

  /** Only for well-formed commands: a malformed one is refused before it costs anyone anything. */
  async function mayCreate(socket: AppSocket, name: CommandName, payload: unknown): Promise<boolean> {
    try {
      if (name === 'event:create') {
        await creations.consume(socket.id);
        await creationsPerAddress.consume(socket.data.address ?? socket.handshake.address);
        await creationsOverall.consume('all');
      }
      if (name === 'participant:join') {
        await joinsPerSocket.consume(socket.id);
        await joinsPerEvent.consume(normalizeJoinCode((payload as { code: string }).code));
      }
      return true;
    } catch {
      return false;
    }
  }

  /**
   * The order, for every command: authorize the role, parse, check the event, find a receipt; then
   * run the handler and store its board changes and its receipt in one transaction; only once it has
   * committed, apply the effects (broadcasts, live board documents); then acknowledge.
   */
  async function run(socket: AppSocket, name: CommandName, raw: unknown): Promise<Ack<unknown>> {
    const actor = socket.data.actor;
    const definition = definitions[name];
    // AUTH: is the role allowed at all?
    if (!definition.who.admits(actor)) return { ok: false, code: 'forbidden' };
    if (!(await allowed(socket))) return { ok: false, code: 'rate_limited' };
    // [SEC-GUESS] Join codes are short: wrong ones are counted per address, in memory, and slowed.
    const guessing = name === 'event:lookup' || name === 'participant:join';
    // VALIDATION: the schema strips unknown keys and bounds every size.
    const parsed = definition.schema.safeParse(raw);
    if (!parsed.success) return { ok: false, code: 'invalid_payload' };
    const payload = parsed.data as { eventId?: string; cid?: string };
    if (!scopeAllows(definition.who, actor, payload.eventId)) return { ok: false, code: 'forbidden' };
    if (!(await mayCreate(socket, name, parsed.data))) return { ok: false, code: 'rate_limited' };

    const { db, repos, clock, logger } = services;
    const receiptKey =
      payload.eventId && payload.cid && definition.policy.receipt
        ? ([payload.eventId, payload.cid, receiptOwner(name, actor, socketToken(socket), payload.cid)] as const)
        : null;
    if (receiptKey) {
      const previous = repos.receipts.get(...receiptKey);
      // [HR-RECEIPT] A command id is the sender's own: reused by anyone else, or for another command, it is refused.
      if (previous.kind === 'taken') return { ok: false, code: 'cid_taken' };
      if (previous.kind === 'answered') return { ok: true, data: previous.result };
    }

    // Per participant, and only for new, well-formed commands: a malformed one or a retry costs nothing.
    const limiter = participantLimits.get(name);
    if (
      limiter &&
      actor.kind === 'participant' &&
      !(await limiter.consume(actor.participantId).then(
        () => true,
        () => false,
      ))
    ) {
      return { ok: false, code: 'rate_limited' };
    }

    const ctx: CommandContext = {
      actor,
      now: clock.now(),
      token: socketToken(socket),
      repos,
      boards: services.boards,
      config: services.config,
      logger,
      connected: (eventId) => services.presence.connected(eventId),
    };
    let committed: { data: unknown; effects: readonly Effect[] };
    try {
      // Immediate: the write lock is taken first. Other processes on the same file (docs/SCALING.md)
      // could otherwise commit between this command's reads and its writes, and SQLite would refuse
      // the write at once (SQLITE_BUSY_SNAPSHOT) instead of waiting its busy_timeout.
      committed = db
        .transaction(() => {
          const result = definition.run(ctx, parsed.data as never);
          if (!result.ok) throw new Rollback(result.code);
          // Board changes are stored with the command: durable when acknowledged, gone if it rolls back.
          for (const effect of result.effects) if (effect.type === 'boardChanged') services.boards.persist(effect.change);
          if (receiptKey) repos.receipts.put(...receiptKey, result.data, ctx.now, definition.policy.anonymous);
          return { data: result.data, effects: result.effects };
        })
        .immediate();
    } catch (err) {
      if (err instanceof Rollback) {
        if (
          guessing &&
          err.code === 'join_code_unknown' &&
          (await services.guesses.failed('code', socket.data.address ?? socket.handshake.address)) === 'rate_limited'
        ) {
          return { ok: false, code: 'rate_limited' };
        }
        return { ok: false, code: err.code };
      }
      logger.error('command failed', { command: name, role: roleOf(actor) }, err);
      services.health.writeFailed();
      return { ok: false, code: 'internal' };
    }
    services.health.wrote();
    // Nothing reaches any screen before its commit.
    for (const effect of committed.effects) services.publisher.deliver(effect, socket);
    return { ok: true, data: committed.data };
  }

  return {
    /** Registers every command of the protocol on a socket. */
    bind(socket: AppSocket): void {
      for (const name of COMMAND_NAMES) {
        socket.on(name, (raw: unknown, ack: unknown) => {
          // A command without an acknowledgement callback is not part of the protocol: ignore it.
          if (typeof ack !== 'function') return;
          void run(socket, name, raw).then((result) => (ack as (r: Ack<unknown>) => void)(result));
        });
      }
    },
  };
}
