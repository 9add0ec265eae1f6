/**
 * The one protocol: every command a client sends and every event the server pushes.
 * Socket.IO's `Server<ClientToServer, ServerToClient>` and the client socket are typed from it, and
 * docs/PROTOCOL.md is generated from it (npm run docs:protocol; a test fails when they differ).
 */
import type { z } from 'zod';
import type { ErrorCode } from './domain/errors.ts';
import type { TimerState } from './domain/timer.ts';
import {
  EventCreate,
  EventLookup,
  EventPurge,
  EventRef,
  EventRetention,
  EventRotate,
  type CreatedEvent,
  type EventInfo,
  type EventLinks,
  type Retention,
} from './schemas/event.ts';
import { MessageSend, type Broadcast } from './schemas/message.ts';
import { ParticipantAdd, ParticipantJoin, ParticipantRename, ProfileSet, type Joined, type Me } from './schemas/participant.ts';
import { BoardProject, BoardPromote, CardEdit, CardMove, CardRemove, type Card } from './schemas/board.ts';
import {
  BreakoutPhase,
  BreakoutShow,
  GroupChoose,
  GroupDone,
  GroupHost,
  GroupMessage,
  GroupMove,
  type BreakoutView,
  type GroupChoice,
  type MyGroup,
} from './schemas/breakout.ts';
import type { PresenceCounts, PresenceDetail } from './schemas/presence.ts';
import {
  VoteConfigure,
  VoteDot,
  VoteImport,
  VoteItemAdd,
  VoteItemRemove,
  VoteItemsMerge,
  VoteItemUpdate,
  VotePaper,
  VoteRef,
  VoteRetain,
  VoteRunoff,
  type ItemTally,
  type MyDots,
  type VoteItem,
  type VoteView,
} from './schemas/vote.ts';
import {
  FaqCreate,
  FaqPublic,
  FaqRemove,
  FaqUpdate,
  QuestionAnswer,
  QuestionAsk,
  QuestionMerge,
  QuestionMine,
  QuestionModerate,
  QuestionsConfigure,
  QuestionSupport,
  QuestionWithdraw,
  type FaqEntry,
  type HideReason,
  type PublicFaq,
  type Question,
  type QuestionSettings,
  type QuestionsView,
} from './schemas/question.ts';
import {
  EvaluationAnswer,
  EvaluationConfigure,
  EvaluationModerate,
  EvaluationStatus,
  type EvaluationComment,
  type EvaluationView,
  type MyEvaluation,
} from './schemas/evaluation.ts';
import { StepAdd, StepMove, StepRef, StepStart, StepUpdate, TimerControl, type Step } from './schemas/step.ts';

export interface CommandSpec {
  payload: z.ZodType;
  /** Besides invalid_payload, forbidden, rate_limited and internal, which any command may answer. */
  errors: readonly ErrorCode[];
  summary: string;
}

