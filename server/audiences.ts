/**
 * The one place that turns what happened (server/effects.ts) into what each audience is sent. The
 * rules of what an audience may see live here and in the views it calls: tallies hidden from the room
 * until the close, questions not on view and FAQ drafts kept to facilitators, profiles only as counts
 * with small cells suppressed and never to the projector. test/integration/audiences.test.ts checks it
 * as a table: effect × audience → what may be sent.
 */
import { talliesVisible } from '../shared/domain/voting.ts';
import type { ServerEvents } from '../shared/protocol.ts';
import type { Effect } from './effects.ts';
import { breakoutView } from './views/breakouts.ts';
import { evaluationView } from './views/evaluations.ts';
import { faqEntries, publicSettings, questionFor, questionSettings } from './views/questions.ts';
import type { Reads } from './views/reads.ts';
import { retentionOf } from './views/retention.ts';
import { addedParticipants, presenceForStaff } from './views/snapshot.ts';
import { talliesOf, voteView } from './views/votes.ts';

/**
 * staff: facilitators and co-facilitators; projector; participants: every participant's screen;
 * person: one participant's screens; public: the public FAQ page.
 */
export type Audience = 'staff' | 'projector' | 'participants' | 'person' | 'public';
export const EVERYONE: readonly Audience[] = ['staff', 'projector', 'participants'];
/** Everyone but the facilitators. */
export const ROOM: readonly Audience[] = ['projector', 'participants'];

export type Message = {
  [E in keyof ServerEvents]: {
    eventId: string;
    to: readonly Audience[];
    event: E;
    payload: ServerEvents[E];
    /** For `person`: whose screens. */
    participantId?: string;
    /** For `person`: not the screen that sent the command (it has the answer already). */
    exceptCaller?: boolean;
  };
}[keyof ServerEvents];

function message<E extends keyof ServerEvents>(
  eventId: string,
  to: readonly Audience[],
  event: E,
  payload: ServerEvents[E],
  extra: Partial<Message> = {},
): Message {
  return { ...extra, eventId, to, event, payload } as Message;
}

