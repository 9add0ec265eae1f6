/**
 * Delivery: the router hands each committed effect here, and this module sends what server/audiences.ts
 * decided to the sockets of each audience. Work done on sockets rather than rooms (a phone's own group,
 * answers given back, phones signed out) is done here for the sockets of this process, and asked of the
 * other processes (server/scaling.ts).
 */
import { Coalescer } from './coalescer.ts';
import { messagesFor, type Audience, type Message } from './audiences.ts';
import type { AppConfig, AppServer, AppSocket, Clock } from './context.ts';
import type { Db } from './db/index.ts';
import type { Repos } from './db/repos.ts';
import type { BoardChange, Effect } from './effects.ts';
import type { Logger } from './logger.ts';
import type { Presence } from './presence.ts';
import { rooms } from './rooms.ts';
import { toOtherProcesses } from './scaling.ts';
import { attach, detach } from './sessions.ts';
import { groupOfIn, groupsNow } from './views/breakouts.ts';
import { myEvaluation } from './views/evaluations.ts';

/** Tally updates for the projector and consoles: at most this often per vote, never one per dot. */
export const TALLY_EVERY_MS = 100;
/** Support counts reach the room at most this often per question: a burst of clicks is one update. */
export const SUPPORTS_EVERY_MS = 200;

export interface PublisherDeps {
  io: AppServer;
  db: Db;
  repos: Repos;
  config: AppConfig;
  clock: Clock;
  logger: Logger;
  presence: Presence;
  /** Applies a board change already stored to the live document, if loaded. */
  applyBoardChange(change: BoardChange): void;
  /** Closes the board connections opened with a staff role's link (it was replaced). */
  closeBoardConnections(eventId: string, role: 'facilitator' | 'cofacilitator' | 'projector'): void;
}

export type Publisher = ReturnType<typeof createPublisher>;