export const commands = {
  'event:create': { payload: EventCreate, errors: ['axis_unknown'], summary: 'Create an event. Anyone may; the answer holds the secret links.' },
  'event:lookup': { payload: EventLookup, errors: ['join_code_unknown'], summary: 'What a join code leads to (title, date, place), before joining.' },
  'event:links': { payload: EventRef, errors: ['event_not_found'], summary: 'Show the secret links and the QR code again.' },
  'event:rotate': {
    payload: EventRotate,
    errors: ['event_not_found'],
    summary: 'Replace one staff link (a leaked one, say): the new link works at once, the old one is refused, and screens that used it are signed out.',
  },
  'participant:join': {
    payload: ParticipantJoin,
    errors: ['join_code_unknown', 'event_purged'],
    summary:
      'Join with a code. The answer holds the token this device keeps; a guest’s socket then acts as that participant (a participant’s socket stays who it is).',
  },
  'participant:rename': { payload: ParticipantRename, errors: ['participant_not_found'], summary: 'Change or remove one’s display name.' },
  'participant:add': {
    payload: ParticipantAdd,
    errors: ['event_not_found', 'profile_value_unknown'],
    summary: 'Add a person who has no phone, so that they count.',
  },
  'profile:set': {
    payload: ProfileSet,
    errors: ['event_not_found', 'event_purged', 'participant_not_found', 'profile_value_unknown'],
    summary: 'Answer or skip the optional profile questions. consent: false erases any stored profile.',
  },
  'state:get': { payload: EventRef, errors: ['event_not_found'], summary: 'The whole current state for the caller’s role (also pushed on connect).' },
  'step:add': { payload: StepAdd, errors: ['step_not_found', 'axis_unknown'], summary: 'Add a step to the run sheet, after a given step or at the end.' },
  'step:update': {
    payload: StepUpdate,
    errors: ['step_not_found', 'axis_unknown'],
    summary: 'Edit a step’s kind, title, notes, planned minutes or start time.',
  },
  'step:remove': { payload: StepRef, errors: ['step_not_found', 'step_active'], summary: 'Remove a step that is not running.' },
  'step:move': { payload: StepMove, errors: ['step_not_found'], summary: 'Move a step to another place in the run sheet.' },
  'step:start': { payload: StepStart, errors: ['step_not_found'], summary: 'Make a step the current one on every screen (null: back to the welcome screen).' },
  'timer:control': {
    payload: TimerControl,
    errors: ['step_not_found', 'timer_running', 'timer_not_running', 'timer_idle'],
    summary: 'Start, pause, reset or extend (seconds, may be negative) a step’s timer.',
  },
  'message:send': { payload: MessageSend, errors: [], summary: 'Show a short message on every screen of the event.' },
  'board:card:edit': {
    payload: CardEdit,
    errors: ['board_not_found', 'board_closed', 'board_locked', 'card_not_found', 'card_not_yours'],
    summary: 'The author changes the text or colour of their own card, proving it with the card’s token.',
  },
  'board:card:remove': {
    payload: CardRemove,
    errors: ['board_not_found', 'board_closed', 'board_locked', 'card_not_found', 'card_not_yours'],
    summary: 'The author deletes their own card, proving it with the card’s token.',
  },
  'board:card:move': {
    payload: CardMove,
    errors: ['board_not_found', 'card_not_found', 'axis_unknown'],
    summary: 'A facilitator moves a card to the board of another axis (same plenary or group).',
  },
  'board:promote': {
    payload: BoardPromote,
    errors: ['board_not_found', 'board_is_plenary', 'card_not_found', 'board_closed', 'board_locked'],
    summary: 'Report-back: a card or a cluster of a group board goes to the plenary board of its axis, with its origin.',
  },
  'board:project': {
    payload: BoardProject,
    errors: ['event_not_found', 'axis_unknown'],
    summary: 'Choose the axis the projector shows (null: it turns through the open axes).',
  },
  'group:move': {
    payload: GroupMove,
    errors: ['step_not_found', 'breakout_not_started', 'group_not_found', 'participant_not_found'],
    summary: 'Move a person, with whoever shares their device, to a group (null: out of every group) for the current round.',
  },
  'group:host': {
    payload: GroupHost,
    errors: ['step_not_found', 'breakout_not_started', 'group_not_found', 'participant_not_found'],
    summary: 'Name a group’s host (null: none). The host sits at that group in every round and may report back its cards.',
  },
  'group:choose': {
    payload: GroupChoose,
    errors: ['step_not_found', 'breakout_not_started', 'group_not_found', 'group_choice_closed', 'group_full'],
    summary: 'Self-select: a participant picks a group while it has room.',
  },
  'group:done': {
    payload: GroupDone,
    errors: ['step_not_found', 'breakout_not_started', 'group_not_found', 'not_in_group'],
    summary: 'A group (its members or host) or a facilitator says the group is done, or not yet.',
  },
  'group:message': {
    payload: GroupMessage,
    errors: ['step_not_found', 'breakout_not_started', 'group_not_found'],
    summary: 'Show a short message to one group only.',
  },
  'breakout:round': {
    payload: StepRef,
    errors: ['step_not_found', 'breakout_not_started', 'rounds_over'],
    summary: 'World café: the next round. People are re-mixed so that few meet again; hosts stay; the timer restarts.',
  },
  'breakout:phase': {
    payload: BreakoutPhase,
    errors: ['step_not_found', 'breakout_not_started'],
    summary: '“Back to plenary” (phase plenary) or back to the groups.',
  },
  'breakout:show': {
    payload: BreakoutShow,
    errors: ['step_not_found', 'breakout_not_started', 'group_not_found'],
    summary: 'Harvest: the group the projector shows (null: all groups).',
  },
  'vote:item:add': {
    payload: VoteItemAdd,
    errors: ['vote_not_found', 'vote_already_open', 'axis_unknown'],
    summary: 'Add a typed item to a vote that is not open yet.',
  },
  'vote:item:update': {
    payload: VoteItemUpdate,
    errors: ['vote_not_found', 'vote_already_open', 'vote_item_unknown'],
    summary: 'Edit an item’s text before the vote opens.',
  },
  'vote:item:remove': {
    payload: VoteItemRemove,
    errors: ['vote_not_found', 'vote_already_open', 'vote_item_unknown'],
    summary: 'Remove an item before the vote opens.',
  },
  'vote:items:merge': {
    payload: VoteItemsMerge,
    errors: ['vote_not_found', 'vote_already_open', 'vote_item_unknown'],
    summary: 'Merge items before the vote opens; the kept item records the cards of the others.',
  },
  'vote:import': {
    payload: VoteImport,
    errors: ['vote_not_found', 'vote_already_open', 'axis_unknown'],
    summary: 'Add the promoted items, clusters or cards of plenary boards as items, with their origin (once each).',
  },
  'vote:configure': {
    payload: VoteConfigure,
    errors: ['vote_not_found', 'vote_already_open'],
    summary: 'Dots per person (null: items ÷ 3), dots per item, hidden or live tallies.',
  },
  'vote:open': {
    payload: VoteRef,
    errors: ['vote_not_found', 'vote_already_open', 'vote_empty'],
    summary: 'Open the vote: items are frozen, people place their dots.',
  },
  'vote:dot': {
    payload: VoteDot,
    errors: ['vote_not_found', 'vote_not_open', 'vote_item_unknown', 'vote_budget_spent', 'vote_cap_reached', 'vote_no_dot_here'],
    summary: 'Put a dot on an item (+1) or take one back (−1). Budget and cap are checked at once; the answer is the person’s dots.',
  },
  'vote:close': {
    payload: VoteRef,
    errors: ['vote_not_found', 'vote_not_open'],
    summary: 'Close the vote: dots are frozen, items ranked (ties shown), results revealed.',
  },
  'vote:paper': {
    payload: VotePaper,
    errors: ['vote_not_found', 'vote_not_open', 'vote_item_unknown', 'profile_value_unknown'],
    summary: 'Dots counted on a paper poster, in total or for a category; a new entry corrects the previous one (all are kept).',
  },
  'vote:retain': {
    payload: VoteRetain,
    errors: ['vote_not_found', 'vote_not_closed', 'vote_item_unknown'],
    summary: 'Mark a priority retained or not, for the bilan.',
  },
  'vote:runoff': {
    payload: VoteRunoff,
    errors: ['vote_not_found', 'vote_not_closed', 'vote_runoff_too_few'],
    summary: 'A run-off vote step right after this one, with the top K items (and those tied with them) or the items tied at a rank.',
  },
  'message:clear': { payload: EventRef, errors: [], summary: 'Take the message down.' },
  'question:ask': {
    payload: QuestionAsk,
    errors: ['event_not_found', 'questions_closed', 'named_not_allowed'],
    summary:
      'Ask a question, anonymously unless the event allows names and the person signs. Only the hash of ownerToken (fresh per question, kept by the device) is stored.',
  },
  'question:mine': {
    payload: QuestionMine,
    errors: ['event_not_found'],
    summary: 'The questions this device asked, whatever their status, found by their owner tokens.',
  },
  'question:withdraw': {
    payload: QuestionWithdraw,
    errors: ['question_not_found', 'question_not_yours'],
    summary: 'The asker takes back a question, proving it with its owner token.',
  },
  'question:support': {
    payload: QuestionSupport,
    errors: ['question_not_found'],
    summary: 'Support a question on view (true) or take the support back (false): once per person, kept by a database constraint.',
  },
  'question:moderate': {
    payload: QuestionModerate,
    errors: ['question_not_found'],
    summary: 'Approve a question, hide it with a reason category, or restore it. Everyone sees how many were hidden and why.',
  },
  'question:merge': {
    payload: QuestionMerge,
    errors: ['question_not_found'],
    summary: 'Merge duplicates into one question: supporters are counted once each, the original texts are kept.',
  },
  'question:answer': {
    payload: QuestionAnswer,
    errors: ['question_not_found'],
    summary: 'Write an answer, mark a question answered live, or tag it with an axis or a theme.',
  },
  'questions:configure': {
    payload: QuestionsConfigure,
    errors: ['event_not_found', 'question_not_found'],
    summary: 'Pre-moderation on or off, questions at any time, the question being answered, what the projector shows.',
  },
  'faq:create': { payload: FaqCreate, errors: ['question_not_found'], summary: 'A draft FAQ entry compiled from a question (its text, answer and theme).' },
  'faq:update': { payload: FaqUpdate, errors: ['faq_entry_not_found'], summary: 'Edit an FAQ entry, or move it between draft and published.' },
  'faq:remove': { payload: FaqRemove, errors: ['faq_entry_not_found'], summary: 'Delete an FAQ entry (the questions stay).' },
  'faq:public': {
    payload: FaqPublic,
    errors: ['event_not_found'],
    summary: 'The published FAQ behind a public link, for anyone; the socket then hears its updates live.',
  },
  'evaluation:configure': {
    payload: EvaluationConfigure,
    errors: ['evaluation_not_found', 'evaluation_has_answers'],
    summary: 'Set the evaluation form (1-to-5 scales and open questions) until the first answer comes in.',
  },
  'evaluation:answer': {
    payload: EvaluationAnswer,
    errors: ['evaluation_not_found', 'evaluation_closed', 'evaluation_answer_invalid'],
    summary: 'Answer the evaluation anonymously, once per person; sent again, the answers replace the previous ones.',
  },
  'evaluation:status': { payload: EvaluationStatus, errors: ['evaluation_not_found'], summary: 'Close the evaluation (open: false), or open it again.' },
  'event:retention': {
    payload: EventRetention,
    errors: ['event_not_found', 'purge_date_past'],
    summary: 'Set the day the personal data is purged (Loi 25), or none. The console reminds organizers to export before it.',
  },
  'event:purge': {
    payload: EventPurge,
    errors: ['event_not_found', 'purge_not_confirmed'],
    summary: 'Purge now, confirmed with the join code: names, profiles and participant tokens are deleted; anonymous content and aggregates stay.',
  },
  'evaluation:moderate': {
    payload: EvaluationModerate,
    errors: ['evaluation_not_found', 'comment_not_found'],
    summary: 'Approve or hide an open comment. Only approved comments go in the results shown and the bilan.',
  },
} as const satisfies Record<string, CommandSpec>;

