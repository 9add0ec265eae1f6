/** The whole state for one caller, as their role may see it: on connect, on `state:get`, after a reconnection. */
import { presenceDetail } from '../../shared/domain/presence.ts';
import type { AddedParticipant, JoinInfo, Snapshot } from '../../shared/protocol.ts';
import type { PresenceDetail } from '../../shared/schemas/presence.ts';
import type { Member } from '../permissions.ts';
import { breakoutView, myGroup } from './breakouts.ts';
import { evaluationView, myEvaluation } from './evaluations.ts';
import { faqEntries, faqUrl, questionsView } from './questions.ts';
import type { Reads } from './reads.ts';
import { myDots, voteView } from './votes.ts';

export function joinInfo(reads: Pick<Reads, 'config'>, code: string): JoinInfo {
  const base = reads.config.publicUrl.replace(/\/+$/, '');
  return { url: `${base}/j/${code}`, address: `${base.replace(/^https?:\/\//, '')}/j`, code, qrUrl: `/api/qr/${code}.svg` };
}

export function addedParticipants(reads: Pick<Reads, 'repos'>, eventId: string): AddedParticipant[] {
  return reads.repos.participants.addedByFacilitator(eventId).map((p) => ({ id: p.id, displayName: p.me.displayName }));
}

/** Facilitators: counts by category, small cells suppressed. */
export function presenceForStaff(reads: Pick<Reads, 'repos'>, eventId: string, connected: number): PresenceDetail | null {
  const stored = reads.repos.events.get(eventId);
  if (!stored) return null;
  return presenceDetail(stored.info.categories, reads.repos.participants.countByCategory(eventId), connected);
}

export function buildSnapshot(reads: Reads, actor: Member, token: string | null, connected: number, now: number): Snapshot | null {
  const { repos } = reads;
  const stored = repos.events.get(actor.eventId);
  if (!stored) return null;
  const steps = repos.steps.list(actor.eventId);
  const currentStep = steps.find((s) => s.id === stored.currentStepId) ?? null;
  const isStaff = actor.kind === 'staff' && actor.role !== 'projector';
  const participant = actor.kind === 'participant' ? actor : null;
  const mine = participant ? myGroup(reads, actor.eventId, participant.participantId) : { group: null, choices: null };
  return {
    role: actor.kind === 'staff' ? actor.role : 'participant',
    event: stored.info,
    steps: isStaff ? steps : null,
    currentStep,
    message: stored.message,
    presence: isStaff
      ? presenceForStaff(reads, actor.eventId, connected)
      : actor.kind === 'staff'
        ? { connected, joined: repos.participants.count(actor.eventId) }
        : null,
    addedParticipants: isStaff ? addedParticipants(reads, actor.eventId) : null,
    me: participant ? (repos.participants.get(actor.eventId, participant.participantId)?.me ?? null) : null,
    join: joinInfo(reads, stored.info.joinCode),
    projectedAxis: stored.projectedAxis,
    breakout: actor.kind === 'staff' ? breakoutView(reads, actor.eventId, isStaff ? 'staff' : 'projector') : null,
    group: mine.group,
    groupChoices: mine.choices,
    vote: currentStep?.kind === 'vote' ? voteView(reads, actor.eventId, currentStep.id, isStaff ? 'staff' : 'room') : null,
    myDots: currentStep?.kind === 'vote' && participant ? myDots(reads, currentStep.id, participant.participantId) : null,
    questions: questionsView(reads, actor.eventId, isStaff ? 'staff' : 'room', participant ? token : null),
    faq: faqEntries(reads, actor.eventId, isStaff),
    faqUrl: isStaff ? faqUrl(reads, actor.eventId) : null,
    evaluation: currentStep?.kind === 'evaluation' ? evaluationView(reads, actor.eventId, currentStep.id, isStaff ? 'staff' : 'room') : null,
    myEvaluation: currentStep?.kind === 'evaluation' && participant ? myEvaluation(reads, currentStep.id, token) : null,
    retention: stored.retention,
    serverNow: now,
  };
}
