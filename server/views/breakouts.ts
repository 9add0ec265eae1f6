/**
 * What each audience may see of the groups: facilitators everyone with their profile, the projector
 * display names where given, each participant their own group only.
 */
import type { BreakoutSpec, BreakoutView, GroupChoice, GroupMember, MyGroup } from '../../shared/schemas/breakout.ts';
import type { Step } from '../../shared/schemas/step.ts';
import type { StoredBreakout } from '../db/groups.ts';
import type { Reads } from './reads.ts';

type People = ReturnType<Reads['repos']['participants']['people']>;

export interface Running {
  step: Step & { breakout: BreakoutSpec };
  breakout: StoredBreakout;
}

/** The current step, when it is a breakout step whose groups are formed. */
export function runningBreakout(reads: Pick<Reads, 'repos'>, eventId: string): Running | null {
  const { events, steps, groups } = reads.repos;
  const stepId = events.get(eventId)?.currentStepId;
  if (!stepId) return null;
  const step = steps.get(eventId, stepId);
  if (!step?.breakout) return null;
  const breakout = groups.breakout(stepId);
  return breakout ? { step: { ...step, breakout: step.breakout }, breakout } : null;
}

export function capOf(spec: BreakoutSpec): number {
  return spec.cap ?? spec.size;
}

function member(p: People[number], withProfile: boolean): GroupMember {
  const base = { id: p.id, displayName: p.me.displayName };
  if (!withProfile) return base;
  return { ...base, category: p.me.consent ? (p.me.profile?.category ?? null) : null, territory: p.me.consent ? (p.me.profile?.territory ?? null) : null };
}

/** What facilitators (with profiles) or the projector (display names where given) see of the groups. */
export function breakoutView(reads: Pick<Reads, 'repos'>, eventId: string, audience: 'staff' | 'projector'): BreakoutView | null {
  const running = runningBreakout(reads, eventId);
  if (!running) return null;
  const { step, breakout } = running;
  const people = reads.repos.participants.people(eventId);
  const byId = new Map(people.map((p) => [p.id, p]));
  const placement = reads.repos.groups.placement(step.id, breakout.round);
  const staff = audience === 'staff';
  const groups = reads.repos.groups.groups(step.id).map((g) => {
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

/** What every participant's view of the running breakout is made from: read once for a whole room. */
export function groupsNow(reads: Pick<Reads, 'repos'>, eventId: string) {
  const running = runningBreakout(reads, eventId);
  if (!running) return null;
  const { step, breakout } = running;
  const placement = reads.repos.groups.placement(step.id, breakout.round);
  const all = reads.repos.groups.groups(step.id);
  return { step, breakout, placement, all, byId: new Map(all.map((g) => [g.id, g])) };
}

export function groupOfIn(
  reads: Pick<Reads, 'repos'>,
  eventId: string,
  now: NonNullable<ReturnType<typeof groupsNow>>,
  participantId: string,
): { group: MyGroup | null; choices: GroupChoice[] | null } {
  const { step, breakout, placement, all, byId } = now;
  const groupId = placement.get(participantId);
  const g = groupId ? byId.get(groupId) : undefined;
  const group: MyGroup | null = g
    ? {
        stepId: step.id,
        id: g.id,
        number: g.number,
        name: g.name,
        hostName: g.hostId ? (reads.repos.participants.get(eventId, g.hostId)?.me.displayName ?? null) : null,
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

/** A participant's own group, and in self-select the groups with room. */
export function myGroup(reads: Pick<Reads, 'repos'>, eventId: string, participantId: string): { group: MyGroup | null; choices: GroupChoice[] | null } {
  const now = groupsNow(reads, eventId);
  return now ? groupOfIn(reads, eventId, now, participantId) : { group: null, choices: null };
}
