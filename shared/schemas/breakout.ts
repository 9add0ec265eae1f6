import { z } from 'zod';
import { EventScoped, Id, text } from './common.ts';
import { ASSIGN_MODES } from './limits.ts';

export { ASSIGN_MODES };
import type { Broadcast } from './message.ts';

export const AssignMode = z.enum(ASSIGN_MODES);
export type AssignMode = z.infer<typeof AssignMode>;

export const MAX_GROUPS = 200;
export const DEFAULT_GROUP_SIZE = 8;

/**
 * How a breakout step makes its groups: a number of groups or a target size, optional names, the task
 * every group sees, and world café rounds. Which axes' boards the groups work on is the step's `axes`.
 */
export const BreakoutSpec = z.object({
  mode: AssignMode.default('balanced'),
  /** A number of groups; absent, groups of `size`. */
  count: z.number().int().min(1).max(MAX_GROUPS).optional(),
  size: z.number().int().min(2).max(50).default(DEFAULT_GROUP_SIZE),
  /** Group names in order (Table 1, Table 2… where absent). */
  names: z.array(text(0, 40)).max(MAX_GROUPS).default([]),
  task: text(0, 500).default(''),
  /** World café: rounds within the step, re-mixed between rounds; hosts stay. */
  rounds: z.number().int().min(1).max(10).default(1),
  /** Self-select: most people per group (absent: the target size). */
  cap: z.number().int().min(1).max(100).optional(),
});
export type BreakoutSpec = z.output<typeof BreakoutSpec>;

const StepScoped = EventScoped.extend({ stepId: Id });

/** Move a person (and whoever shares their device) to a group; null: take them out of every group. */
export const GroupMove = StepScoped.extend({ participantId: Id, groupId: Id.nullable() });
/** Name a group's host (null: no host). The host sits at that group in every round. */
export const GroupHost = StepScoped.extend({ groupId: Id, participantId: Id.nullable() });
/** Self-select: a participant picks a group, up to its cap. */
export const GroupChoose = StepScoped.extend({ groupId: Id });
/** A group says it is done (or not yet). */
export const GroupDone = StepScoped.extend({ groupId: Id, done: z.boolean() });
/** A message to one group only. */
export const GroupMessage = StepScoped.extend({ groupId: Id, text: text(1, 280) });
/** Which group the projector shows in the harvest (null: all). */
export const BreakoutShow = StepScoped.extend({ groupId: Id.nullable() });
/** Groups again (after "back to plenary"), or back to plenary. */
export const BreakoutPhase = StepScoped.extend({ phase: z.enum(['groups', 'plenary']) });

export interface GroupMember {
  id: string;
  displayName: string | null;
  /** Facilitators only: to balance tables by hand. */
  category?: string | null;
  territory?: string | null;
}

export interface GroupView {
  id: string;
  number: number;
  name: string | null;
  hostId: string | null;
  hostName: string | null;
  done: boolean;
  size: number;
  /** Facilitators: everyone; projector: display names where given. */
  members: GroupMember[];
  message: Broadcast | null;
}

/** What facilitators and the projector see of a running breakout step. */
export interface BreakoutView {
  stepId: string;
  mode: AssignMode;
  round: number;
  rounds: number;
  phase: 'groups' | 'plenary';
  shownGroupId: string | null;
  groups: GroupView[];
  /** Facilitators only: people not in a group this round. */
  unassigned: GroupMember[];
}

/** What a participant sees of their own group. */
export interface MyGroup {
  stepId: string;
  id: string;
  number: number;
  name: string | null;
  hostName: string | null;
  isHost: boolean;
  task: string;
  axes: string[] | null;
  round: number;
  rounds: number;
  phase: 'groups' | 'plenary';
  done: boolean;
  message: Broadcast | null;
}

/** Self-select: the groups a participant may choose from, with room left. */
export interface GroupChoice {
  id: string;
  number: number;
  name: string | null;
  size: number;
  cap: number;
}
