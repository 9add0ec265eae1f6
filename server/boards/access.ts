import { parseBoardName, type BoardAddress } from '../../shared/domain/boards.ts';
import type { Services } from '../context.ts';
import type { Actor } from '../permissions.ts';

export type BoardAccess = { address: BoardAddress; role: 'participant' | 'facilitator' | 'projector' };

/**
 * [BD3] Before the upgrade completes: the document must be a board of the caller's own event, on
 * one of its axes. Other events' boards are answered exactly like boards that do not exist.
 */
export function boardAccess(services: Pick<Services, 'repos'>, actor: Actor, docName: string): BoardAccess | null {
  const address = parseBoardName(docName);
  if (!address || actor.kind === 'guest' || actor.eventId !== address.eventId) return null;
  const event = services.repos.events.get(address.eventId);
  if (!event || !event.info.axes.some((a) => a.key === address.axis)) return null;
  // Group boards arrive with breakout groups; until then only plenary boards exist.
  if (address.scope.kind !== 'plenary') return null;
  const role = actor.kind === 'participant' ? 'participant' : actor.role === 'projector' ? 'projector' : 'facilitator';
  return { address, role };
}

/**
 * [BD4] Checked on every update, since steps change while people are connected: facilitators
 * write everywhere, the projector never, participants while a board step is running.
 */
export function mayWrite(services: Pick<Services, 'repos'>, access: BoardAccess): boolean {
  if (access.role === 'facilitator') return true;
  if (access.role === 'projector') return false;
  const event = services.repos.events.get(access.address.eventId);
  if (!event?.currentStepId) return false;
  const step = services.repos.steps.get(access.address.eventId, event.currentStepId);
  return step?.kind === 'board' && (step.axes === null || step.axes.includes(access.address.axis));
}
