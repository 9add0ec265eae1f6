/**
 * Who may run a command. Each command's definition names one of these rules (`who`); the router checks
 * it before the payload is parsed, and the rule narrows the actor's type for the handler: a handler for
 * participants receives a participant, never a guest or a string fallback. Deny by default.
 */
export type Actor =
  | { kind: 'guest' }
  | { kind: 'staff'; role: 'facilitator' | 'cofacilitator' | 'projector'; eventId: string }
  | { kind: 'participant'; eventId: string; participantId: string; deviceParticipantIds: string[] };

export type Guest = Extract<Actor, { kind: 'guest' }>;
export type Staff = Extract<Actor, { kind: 'staff' }>;
export type Participant = Extract<Actor, { kind: 'participant' }>;
export type Facilitator = Staff & { role: 'facilitator' | 'cofacilitator' };
export type LeadFacilitator = Staff & { role: 'facilitator' };
/** Anyone who belongs to an event: staff or participant. */
export type Member = Exclude<Actor, Guest>;

export type ActorRole = 'guest' | 'facilitator' | 'cofacilitator' | 'projector' | 'participant';

export function roleOf(actor: Actor): ActorRole {
  return actor.kind === 'staff' ? actor.role : actor.kind;
}

export function eventOf(actor: Actor): string | null {
  return actor.kind === 'guest' ? null : actor.eventId;
}

/** A rule: the roles it admits, whether the command must be about the caller's own event, and the narrowing. */
export interface Rule<A extends Actor = Actor> {
  readonly name: string;
  readonly roles: readonly ActorRole[] | 'anyone';
  /** The command's eventId must be the caller's own event. */
  readonly sameEvent: boolean;
  admits(actor: Actor): actor is A;
}

function rule<A extends Actor>(name: string, roles: readonly ActorRole[], sameEvent: boolean): Rule<A> {
  return {
    name,
    roles,
    sameEvent,
    admits: (actor: Actor): actor is A => roles.includes(roleOf(actor)),
  };
}

export const anyone: Rule<Actor> = { name: 'anyone', roles: 'anyone', sameEvent: false, admits: (_actor: Actor): _actor is Actor => true };
export const isMember = rule<Member>('isMember', ['facilitator', 'cofacilitator', 'projector', 'participant'], true);
export const isParticipant = rule<Participant>('isParticipant', ['participant'], true);
export const isFacilitator = rule<Facilitator>('isFacilitator', ['facilitator', 'cofacilitator'], true);
/** A group's host reports back from their phone: the handler checks that the participant hosts the group. */
export const isFacilitatorOrParticipant = rule<Facilitator | Participant>('isFacilitatorOrParticipant', ['facilitator', 'cofacilitator', 'participant'], true);
/** The organizer: the links, retention and the purge. */
export const isLeadFacilitator = rule<LeadFacilitator>('isLeadFacilitator', ['facilitator'], true);

/** Second check, once the payload is parsed: is it about the caller's own event? */
export function scopeAllows(rule: Rule, actor: Actor, eventId: string | undefined): boolean {
  if (!rule.sameEvent) return true;
  return eventId !== undefined && eventId === eventOf(actor);
}
