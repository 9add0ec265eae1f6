/**
 * What a command changed, said in the domain's words. A handler returns these with its answer and never
 * touches a socket; the router applies them only once the transaction has committed, through the one
 * module that decides what each audience may see (server/publish.ts).
 */
import type { TimerState } from '../shared/domain/timer.ts';
import type { Broadcast } from '../shared/schemas/message.ts';
import type { MyDots } from '../shared/schemas/vote.ts';
import type { MyEvaluation } from '../shared/schemas/evaluation.ts';
import type { Participant } from './permissions.ts';

/** A change to a board's Yjs document, already stored in the command's transaction; applied to the live copy after. */
export interface BoardChange {
  board: string;
  eventId: string;
  update: Uint8Array;
}

export type Effect =
  /** Steps, their order or the current step changed: the run sheet for facilitators. */
  | { type: 'runSheetChanged'; eventId: string }
  /** The current step (or its content) changed: every screen follows. */
  | { type: 'currentStepChanged'; eventId: string }
  | { type: 'timerChanged'; eventId: string; stepId: string; timer: TimerState }
  | { type: 'messageChanged'; eventId: string; message: Broadcast | null }
  /** A person's own name, consent or profile. */
  | { type: 'meChanged'; eventId: string; participantId: string }
  /** Joined or connected counts, or the profile answers behind them. */
  | { type: 'presenceChanged'; eventId: string }
  /** People added by a facilitator. */
  | { type: 'rosterChanged'; eventId: string }
  | { type: 'projectedAxisChanged'; eventId: string; axis: string | null }
  /** Groups of the running breakout; `only`: the participants whose own group changed (absent: everyone). */
  | { type: 'groupsChanged'; eventId: string; only?: readonly string[] }
  /** A vote's items, rules, status or results. */
  | { type: 'voteChanged'; eventId: string; stepId: string }
  /** A person moved their dots: their other screens follow; tallies are coalesced. */
  | { type: 'dotsChanged'; eventId: string; stepId: string; participantId: string; mine: MyDots }
  /** `supportOnly`: only its support count moved, which reaches screens coalesced. */
  | { type: 'questionChanged'; eventId: string; questionId: string; supportOnly?: boolean }
  | { type: 'questionSettingsChanged'; eventId: string }
  | { type: 'faqChanged'; eventId: string }
  /** `forRoom`: the form or status changed (everyone); otherwise only facilitators' live results did. */
  | { type: 'evaluationChanged'; eventId: string; stepId: string; forRoom: boolean }
  /** An evaluation step started: phones that already answered get their answers back. */
  | { type: 'evaluationStarted'; eventId: string; stepId: string }
  | { type: 'evaluationAnswered'; eventId: string; stepId: string; participantId: string; mine: MyEvaluation }
  | { type: 'retentionChanged'; eventId: string }
  /** Personal data is gone: the WAL is truncated and phones are signed out. */
  | { type: 'purged'; eventId: string }
  | { type: 'boardChanged'; change: BoardChange }
  /** The calling socket, a guest's, now acts as this participant (after joining), with their token. */
  | { type: 'callerBecame'; actor: Participant; token: string }
  /** A staff link was replaced: the screens that used the old one are signed out (the caller's stays). */
  | { type: 'staffLinkRotated'; eventId: string; role: 'facilitator' | 'cofacilitator' | 'projector' }
  /** The calling socket hears the public FAQ page's updates. */
  | { type: 'callerFollowsFaq'; eventId: string }
  // Produced by the publisher itself, once coalesced: never by a handler.
  /** A vote's tallies, at most about 10 a second per vote. */
  | { type: 'talliesDue'; eventId: string; stepId: string }
  /** A question whose supports moved, at most every 200 ms. */
  | { type: 'questionDue'; eventId: string; questionId: string }
  /** Presence counts, coalesced. */
  | { type: 'presenceDue'; eventId: string; connected: number };
