import type { AddedParticipant, Snapshot } from '../../shared/protocol.ts';
import type { Step } from '../../shared/schemas/step.ts';
import { rooms, type Services } from '../context.ts';
import type { Actor } from '../permissions.ts';
import { breakoutView, myGroup } from './breakouts.ts';
import { joinInfo } from './events.ts';
import { myDots, voteView } from './votes.ts';
import { questionsView } from './questions.ts';
import { faqEntries, faqUrl } from './faq.ts';
import { evaluationView, myEvaluation } from './evaluations.ts';
import { presenceForStaff } from './presence.ts';

/** The whole state for one caller: on connect, on `state:get`, and after a reconnection. */
export function buildSnapshot(services: Services, actor: Exclude<Actor, { kind: 'guest' }>, token: string | null): Snapshot | null {
  const { repos, presence, clock } = services;
  const stored = repos.events.get(actor.eventId);
  if (!stored) return null;
  const steps = repos.steps.list(actor.eventId);
  const currentStep = steps.find((s) => s.id === stored.currentStepId) ?? null;
  const isStaff = actor.kind === 'staff' && actor.role !== 'projector';
  const connected = presence.connected(actor.eventId);
  const me = actor.kind === 'participant' ? (repos.participants.get(actor.eventId, actor.participantId)?.me ?? null) : null;
  return {
    role: actor.kind === 'staff' ? actor.role : 'participant',
    event: stored.info,
    steps: isStaff ? steps : null,
    currentStep,
    message: stored.message,
    presence: isStaff
      ? presenceForStaff(stored.info.categories, repos.participants.countByCategory(actor.eventId), connected)
      : actor.kind === 'staff'
        ? { connected, joined: repos.participants.count(actor.eventId) }
        : null,
    addedParticipants: isStaff ? addedParticipants(services, actor.eventId) : null,
    me,
    join: joinInfo(services, stored.info.joinCode),
    projectedAxis: stored.projectedAxis,
    breakout: actor.kind === 'staff' ? breakoutView(services, actor.eventId, isStaff ? 'staff' : 'projector') : null,
    ...(actor.kind === 'participant' ? mine(services, actor.eventId, actor.participantId) : { group: null, groupChoices: null }),
    vote: currentStep?.kind === 'vote' ? voteView(services, actor.eventId, currentStep.id, isStaff ? 'staff' : 'room') : null,
    myDots: currentStep?.kind === 'vote' && actor.kind === 'participant' ? myDots(services, currentStep.id, actor.participantId) : null,
    questions: questionsView(services, actor.eventId, isStaff ? 'staff' : 'room', actor.kind === 'participant' ? token : null),
    faq: faqEntries(services, actor.eventId, isStaff),
    faqUrl: isStaff ? faqUrl(services, actor.eventId) : null,
    evaluation: currentStep?.kind === 'evaluation' ? evaluationView(services, actor.eventId, currentStep.id, isStaff ? 'staff' : 'room') : null,
    myEvaluation: currentStep?.kind === 'evaluation' && actor.kind === 'participant' ? myEvaluation(services, currentStep.id, token) : null,
    retention: stored.retention,
    serverNow: clock.now(),
  };
}

/** Sends the presence counts: by category to facilitators, totals to the projector. */
export function publishPresence(services: Services, eventId: string): void {
  const stored = services.repos.events.get(eventId);
  if (!stored) return;
  const connected = services.presence.connected(eventId);
  const counts = services.repos.participants.countByCategory(eventId);
  const detail = presenceForStaff(stored.info.categories, counts, connected);
  services.io.to(rooms.staff(eventId)).emit('presence:updated', detail);
  services.io.to(rooms.projector(eventId)).emit('presence:updated', { connected, joined: detail.joined });
}

export function publishRunSheet(services: Services, eventId: string): void {
  const stored = services.repos.events.get(eventId);
  if (!stored) return;
  const steps = services.repos.steps.list(eventId);
  services.io.to(rooms.staff(eventId)).emit('runsheet:updated', { steps, currentStepId: stored.currentStepId });
}

export function publishCurrentStep(services: Services, eventId: string, currentStep: Step | null): void {
  services.io.to(rooms.event(eventId)).emit('step:started', { currentStep, serverNow: services.clock.now() });
}

export function addedParticipants(services: Services, eventId: string): AddedParticipant[] {
  return services.repos.participants.addedByFacilitator(eventId).map((p) => ({ id: p.id, displayName: p.me.displayName }));
}

/** Every console sees who was added without a phone. */
export function publishRoster(services: Services, eventId: string): void {
  services.io.to(rooms.staff(eventId)).emit('roster:updated', { addedParticipants: addedParticipants(services, eventId) });
}

function mine(services: Services, eventId: string, participantId: string): Pick<Snapshot, 'group' | 'groupChoices'> {
  const { group, choices } = myGroup(services, eventId, participantId);
  return { group, groupChoices: choices };
}
