import { parseBoardName, type BoardAddress } from '../../shared/domain/boards.ts';
import type { Services } from '../context.ts';
import type { Actor } from '../permissions.ts';

export type BoardAccess = {
  address: BoardAddress;
  role: 'participant' | 'facilitator' | 'projector';
  participantId: string | null;
  /** Which staff link opened it, so that replacing that link closes it. */
  staffRole?: 'facilitator' | 'cofacilitator' | 'projector';
};

/**
 * [BD3] Before the upgrade completes: the document must be a board of the caller's own event, on
 * one of its axes. Other events' boards are answered exactly like boards that do not exist.
 */
export function boardAccess(services: Pick<Services, 'repos'>, actor: Actor, docName: string): BoardAccess | null {
  const address = parseBoardName(docName);
  if (!address || actor.kind === 'guest' || actor.eventId !== address.eventId) return null;
  const event = services.repos.events.get(address.eventId);
  if (!event || !event.info.axes.some((a) => a.key === address.axis)) return null;
  if (address.scope.kind === 'group') {
    // A group's boards: the group must be this event's; a participant must sit or have sat at it.
    const group = services.repos.groups.group(address.eventId, address.scope.groupId);
    if (!group) return null;
    if (actor.kind === 'participant' && !services.repos.groups.wasMember(group.id, actor.participantId)) return null;
  }
  const role = actor.kind === 'participant' ? 'participant' : actor.role === 'projector' ? 'projector' : 'facilitator';
  return {
    address,
    role,
    participantId: actor.kind === 'participant' ? actor.participantId : null,
    ...(actor.kind === 'staff' ? { staffRole: actor.role } : {}),
  };
}

/**
 * [BD4] Checked on every update, since steps change while people are connected: facilitators
 * write everywhere, the projector never, participants on plenary boards while a board step runs and
 * on their own group's boards while their breakout round runs.
 */
export function mayWrite(services: Pick<Services, 'repos'>, access: BoardAccess): boolean {
  if (access.role === 'facilitator') return true;
  if (access.role === 'projector') return false;
  const event = services.repos.events.get(access.address.eventId);
  if (!event?.currentStepId) return false;
  const step = services.repos.steps.get(access.address.eventId, event.currentStepId);
  if (!step || (step.axes !== null && !step.axes.includes(access.address.axis))) return false;
  const { scope } = access.address;
  // Plenary boards: a board step for the whole room. Group boards: while the group's step runs in
  // groups, for the people at that table now.
  if (scope.kind === 'plenary') return step.kind === 'board' && !step.breakout;
  if (!step.breakout || !access.participantId) return false;
  const breakout = services.repos.groups.breakout(step.id);
  if (breakout?.phase !== 'groups') return false;
  return services.repos.groups.groupOf(step.id, breakout.round, access.participantId) === scope.groupId;
}
