import type { ServerEvents, Snapshot } from '../../shared/protocol.ts';
import type { BreakoutView, GroupChoice, MyGroup } from '../../shared/schemas/breakout.ts';
import { t } from '../i18n.svelte.ts';
import { send } from '../socket.ts';
import type { CommandOutcome } from '../state/outcome.ts';

/**
 * Breakout groups as this screen knows them: the whole picture for facilitators and the projector,
 * one's own table for a participant. Replaced by each snapshot; socket.ts applies the server events.
 */
class GroupState {
  breakout = $state<BreakoutView | null>(null);
  group = $state<MyGroup | null>(null);
  choices = $state<GroupChoice[] | null>(null);

  /** A participant picks a table (when the round lets people choose). */
  choose(eventId: string, stepId: string, groupId: string): Promise<CommandOutcome<'group:choose'>> {
    return send('group:choose', { eventId, stepId, groupId });
  }

  /** A table says it is done (or not yet). */
  markDone(eventId: string, stepId: string, groupId: string, done: boolean): Promise<CommandOutcome<'group:done'>> {
    return send('group:done', { eventId, stepId, groupId, done });
  }

  applySnapshot(snapshot: Snapshot): void {
    this.breakout = snapshot.breakout;
    this.group = snapshot.group;
    this.choices = snapshot.groupChoices;
  }

  breakoutUpdated({ breakout }: ServerEvents['breakout:updated']): void {
    this.breakout = breakout;
  }

  groupUpdated({ group, choices }: ServerEvents['group:updated']): void {
    this.group = group;
    this.choices = choices;
  }

  clear(): void {
    this.breakout = null;
    this.group = null;
    this.choices = null;
  }
}

export const groupState = new GroupState();

/** "Table 3", or the name the facilitator gave it. */
export function groupLabel(g: { number: number; name: string | null }): string {
  return g.name || t('group.number', { number: g.number });
}