export type CommandName = keyof typeof commands;
export const COMMAND_NAMES = Object.keys(commands) as CommandName[];
export type CommandInput<N extends CommandName> = z.input<(typeof commands)[N]['payload']>;
export type CommandPayload<N extends CommandName> = z.output<(typeof commands)[N]['payload']>;

export type Role = 'facilitator' | 'cofacilitator' | 'projector' | 'participant';

export interface AddedParticipant {
  id: string;
  displayName: string | null;
}

export interface JoinInfo {
  /** The join link with the code, e.g. https://forum.example.org/j/ACDEFG. */
  url: string;
  /** The public address without the code, to read aloud: forum.example.org/j */
  address: string;
  code: string;
  qrUrl: string;
}

/** The whole state a screen needs; what it holds depends on the role. */
export interface Snapshot {
  role: Role;
  event: EventInfo;
  /** The run sheet: facilitators only. */
  steps: Step[] | null;
  currentStep: Step | null;
  message: Broadcast | null;
  /** Counts for the projector, counts by category for facilitators, nothing for participants. */
  presence: PresenceCounts | PresenceDetail | null;
  /** People added by a facilitator (no phone): facilitators only. */
  addedParticipants: AddedParticipant[] | null;
  /** Where people join: the public address and its QR image (not secret; the projector shows them). */
  join: JoinInfo;
  me: Me | null;
  /** The axis the projector shows during a board step (null: it turns through the open axes). */
  projectedAxis: string | null;
  /** The running breakout step's groups: facilitators and the projector. */
  breakout: BreakoutView | null;
  /** A participant's own group in the running breakout step, and in self-select the groups with room. */
  group: MyGroup | null;
  groupChoices: GroupChoice[] | null;
  /** The current step's vote, as the caller may see it. */
  vote: VoteView | null;
  /** A participant's own dots in it. */
  myDots: MyDots | null;
  /** Questions as the caller may see them (facilitators: all, with the pending ones). */
  questions: QuestionsView;
  /** The FAQ: facilitators see drafts too; everyone else the published entries. */
  faq: FaqEntry[];
  /** The public read-only FAQ page: facilitators only. */
  faqUrl: string | null;
  /** The current step's evaluation (facilitators: with live results). */
  evaluation: EvaluationView | null;
  /** A participant's own answers to it. */
  myEvaluation: MyEvaluation | null;
  /** When personal data is (or was) purged. */
  retention: Retention;
  serverNow: number;
}

