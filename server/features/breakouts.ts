import { assign, canChoose, placeLate, rotate, tableCount, type Person, type Table } from '../../shared/domain/groups.ts';
import { fail, ok, type Result } from '../../shared/domain/errors.ts';
import { applyTimer, idleTimer } from '../../shared/domain/timer.ts';
import type { Step } from '../../shared/schemas/step.ts';
import type { StoredBreakout, StoredGroup } from '../db/groups.ts';
import type { Repos } from '../db/repos.ts';
import { command, done, type CommandContext } from '../command.ts';
import { isFacilitator, isFacilitatorOrParticipant, isParticipant } from '../permissions.ts';
import { newId } from '../security.ts';
import { capOf, myGroup, runningBreakout, type Running } from '../views/breakouts.ts';

type People = ReturnType<Repos['participants']['people']>;
type Writes = { repos: Repos };

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
export function formGroups(services: Writes, eventId: string, step: Step): void {
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
export function placeNewcomer(services: Writes, eventId: string, participantId: string): void {
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

function started(ctx: CommandContext, eventId: string, stepId: string): Result<Running, 'step_not_found' | 'breakout_not_started'> {
  const step = ctx.repos.steps.get(eventId, stepId);
  if (!step) return fail('step_not_found');
  const running = runningBreakout(ctx, eventId);
  if (!running || running.step.id !== stepId) return fail('breakout_not_started');
  return ok(running);
}

function groupIn(ctx: CommandContext, eventId: string, running: Running, groupId: string): StoredGroup | null {
  const g = ctx.repos.groups.group(eventId, groupId);
  return g && g.stepId === running.step.id ? g : null;
}

/** The people who move together: everyone on the same shared device. */
function unitOf(services: Writes, eventId: string, participantId: string): string[] | null {
  const people = services.repos.participants.people(eventId);
  const unit = people.find((p) => p.id === participantId)?.unit;
  if (!unit) return null;
  return people.filter((p) => p.unit === unit).map((p) => p.id);
}

export const breakoutCommands = [
  command('group:move', isFacilitator, (ctx, { eventId, stepId, participantId, groupId }) => {
    const running = started(ctx, eventId, stepId);
    if (!running.ok) return running;
    if (groupId && !groupIn(ctx, eventId, running.data, groupId)) return fail('group_not_found');
    const unit = unitOf(ctx, eventId, participantId);
    if (!unit) return fail('participant_not_found');
    const { round } = running.data.breakout;
    for (const id of unit) ctx.repos.groups.place(stepId, round, id, groupId);
    return done({ participantIds: unit, groupId }, { type: 'groupsChanged', eventId, only: unit });
  }),

  command('group:host', isFacilitator, (ctx, { eventId, stepId, groupId, participantId }) => {
    const running = started(ctx, eventId, stepId);
    if (!running.ok) return running;
    if (!groupIn(ctx, eventId, running.data, groupId)) return fail('group_not_found');
    const { groups, participants } = ctx.repos;
    const moved: string[] = [];
    if (participantId) {
      if (!participants.get(eventId, participantId)) return fail('participant_not_found');
      // The host sits at their table, with whoever shares their device.
      for (const id of unitOf(ctx, eventId, participantId) ?? []) {
        groups.place(stepId, running.data.breakout.round, id, groupId);
        moved.push(id);
      }
    }
    const previous = groups.group(eventId, groupId)?.hostId;
    groups.setHost(stepId, groupId, participantId);
    const told = [...moved, ...(previous ? [previous] : [])];
    return done({ groupId, participantId }, { type: 'groupsChanged', eventId, only: told.length ? told : [] });
  }),

  command('group:choose', isParticipant, (ctx, { eventId, stepId, groupId }) => {
    const running = started(ctx, eventId, stepId);
    if (!running.ok) return running;
    const { step, breakout } = running.data;
    if (step.breakout.mode !== 'self' || breakout.phase !== 'groups') return fail('group_choice_closed');
    if (!groupIn(ctx, eventId, running.data, groupId)) return fail('group_not_found');
    const me = ctx.actor.participantId;
    const unit = unitOf(ctx, eventId, me) ?? [me];
    const { groups } = ctx.repos;
    const placement = groups.placement(step.id, breakout.round);
    if (placement.get(me) !== groupId) {
      // The chooser's own seats do not count against the cap.
      for (const id of unit) placement.delete(id);
      if (!canChoose(groupId, placement, capOf(step.breakout), unit.length)) return fail('group_full');
      for (const id of unit) groups.place(step.id, breakout.round, id, groupId);
    }
    const mine = myGroup(ctx, eventId, me).group;
    if (!mine) return fail('group_not_found');
    // Everyone choosing sees the room left change.
    return done(mine, { type: 'groupsChanged', eventId });
  }),

  command('group:done', isFacilitatorOrParticipant, (ctx, { eventId, stepId, groupId, done: isDone }) => {
    const running = started(ctx, eventId, stepId);
    if (!running.ok) return running;
    if (!groupIn(ctx, eventId, running.data, groupId)) return fail('group_not_found');
    const { groups } = ctx.repos;
    if (ctx.actor.kind === 'participant' && groups.groupOf(stepId, running.data.breakout.round, ctx.actor.participantId) !== groupId) {
      return fail('not_in_group');
    }
    groups.setDone(groupId, isDone);
    const members = [...groups.placement(stepId, running.data.breakout.round)].filter(([, g]) => g === groupId).map(([p]) => p);
    return done({ groupId, done: isDone }, { type: 'groupsChanged', eventId, only: members });
  }),

  command('group:message', isFacilitator, (ctx, { eventId, stepId, groupId, text }) => {
    const running = started(ctx, eventId, stepId);
    if (!running.ok) return running;
    if (!groupIn(ctx, eventId, running.data, groupId)) return fail('group_not_found');
    const { groups } = ctx.repos;
    const message = { text, sentAt: ctx.now };
    groups.setMessage(groupId, message);
    const members = [...groups.placement(stepId, running.data.breakout.round)].filter(([, g]) => g === groupId).map(([p]) => p);
    return done(message, { type: 'groupsChanged', eventId, only: members });
  }),

  /** [GR-cafe] Next round: re-mixed so that few pairs meet again, hosts stay, the timer starts again. */
  command('breakout:round', isFacilitator, (ctx, { eventId, stepId }) => {
    const running = started(ctx, eventId, stepId);
    if (!running.ok) return running;
    const { step, breakout } = running.data;
    if (breakout.round >= step.breakout.rounds) return fail('rounds_over');
    const { groups, participants, steps } = ctx.repos;
    const round = breakout.round + 1;
    const people = toPeople(participants.people(eventId));
    const next = rotate(people, tablesOf(groups.groups(stepId)), groups.rounds(stepId), step.breakout.mode, roundSeed(breakout, round));
    for (const [participantId, groupId] of next) groups.place(stepId, round, participantId, groupId);
    groups.setRound(stepId, round);
    const timer = applyTimer(idleTimer(step.minutes), { kind: 'start' }, ctx.now);
    const restarted = timer.ok ? timer.data : step.timer;
    steps.save(eventId, { ...step, timer: restarted });
    return done({ round }, { type: 'timerChanged', eventId, stepId, timer: restarted }, { type: 'groupsChanged', eventId });
  }),

  command('breakout:phase', isFacilitator, (ctx, { eventId, stepId, phase }) => {
    const running = started(ctx, eventId, stepId);
    if (!running.ok) return running;
    ctx.repos.groups.setPhase(stepId, phase);
    return done({ phase }, { type: 'groupsChanged', eventId });
  }),

  command('breakout:show', isFacilitator, (ctx, { eventId, stepId, groupId }) => {
    const running = started(ctx, eventId, stepId);
    if (!running.ok) return running;
    if (groupId && !groupIn(ctx, eventId, running.data, groupId)) return fail('group_not_found');
    ctx.repos.groups.setShown(stepId, groupId);
    return done({ groupId }, { type: 'groupsChanged', eventId, only: [] });
  }),
] as const;