/** What each audience is sent for an effect, read from the committed state. */
export function messagesFor(reads: Reads, effect: Effect, now: number): Message[] {
  const { repos } = reads;
  switch (effect.type) {
    case 'runSheetChanged': {
      const stored = repos.events.get(effect.eventId);
      if (!stored) return [];
      return [message(effect.eventId, ['staff'], 'runsheet:updated', { steps: repos.steps.list(effect.eventId), currentStepId: stored.currentStepId })];
    }
    case 'currentStepChanged': {
      const stored = repos.events.get(effect.eventId);
      const currentStep = stored?.currentStepId ? (repos.steps.get(effect.eventId, stored.currentStepId) ?? null) : null;
      return [message(effect.eventId, EVERYONE, 'step:started', { currentStep, serverNow: now })];
    }
    case 'timerChanged':
      return [message(effect.eventId, EVERYONE, 'timer:updated', { stepId: effect.stepId, timer: effect.timer, serverNow: now })];
    case 'messageChanged':
      return [message(effect.eventId, EVERYONE, 'message:sent', { message: effect.message })];
    case 'meChanged': {
      const me = repos.participants.get(effect.eventId, effect.participantId)?.me;
      return me ? [message(effect.eventId, ['person'], 'me:updated', me, { participantId: effect.participantId })] : [];
    }
    case 'rosterChanged':
      return [message(effect.eventId, ['staff'], 'roster:updated', { addedParticipants: addedParticipants(reads, effect.eventId) })];
    case 'projectedAxisChanged':
      return [message(effect.eventId, EVERYONE, 'board:projected', { axis: effect.axis })];
    case 'groupsChanged':
      // Each participant's own group is sent by socket (see publish.ts): nobody hears about another table.
      return [
        message(effect.eventId, ['staff'], 'breakout:updated', { breakout: breakoutView(reads, effect.eventId, 'staff') }),
        message(effect.eventId, ['projector'], 'breakout:updated', { breakout: breakoutView(reads, effect.eventId, 'projector') }),
      ];
    case 'voteChanged':
      return [
        message(effect.eventId, ['staff'], 'vote:updated', { vote: voteView(reads, effect.eventId, effect.stepId, 'staff') }),
        message(effect.eventId, ROOM, 'vote:updated', { vote: voteView(reads, effect.eventId, effect.stepId, 'room') }),
      ];
    case 'dotsChanged':
      // The person's other screens follow; the room hears nothing per dot (tallies come coalesced).
      return [message(effect.eventId, ['person'], 'vote:mine', effect.mine, { participantId: effect.participantId, exceptCaller: true })];
    case 'talliesDue': {
      const vote = repos.votes.get(effect.stepId);
      if (!vote) return [];
      const payload = {
        stepId: effect.stepId,
        tallies: talliesOf(reads, effect.stepId, repos.votes.items(effect.stepId)),
        voters: repos.votes.voters(effect.stepId),
      };
      return [message(effect.eventId, talliesVisible(vote, 'room') ? EVERYONE : ['staff'], 'vote:tally', payload)];
    }
    case 'questionChanged': {
      // Only the support count moved: it reaches screens coalesced, as `questionDue`.
      if (effect.supportOnly) return [];
      return questionMessages(reads, effect.eventId, effect.questionId);
    }
    case 'questionDue':
      return questionMessages(reads, effect.eventId, effect.questionId);
    case 'questionSettingsChanged':
      return [message(effect.eventId, EVERYONE, 'questions:settings', { settings: publicSettings(questionSettings(reads, effect.eventId)) })];
    case 'faqChanged':
      return [
        message(effect.eventId, ['staff'], 'faq:updated', { entries: faqEntries(reads, effect.eventId, true) }),
        message(effect.eventId, [...ROOM, 'public'], 'faq:updated', { entries: faqEntries(reads, effect.eventId, false) }),
      ];
    case 'evaluationChanged':
    case 'evaluationStarted': {
      const forRoom = effect.type === 'evaluationStarted' || effect.forRoom;
      return [
        message(effect.eventId, ['staff'], 'evaluation:updated', { evaluation: evaluationView(reads, effect.eventId, effect.stepId, 'staff') }),
        ...(forRoom ? [message(effect.eventId, ROOM, 'evaluation:updated', { evaluation: evaluationView(reads, effect.eventId, effect.stepId, 'room') })] : []),
      ];
    }
    case 'evaluationAnswered':
      return [message(effect.eventId, ['person'], 'evaluation:mine', effect.mine, { participantId: effect.participantId, exceptCaller: true })];
    case 'retentionChanged':
    case 'purged':
      return [message(effect.eventId, EVERYONE, 'retention:updated', retentionOf(reads, effect.eventId))];
    case 'presenceDue':
      return presenceMessages(reads, effect.eventId, effect.connected);
    case 'presenceChanged':
    case 'staffLinkRotated':
    case 'boardChanged':
    case 'callerBecame':
    case 'callerFollowsFaq':
      return [];
  }
}

function questionMessages(reads: Reads, eventId: string, questionId: string): Message[] {
  const question = reads.repos.questions.get(eventId, questionId) ?? null;
  const hidden = reads.repos.questions.hiddenByReason(eventId);
  return [
    message(eventId, ['staff'], 'question:updated', { questionId, question: questionFor(question, 'staff'), hidden }),
    message(eventId, ROOM, 'question:updated', { questionId, question: questionFor(question, 'room'), hidden }),
  ];
}

/** Facilitators: counts by category (small cells suppressed); the projector: totals only; participants: nothing. */
function presenceMessages(reads: Reads, eventId: string, connected: number): Message[] {
  const detail = presenceForStaff(reads, eventId, connected);
  if (!detail) return [];
  return [message(eventId, ['staff'], 'presence:updated', detail), message(eventId, ['projector'], 'presence:updated', { connected, joined: detail.joined })];
}