export interface CommandResults {
  'event:create': CreatedEvent;
  'event:lookup': Pick<EventInfo, 'title' | 'date' | 'place' | 'locale'>;
  'event:links': EventLinks;
  'event:rotate': EventLinks;
  'participant:join': Joined;
  'participant:rename': Me;
  'participant:add': { participantId: string; displayName: string | null };
  'profile:set': Me;
  'state:get': Snapshot;
  'step:add': Step;
  'step:update': Step;
  'step:remove': { stepId: string };
  'step:move': { order: string[] };
  'step:start': { currentStepId: string | null };
  'timer:control': { stepId: string; timer: TimerState };
  'message:send': Broadcast;
  'message:clear': null;
  'board:card:edit': { card: Card };
  'board:card:remove': { cardId: string };
  'board:card:move': { board: string; card: Card };
  'board:promote': { board: string; card: Card };
  'board:project': { axis: string | null };
  'group:move': { participantIds: string[]; groupId: string | null };
  'group:host': { groupId: string; participantId: string | null };
  'group:choose': MyGroup;
  'group:done': { groupId: string; done: boolean };
  'group:message': Broadcast;
  'breakout:round': { round: number };
  'breakout:phase': { phase: 'groups' | 'plenary' };
  'breakout:show': { groupId: string | null };
  'vote:item:add': VoteItem;
  'vote:item:update': VoteItem;
  'vote:item:remove': { itemId: string };
  'vote:items:merge': VoteItem;
  'vote:import': { added: VoteItem[] };
  'vote:configure': VoteView;
  'vote:open': { status: 'open' };
  'vote:dot': MyDots;
  'vote:close': { status: 'closed' };
  'vote:paper': { itemId: string; category: string | null; count: number };
  'vote:retain': { itemId: string; retained: boolean | null };
  'vote:runoff': { stepId: string; items: number };
  'question:ask': { question: Question };
  'question:mine': { questions: Question[] };
  'question:withdraw': { questionId: string };
  'question:support': { questionId: string; supported: boolean; supports: number };
  'question:moderate': { question: Question };
  'question:merge': { question: Question };
  'question:answer': { question: Question };
  'questions:configure': QuestionSettings;
  'faq:create': FaqEntry;
  'faq:update': FaqEntry;
  'faq:remove': { entryId: string };
  'faq:public': PublicFaq;
  'evaluation:configure': EvaluationView;
  'evaluation:answer': MyEvaluation;
  'evaluation:status': { status: 'open' | 'closed' };
  'evaluation:moderate': EvaluationComment;
  'event:retention': Retention;
  'event:purge': Retention;
}

