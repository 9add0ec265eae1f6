import { assign, canChoose, placeLate, rotate, tableCount, type Person, type Table } from '../../shared/domain/groups.ts';
import { fail, ok, type Result } from '../../shared/domain/errors.ts';
import { applyTimer, idleTimer } from '../../shared/domain/timer.ts';
import type { BreakoutSpec, BreakoutView, GroupChoice, GroupMember, MyGroup } from '../../shared/schemas/breakout.ts';
import type { Step } from '../../shared/schemas/step.ts';
import type { StoredBreakout, StoredGroup } from '../db/groups.ts';
import { rooms, type AppSocket, type CommandContext, type Handlers, type Services } from '../context.ts';
import { toOtherProcesses } from '../scaling.ts';
import { newId } from '../security.ts';

type People = ReturnType<Services['repos']['participants']['people']>;

export interface Running {
  step: Step & { breakout: BreakoutSpec };
  breakout: StoredBreakout;
}

/** The current step, when it is a breakout step whose groups are formed. */
export function runningBreakout(services: Pick<Services, 'repos'>, eventId: string): Running | null {
  const { events, steps, groups } = services.repos;
  const stepId = events.get(eventId)?.currentStepId;
  if (!stepId) return null;
  const step = steps.get(eventId, stepId);
  if (!step?.breakout) return null;
  const breakout = groups.breakout(stepId);
  return breakout ? { step: { ...step, breakout: step.breakout }, breakout } : null;
}

function toPeople(people: People): Person[] {
  return people.map((p) => ({
    id: p.id,
    category: p.me.consent ? (p.me.profile?.category ?? null) : null,
    territory: p.me.consent ? (p.me.profile?.territory ?? null) : null,
    unit: p.unit,
  }));
}

function tablesOf(groups: readonly StoredGroup[]): Table[] {
  return groups.map((g) => ({ id: g.id, hostId: g.hostId }));
}

function roundSeed(breakout: StoredBreakout, round: number): string {
  return `${breakout.seed}:${round}`;
}

/** [GR] Forms the groups of a breakout step the first time it starts; later starts show the same ones. */
export function formGroups(services: Services, eventId: string, step: Step): void {
  const { groups, participants } = services.repos;
  if (!step.breakout || groups.breakout(step.id)) return;
  const spec = step.breakout;
  const people = toPeople(participants.people(eventId));
  const count = tableCount(people.length, spec.count !== undefined ? { count: spec.count } : { size: spec.size });
  const made = Array.from({ length: count }, (_, i) => ({ id: newId(), name: spec.names[i] || null }));
  const seed = newId();
  groups.create(eventId, step.id, seed, made);
  const breakout = groups.breakout(step.id);
  if (!breakout) return;
  const placement = assign(people, tablesOf(groups.groups(step.id)), spec.mode, roundSeed(breakout, 1));
  for (const [participantId, groupId] of placement) groups.place(step.id, 1, participantId, groupId);
}

/** [GR] A person who arrives during the groups (a late joiner, a second person on a tablet) is placed by the same rule. */
export function placeNewcomer(services: Services, eventId: string, participantId: string): void {
  const running = runningBreakout(services, eventId);
  if (!running) return;
  const { groups, participants } = services.repos;
  const { step, breakout } = running;
  if (groups.groupOf(step.id, breakout.round, participantId)) return;
  const people = toPeople(participants.people(eventId));
  const person = people.find((p) => p.id === participantId);
  if (!person) return;
  const placement = groups.placement(step.id, breakout.round);
  const seed = `${roundSeed(breakout, breakout.round)}:${participantId}`;
  const groupId = placeLate(person, people, placement, tablesOf(groups.groups(step.id)), step.breakout.mode, seed);
  if (groupId) groups.place(step.id, breakout.round, participantId, groupId);
}

function capOf(spec: BreakoutSpec): number {
  return spec.cap ?? spec.size;
}

function member(p: People[number], withProfile: boolean): GroupMember {
  const base = { id: p.id, displayName: p.me.displayName };
  if (!withProfile) return base;
  return { ...base, category: p.me.consent ? (p.me.profile?.category ?? null) : null, territory: p.me.consent ? (p.me.profile?.territory ?? null) : null };
}