export function createPublisher(deps: PublisherDeps) {
  const { io, repos, logger } = deps;
  const reads = { repos, config: deps.config };
  const tallies = new Coalescer(TALLY_EVERY_MS, (eventId, stepId) => deliver({ type: 'talliesDue', eventId, stepId }));
  const questions = new Coalescer(SUPPORTS_EVERY_MS, (eventId, questionId) => deliver({ type: 'questionDue', eventId, questionId }));

  function send(m: Message, caller: AppSocket | null): void {
    const to = new Set<Audience>(m.to);
    if (to.has('person') && m.participantId) {
      const room = rooms.participant(m.participantId);
      // Through the caller's own socket, a broadcast skips that socket.
      const op = m.exceptCaller && caller ? caller.to(room) : io.to(room);
      op.emit(m.event, m.payload as never);
    }
    if (to.has('participants')) {
      let op = io.to(rooms.event(m.eventId));
      if (to.has('public')) op = op.to(rooms.faq(m.eventId));
      if (!to.has('staff')) op = op.except(rooms.staff(m.eventId));
      if (!to.has('projector')) op = op.except(rooms.projector(m.eventId));
      op.emit(m.event, m.payload as never);
      return;
    }
    const targets = [
      ...(to.has('staff') ? [rooms.staff(m.eventId)] : []),
      ...(to.has('projector') ? [rooms.projector(m.eventId)] : []),
      ...(to.has('public') ? [rooms.faq(m.eventId)] : []),
    ];
    if (targets.length) io.to(targets).emit(m.event, m.payload as never);
  }

  function socketsOf(room: string): AppSocket[] {
    const ids = io.sockets.adapter.rooms.get(room);
    if (!ids) return [];
    return [...ids].map((id) => io.sockets.sockets.get(id)).filter((s): s is AppSocket => s !== undefined);
  }

  /** The participants' sockets connected to this process: each hears about their own group and joins its room. */
  function regroup(eventId: string, only: readonly string[] | null): void {
    // Read once for the whole room: a step of 2,000 people does not read its groups 2,000 times.
    const now = groupsNow(reads, eventId);
    const cache = new Map<string, ReturnType<typeof groupOfIn>>();
    for (const socket of socketsOf(rooms.event(eventId))) {
      const actor = socket.data.actor;
      if (actor?.kind !== 'participant' || (only && !only.includes(actor.participantId))) continue;
      let mine = cache.get(actor.participantId);
      if (!mine) {
        mine = now ? groupOfIn(reads, eventId, now, actor.participantId) : { group: null, choices: null };
        cache.set(actor.participantId, mine);
      }
      joinGroupRoom(socket, mine.group && mine.group.phase === 'groups' ? mine.group.id : null);
      socket.emit('group:updated', mine);
    }
  }

  /** The phones connected to this process that already answered an evaluation get their own answers back. */
  function answersBack(eventId: string, stepId: string): void {
    for (const socket of socketsOf(rooms.event(eventId))) {
      const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
      if (socket.data.actor.kind !== 'participant' || typeof token !== 'string') continue;
      const mine = myEvaluation(reads, stepId, token);
      if (mine && Object.keys(mine.answers).length) socket.emit('evaluation:mine', mine);
    }
  }

  /** The participants' sockets connected to this process are closed: their tokens are gone. */
  function signOutPhones(eventId: string): void {
    for (const socket of socketsOf(rooms.event(eventId))) if (socket.data.actor.kind === 'participant') socket.disconnect(true);
  }

  /** The work that is not a message to a room. */
  function act(effect: Effect, caller: AppSocket | null): void {
    switch (effect.type) {
      case 'groupsChanged': {
        const running = groupsNow(reads, effect.eventId) !== null;
        const only = effect.only ? [...effect.only] : null;
        regroup(effect.eventId, only);
        toOtherProcesses(io, 'local:groups', effect.eventId, running, only);
        return;
      }
      case 'dotsChanged':
        tallies.schedule(effect.eventId, effect.stepId);
        return;
      case 'questionChanged':
        if (effect.supportOnly) questions.schedule(effect.eventId, effect.questionId);
        return;
      case 'evaluationStarted':
        answersBack(effect.eventId, effect.stepId);
        toOtherProcesses(io, 'local:evaluation', effect.eventId, effect.stepId);
        return;
      case 'presenceChanged':
        deps.presence.changed(effect.eventId);
        return;
      case 'purged':
        // The WAL's old pages go with the personal data they held.
        deps.db.pragma('wal_checkpoint(TRUNCATE)');
        signOutPhones(effect.eventId);
        toOtherProcesses(io, 'local:purged', effect.eventId);
        logger.info('event purged', { eventId: effect.eventId });
        return;
      case 'boardChanged':
        deps.applyBoardChange(effect.change);
        return;
      case 'callerBecame':
        if (!caller) return;
        // This socket now acts as the person who joined (a shared device switches to them).
        detach(deps.presence, caller);
        attach(deps.presence, caller, effect.actor);
        caller.data.token = effect.token;
        return;
      case 'staffLinkRotated':
        // Every screen that came in with the old link, but the lead's own that asked: signed out.
        for (const socket of socketsOf(rooms.event(effect.eventId))) {
          const actor = socket.data.actor;
          if (socket !== caller && actor.kind === 'staff' && actor.role === effect.role) socket.disconnect(true);
        }
        deps.closeBoardConnections(effect.eventId, effect.role);
        return;
      case 'callerFollowsFaq':
        if (caller) void caller.join(rooms.faq(effect.eventId));
        return;
      default:
        return;
    }
  }

  /** Sends one committed effect: a failure is logged, never thrown back at the command that caused it. */
  function deliver(effect: Effect, caller: AppSocket | null = null): void {
    try {
      act(effect, caller);
      for (const m of messagesFor(reads, effect, deps.clock.now())) send(m, caller);
    } catch (err) {
      logger.error('broadcast failed', { effect: effect.type }, err);
    }
  }

  return {
    deliver,
    /** Presence counts for an event, once coalesced (see Presence). */
    presence(eventId: string): void {
      deliver({ type: 'presenceDue', eventId, connected: deps.presence.connected(eventId) });
    },
    /** Asked by another process (see server/scaling.ts): the same work on the sockets connected here. */
    local: {
      groups: (eventId: string, only: string[] | null) => regroup(eventId, only),
      evaluation: (eventId: string, stepId: string) => answersBack(eventId, stepId),
      purged: (eventId: string) => signOutPhones(eventId),
    },
    stop(): void {
      tallies.stop();
      questions.stop();
    },
  };
}

/** Puts a participant's socket in their group's room (and out of any other group's). */
export function joinGroupRoom(socket: AppSocket, groupId: string | null): void {
  for (const room of socket.rooms) if (room.startsWith('g:') && room !== (groupId && rooms.group(groupId))) void socket.leave(room);
  if (groupId) void socket.join(rooms.group(groupId));
}