export type Ack<T> = { ok: true; data: T } | { ok: false; code: ErrorCode };

export type ClientToServer = {
  [N in CommandName]: (payload: CommandInput<N>, ack: (result: Ack<CommandResults[N]>) => void) => void;
};

export interface ServerEvents {
  'state:snapshot': Snapshot;
  'step:started': { currentStep: Step | null; serverNow: number };
  'runsheet:updated': { steps: Step[]; currentStepId: string | null };
  'timer:updated': { stepId: string; timer: TimerState; serverNow: number };
  'message:sent': { message: Broadcast | null };
  'presence:updated': PresenceCounts | PresenceDetail;
  'me:updated': Me;
  'roster:updated': { addedParticipants: AddedParticipant[] };
  'board:projected': { axis: string | null };
  'breakout:updated': { breakout: BreakoutView | null };
  'group:updated': { group: MyGroup | null; choices: GroupChoice[] | null };
  'vote:updated': { vote: VoteView | null };
  'vote:tally': { stepId: string; tallies: ItemTally[]; voters: number };
  'vote:mine': MyDots;
  'question:updated': { questionId: string; question: Question | null; hidden: Partial<Record<HideReason, number>> };
  'questions:settings': { settings: QuestionSettings };
  'faq:updated': { entries: FaqEntry[] };
  'evaluation:updated': { evaluation: EvaluationView | null };
  'evaluation:mine': MyEvaluation;
  'retention:updated': Retention;
}