/** What facilitators (with profiles) or the projector (display names where given) see of the groups. */
export function breakoutView(services: Services, eventId: string, audience: 'staff' | 'projector'): BreakoutView | null {
  const running = runningBreakout(services, eventId);
  if (!running) return null;
  const { step, breakout } = running;
  const people = services.repos.participants.people(eventId);
  const byId = new Map(people.map((p) => [p.id, p]));
  const placement = services.repos.groups.placement(step.id, breakout.round);
  const staff = audience === 'staff';
  const groups = services.repos.groups.groups(step.id).map((g) => {
    const members = people.filter((p) => placement.get(p.id) === g.id);
    return {
      id: g.id,
      number: g.number,
      name: g.name,
      hostId: g.hostId,
      hostName: g.hostId ? (byId.get(g.hostId)?.me.displayName ?? null) : null,
      done: g.done,
      size: members.length,
      members: staff ? members.map((p) => member(p, true)) : members.filter((p) => p.me.displayName).map((p) => member(p, false)),
      message: g.message,
    };
  });
  return {
    stepId: step.id,
    mode: step.breakout.mode,
    round: breakout.round,
    rounds: step.breakout.rounds,
    phase: breakout.phase,
    shownGroupId: breakout.shownGroupId,
    groups,
    unassigned: staff ? people.filter((p) => !placement.has(p.id)).map((p) => member(p, true)) : [],
  };
}

/** A participant's own group, and in self-select the groups with room. */
/** What every participant's view of the running breakout is made from: read once for a whole room. */
function groupsNow(services: Services, eventId: string) {
  const running = runningBreakout(services, eventId);
  if (!running) return null;
  const { step, breakout } = running;
  const placement = services.repos.groups.placement(step.id, breakout.round);
  const all = services.repos.groups.groups(step.id);
  return { step, breakout, placement, all, byId: new Map(all.map((g) => [g.id, g])) };
}

function groupOfIn(services: Services, eventId: string, now: NonNullable<ReturnType<typeof groupsNow>>, participantId: string): { group: MyGroup | null; choices: GroupChoice[] | null } {
  const { step, breakout, placement, all, byId } = now;
  const groupId = placement.get(participantId);
  const g = groupId ? byId.get(groupId) : undefined;
  const group: MyGroup | null = g
    ? {
        stepId: step.id,
        id: g.id,
        number: g.number,
        name: g.name,
        hostName: g.hostId ? (services.repos.participants.get(eventId, g.hostId)?.me.displayName ?? null) : null,
        isHost: g.hostId === participantId,
        task: step.breakout.task,
        axes: step.axes,
        round: breakout.round,
        rounds: step.breakout.rounds,
        phase: breakout.phase,
        done: g.done,
        message: g.message,
      }
    : null;
  if (step.breakout.mode !== 'self' || breakout.phase !== 'groups') return { group, choices: null };
  const sizes = new Map<string, number>();
  for (const id of placement.values()) sizes.set(id, (sizes.get(id) ?? 0) + 1);
  const cap = capOf(step.breakout);
  const choices = all.map((x) => ({ id: x.id, number: x.number, name: x.name, size: sizes.get(x.id) ?? 0, cap }));
  return { group, choices };
}

export function myGroup(services: Services, eventId: string, participantId: string): { group: MyGroup | null; choices: GroupChoice[] | null } {
  const now = groupsNow(services, eventId);
  return now ? groupOfIn(services, eventId, now, participantId) : { group: null, choices: null };
}

function socketsOf(services: Services, room: string): AppSocket[] {
  const ids = services.io.sockets.adapter.rooms.get(room);
  if (!ids) return [];
  return [...ids].map((id) => services.io.sockets.sockets.get(id)).filter((s): s is AppSocket => s !== undefined);
}

/** Puts a participant's socket in their group's room (and out of any other group's). */
export function joinGroupRoom(services: Services, socket: AppSocket, groupId: string | null): void {
  for (const room of socket.rooms) if (room.startsWith('g:') && room !== (groupId && rooms.group(groupId))) void socket.leave(room);
  if (groupId) void socket.join(rooms.group(groupId));
}

/**
 * After a change: every participant hears about their own group only (and changes room), facilitators
 * and the projector get the whole picture. `only`: just these participants.
 */
