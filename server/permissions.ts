import type { CommandName } from '../shared/protocol.ts';

export type Actor =
  | { kind: 'guest' }
  | { kind: 'staff'; role: 'facilitator' | 'cofacilitator' | 'projector'; eventId: string }
  | { kind: 'participant'; eventId: string; participantId: string; deviceParticipantIds: string[] };

export type ActorRole = 'guest' | 'facilitator' | 'cofacilitator' | 'projector' | 'participant';

export function roleOf(actor: Actor): ActorRole {
  return actor.kind === 'staff' ? actor.role : actor.kind;
}

export function eventOf(actor: Actor): string | null {
  return actor.kind === 'guest' ? null : actor.eventId;
}

/** Who may run a command. `sameEvent`: the command's eventId must be the caller's own event. */
export interface Rule {
  name: string;
  roles: readonly ActorRole[] | 'anyone';
  sameEvent: boolean;
}

const anyone: Rule = { name: 'anyone', roles: 'anyone', sameEvent: false };
const isMember: Rule = {
  name: 'isMember',
  roles: ['facilitator', 'cofacilitator', 'projector', 'participant'],
  sameEvent: true,
};
const isParticipant: Rule = { name: 'isParticipant', roles: ['participant'], sameEvent: true };
const isFacilitator: Rule = { name: 'isFacilitator', roles: ['facilitator', 'cofacilitator'], sameEvent: true };
const isFacilitatorOrParticipant: Rule = {
  name: 'isFacilitatorOrParticipant',
  roles: ['facilitator', 'cofacilitator', 'participant'],
  sameEvent: true,
};
const isLeadFacilitator: Rule = { name: 'isLeadFacilitator', roles: ['facilitator'], sameEvent: true };

/** Every command has a rule, or this does not compile. Anything not listed here is denied. */
export const permissions: Record<CommandName, Rule> = {
  'event:create': anyone,
  'event:lookup': anyone,
  'event:links': isLeadFacilitator,
  'participant:join': anyone,
  'participant:rename': isParticipant,
  'participant:add': isFacilitator,
  'profile:set': isParticipant,
  'state:get': isMember,
  'step:add': isFacilitator,
  'step:update': isFacilitator,
  'step:remove': isFacilitator,
  'step:move': isFacilitator,
  'step:start': isFacilitator,
  'timer:control': isFacilitator,
  'message:send': isFacilitator,
  'message:clear': isFacilitator,
  'board:card:edit': isParticipant,
  'board:card:remove': isParticipant,
  'board:card:move': isFacilitator,
  // A group's host too: the handler checks that the participant hosts the group.
  'board:promote': isFacilitatorOrParticipant,
  'board:project': isFacilitator,
  'group:move': isFacilitator,
  'group:host': isFacilitator,
  'group:choose': isParticipant,
  // Members say their own group is done (the handler checks membership); facilitators any group.
  'group:done': isFacilitatorOrParticipant,
  'group:message': isFacilitator,
  'breakout:round': isFacilitator,
  'breakout:phase': isFacilitator,
  'breakout:show': isFacilitator,
  'vote:item:add': isFacilitator,
  'vote:item:update': isFacilitator,
  'vote:item:remove': isFacilitator,
  'vote:items:merge': isFacilitator,
  'vote:import': isFacilitator,
  'vote:configure': isFacilitator,
  'vote:open': isFacilitator,
  'vote:dot': isParticipant,
  'vote:close': isFacilitator,
  'vote:paper': isFacilitator,
  'vote:retain': isFacilitator,
  'vote:runoff': isFacilitator,
  'question:ask': isParticipant,
  'question:mine': isParticipant,
  'question:withdraw': isParticipant,
  'question:support': isParticipant,
  'question:moderate': isFacilitator,
  'question:merge': isFacilitator,
  'question:answer': isFacilitator,
  'questions:configure': isFacilitator,
  'faq:create': isFacilitator,
  'faq:update': isFacilitator,
  'faq:remove': isFacilitator,
  // The public FAQ page: published entries only, for anyone holding its link.
  'faq:public': anyone,
  'evaluation:configure': isFacilitator,
  'evaluation:answer': isParticipant,
  'evaluation:status': isFacilitator,
  'evaluation:moderate': isFacilitator,
  // Retention and purge: the organizer (lead facilitator) only.
  'event:retention': isLeadFacilitator,
  'event:purge': isLeadFacilitator,
};

/** First check, before the payload is parsed: does the caller's role allow the command at all? */
export function roleAllows(rule: Rule | undefined, actor: Actor): boolean {
  if (!rule) return false;
  return rule.roles === 'anyone' || rule.roles.includes(roleOf(actor));
}

/** Second check, once the payload is parsed: is it about the caller's own event? */
export function scopeAllows(rule: Rule, actor: Actor, eventId: string | undefined): boolean {
  if (!rule.sameEvent) return true;
  return eventId !== undefined && eventId === eventOf(actor);
}