export type ServerToClient = { [E in keyof ServerEvents]: (payload: ServerEvents[E]) => void };

export const serverEventDocs: Record<keyof ServerEvents, { to: string; summary: string }> = {
  'state:snapshot': { to: 'the connecting socket', summary: 'Sent on every (re)connection: replace all local state with it.' },
  'step:started': { to: 'everyone in the event', summary: 'The current step changed (or was edited).' },
  'runsheet:updated': { to: 'facilitators', summary: 'The run sheet changed: steps, order, current step.' },
  'timer:updated': { to: 'everyone in the event', summary: 'A step timer started, paused, was reset or extended.' },
  'message:sent': { to: 'everyone in the event', summary: 'A facilitator message was shown (or cleared: null).' },
  'presence:updated': { to: 'facilitators (by category) and the projector (counts)', summary: 'Connected and joined counts.' },
  'me:updated': { to: 'the participant’s own sockets', summary: 'The participant’s name, consent or profile changed.' },
  'roster:updated': { to: 'facilitators', summary: 'The list of people added without a phone changed.' },
  'board:projected': { to: 'everyone in the event', summary: 'The axis the projector shows changed (null: it turns through the open axes).' },
  'breakout:updated': {
    to: 'facilitators (everyone, with profiles) and the projector (display names where given)',
    summary: 'The groups of the running breakout step changed: placement, round, hosts, done, phase.',
  },
  'group:updated': { to: 'each participant, about their own group only', summary: 'Your group (or none), and in self-select the groups with room.' },
  'vote:updated': {
    to: 'facilitators (with tallies), everyone else (tallies only once closed, or live)',
    summary: 'A vote changed: items, rules, status, results.',
  },
  'vote:tally': {
    to: 'facilitators; everyone else only for a live vote',
    summary: 'Tallies, coalesced: at most about 10 a second per vote, never one per dot.',
  },
  'vote:mine': { to: 'the participant’s other screens', summary: 'The person’s own dots after a change made on another of their screens.' },
  'question:updated': {
    to: 'facilitators (every question); everyone else (the question if on view, else null so that screens drop it)',
    summary: 'A question was asked, supported, moderated, merged or answered; with the counts of hidden questions by reason.',
  },
  'questions:settings': {
    to: 'everyone in the event',
    summary: 'Pre-moderation, questions at any time, the question being answered, what the projector shows.',
  },
  'faq:updated': { to: 'facilitators (drafts too); everyone else and the public FAQ page (published entries)', summary: 'The FAQ changed.' },
  'evaluation:updated': { to: 'facilitators (with live results); everyone else (the form)', summary: 'The evaluation’s form, status or results changed.' },
  'evaluation:mine': { to: 'the participant’s other screens', summary: 'The person’s own evaluation answers after a change made on another screen.' },
  'retention:updated': { to: 'everyone in the event', summary: 'The purge day was set or changed, or the purge was done.' },
};

/** What a socket presents in its handshake (`io(url, { auth })`). */
export interface HandshakeAuth {
  /** A facilitator, co-facilitator, projector or participant token. None: a guest who may create, look up or join. */
  token?: string;
  /** Other participants held by the same shared device: they count as connected too. */
  deviceTokens?: string[];
}