export function publishGroups(services: Services, eventId: string, only?: readonly string[]): void {
  const staffView = breakoutView(services, eventId, 'staff');
  services.io.to(rooms.staff(eventId)).emit('breakout:updated', { breakout: staffView });
  services.io.to(rooms.projector(eventId)).emit('breakout:updated', { breakout: breakoutView(services, eventId, 'projector') });
  regroup(services, eventId, staffView !== null, only);
  toOtherProcesses(services.io, 'local:groups', eventId, staffView !== null, only ? [...only] : null);
}

/** The participants' sockets connected to this process: each hears about their own group and joins its room. */
export function regroup(services: Services, eventId: string, running: boolean, only?: readonly string[]): void {
  const sockets = socketsOf(services, rooms.event(eventId));
  // Read once for the whole room: a step of 2,000 people does not read its groups 2,000 times.
  const now = running ? groupsNow(services, eventId) : null;
  const none = now ? null : { group: null, choices: null };
  const cache = new Map<string, ReturnType<typeof myGroup>>();
  for (const socket of sockets) {
    const actor = socket.data.actor;
    if (actor?.kind !== 'participant' || (only && !only.includes(actor.participantId))) continue;
    let mine = none ?? cache.get(actor.participantId);
    if (!mine) {
      mine = now ? groupOfIn(services, eventId, now, actor.participantId) : { group: null, choices: null };
      cache.set(actor.participantId, mine);
    }
    joinGroupRoom(services, socket, mine.group && mine.group.phase === 'groups' ? mine.group.id : null);
    socket.emit('group:updated', mine);
  }
}

function started(ctx: CommandContext, eventId: string, stepId: string): Result<Running> {
  const step = ctx.services.repos.steps.get(eventId, stepId);
  if (!step) return fail('step_not_found');
  const running = runningBreakout(ctx.services, eventId);
  if (!running || running.step.id !== stepId) return fail('breakout_not_started');
  return ok(running);
}

function groupIn(ctx: CommandContext, eventId: string, running: Running, groupId: string): StoredGroup | null {
  const g = ctx.services.repos.groups.group(eventId, groupId);
  return g && g.stepId === running.step.id ? g : null;
}

/** The people who move together: everyone on the same shared device. */
function unitOf(services: Services, eventId: string, participantId: string): string[] | null {
  const people = services.repos.participants.people(eventId);
  const unit = people.find((p) => p.id === participantId)?.unit;
  if (!unit) return null;
  return people.filter((p) => p.unit === unit).map((p) => p.id);
}

export const breakoutHandlers: Pick<
  Handlers,
  'group:move' | 'group:host' | 'group:choose' | 'group:done' | 'group:message' | 'breakout:round' | 'breakout:phase' | 'breakout:show'
> = {
  'group:move'(ctx, { eventId, stepId, participantId, groupId }) {
    const running = started(ctx, eventId, stepId);
    if (!running.ok) return running;
    if (groupId && !groupIn(ctx, eventId, running.data, groupId)) return fail('group_not_found');
    const unit = unitOf(ctx.services, eventId, participantId);
    if (!unit) return fail('participant_not_found');
    const { round } = running.data.breakout;
    for (const id of unit) ctx.services.repos.groups.place(stepId, round, id, groupId);
    ctx.after(() => publishGroups(ctx.services, eventId, unit));
    return ok({ participantIds: unit, groupId });
  },

  'group:host'(ctx, { eventId, stepId, groupId, participantId }) {
    const running = started(ctx, eventId, stepId);
    if (!running.ok) return running;
    if (!groupIn(ctx, eventId, running.data, groupId)) return fail('group_not_found');
    const { groups, participants } = ctx.services.repos;
    const moved: string[] = [];
    if (participantId) {
      if (!participants.get(eventId, participantId)) return fail('participant_not_found');
      // The host sits at their table, with whoever shares their device.
      for (const id of unitOf(ctx.services, eventId, participantId) ?? []) {
        groups.place(stepId, running.data.breakout.round, id, groupId);
        moved.push(id);
      }
    }
    const previous = groups.group(eventId, groupId)?.hostId;
    groups.setHost(stepId, groupId, participantId);
    const told = [...moved, ...(previous ? [previous] : [])];
    ctx.after(() => publishGroups(ctx.services, eventId, told.length ? told : []));
    return ok({ groupId, participantId });
  },

  'group:choose'(ctx, { eventId, stepId, groupId }) {
    const running = started(ctx, eventId, stepId);
    if (!running.ok) return running;
    const { step, breakout } = running.data;
    if (step.breakout.mode !== 'self' || breakout.phase !== 'groups') return fail('group_choice_closed');
    if (!groupIn(ctx, eventId, running.data, groupId)) return fail('group_not_found');
    const me = ctx.actor.kind === 'participant' ? ctx.actor.participantId : '';
    const unit = unitOf(ctx.services, eventId, me) ?? [me];
    const { groups } = ctx.services.repos;
    const placement = groups.placement(step.id, breakout.round);
    if (placement.get(me) !== groupId) {
      // The chooser's own seats do not count against the cap.
      for (const id of unit) placement.delete(id);
      if (!canChoose(groupId, placement, capOf(step.breakout), unit.length)) return fail('group_full');
      for (const id of unit) groups.place(step.id, breakout.round, id, groupId);
    }
    const mine = myGroup(ctx.services, eventId, me).group;
    if (!mine) return fail('group_not_found');
    // Everyone choosing sees the room left change.
    ctx.after(() => publishGroups(ctx.services, eventId));
    return ok(mine);
  },

  'group:done'(ctx, { eventId, stepId, groupId, done }) {
    const running = started(ctx, eventId, stepId);
    if (!running.ok) return running;
    if (!groupIn(ctx, eventId, running.data, groupId)) return fail('group_not_found');
    const { groups } = ctx.services.repos;
    if (ctx.actor.kind === 'participant' && groups.groupOf(stepId, running.data.breakout.round, ctx.actor.participantId) !== groupId) {
      return fail('not_in_group');
    }
    groups.setDone(groupId, done);
    const members = [...groups.placement(stepId, running.data.breakout.round)].filter(([, g]) => g === groupId).map(([p]) => p);
    ctx.after(() => publishGroups(ctx.services, eventId, members));
    return ok({ groupId, done });
  },

  'group:message'(ctx, { eventId, stepId, groupId, text }) {
    const running = started(ctx, eventId, stepId);
    if (!running.ok) return running;
    if (!groupIn(ctx, eventId, running.data, groupId)) return fail('group_not_found');
    const { groups } = ctx.services.repos;
    const message = { text, sentAt: ctx.now };
    groups.setMessage(groupId, message);
    const members = [...groups.placement(stepId, running.data.breakout.round)].filter(([, g]) => g === groupId).map(([p]) => p);
    ctx.after(() => publishGroups(ctx.services, eventId, members));
    return ok(message);
  },

  /** [GR-cafe] Next round: re-mixed so that few pairs meet again, hosts stay, the timer starts again. */
  'breakout:round'(ctx, { eventId, stepId }) {
    const running = started(ctx, eventId, stepId);
    if (!running.ok) return running;
    const { step, breakout } = running.data;
    if (breakout.round >= step.breakout.rounds) return fail('rounds_over');
    const { groups, participants, steps } = ctx.services.repos;
    const round = breakout.round + 1;
    const people = toPeople(participants.people(eventId));
    const next = rotate(people, tablesOf(groups.groups(stepId)), groups.rounds(stepId), step.breakout.mode, roundSeed(breakout, round));
    for (const [participantId, groupId] of next) groups.place(stepId, round, participantId, groupId);
    groups.setRound(stepId, round);
    const timer = applyTimer(idleTimer(step.minutes), { kind: 'start' }, ctx.now);
    const restarted = timer.ok ? timer.data : step.timer;
    steps.save(eventId, { ...step, timer: restarted });
    ctx.after(() => {
      ctx.services.io.to(rooms.event(eventId)).emit('timer:updated', { stepId, timer: restarted, serverNow: ctx.services.clock.now() });
      publishGroups(ctx.services, eventId);
    });
    return ok({ round });
  },

  'breakout:phase'(ctx, { eventId, stepId, phase }) {
    const running = started(ctx, eventId, stepId);
    if (!running.ok) return running;
    ctx.services.repos.groups.setPhase(stepId, phase);
    ctx.after(() => publishGroups(ctx.services, eventId));
    return ok({ phase });
  },

  'breakout:show'(ctx, { eventId, stepId, groupId }) {
    const running = started(ctx, eventId, stepId);
    if (!running.ok) return running;
    if (groupId && !groupIn(ctx, eventId, running.data, groupId)) return fail('group_not_found');
    ctx.services.repos.groups.setShown(stepId, groupId);
    ctx.after(() => publishGroups(ctx.services, eventId, []));
    return ok({ groupId });
  },
};
