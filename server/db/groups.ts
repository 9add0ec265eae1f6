import type { Db } from './index.ts';
import type { Broadcast } from '../../shared/schemas/message.ts';

export interface StoredBreakout {
  stepId: string;
  eventId: string;
  seed: string;
  round: number;
  phase: 'groups' | 'plenary';
  shownGroupId: string | null;
}

export interface StoredGroup {
  id: string;
  stepId: string;
  number: number;
  name: string | null;
  hostId: string | null;
  done: boolean;
  message: Broadcast | null;
}

interface GroupRow {
  id: string;
  step_id: string;
  number: number;
  name: string | null;
  host_id: string | null;
  done: number;
  message_text: string | null;
  message_sent_at: number | null;
}

function toGroup(r: GroupRow): StoredGroup {
  return {
    id: r.id,
    stepId: r.step_id,
    number: r.number,
    name: r.name,
    hostId: r.host_id,
    done: r.done === 1,
    message: r.message_text === null ? null : { text: r.message_text, sentAt: r.message_sent_at ?? 0 },
  };
}

/** Breakout steps once started: their groups and who sits where, round by round. */
export function groupsRepo(db: Db) {
  const getBreakout = db.prepare<[string], { step_id: string; event_id: string; seed: string; round: number; phase: string; shown_group: string | null }>(
    'SELECT * FROM breakouts WHERE step_id = ?',
  );
  const insertBreakout = db.prepare<[string, string, string]>('INSERT INTO breakouts (step_id, event_id, seed) VALUES (?, ?, ?)');
  const setRound = db.prepare<[number, string]>("UPDATE breakouts SET round = ?, phase = 'groups' WHERE step_id = ?");
  const setPhase = db.prepare<[string, string]>('UPDATE breakouts SET phase = ? WHERE step_id = ?');
  const setShown = db.prepare<[string | null, string]>('UPDATE breakouts SET shown_group = ? WHERE step_id = ?');
  const insertGroup = db.prepare<[string, string, string, number, string | null]>(
    'INSERT INTO groups (id, step_id, event_id, number, name) VALUES (?, ?, ?, ?, ?)',
  );
  const groupsOf = db.prepare<[string], GroupRow>('SELECT * FROM groups WHERE step_id = ? ORDER BY number');
  const groupById = db.prepare<[string, string], GroupRow>('SELECT * FROM groups WHERE id = ? AND event_id = ?');
  const setHost = db.prepare<[string | null, string]>('UPDATE groups SET host_id = ? WHERE id = ?');
  const clearHost = db.prepare<[string, string]>('UPDATE groups SET host_id = NULL WHERE step_id = ? AND host_id = ?');
  const setDone = db.prepare<[number, string]>('UPDATE groups SET done = ? WHERE id = ?');
  const resetDone = db.prepare<[string]>('UPDATE groups SET done = 0 WHERE step_id = ?');
  const setMessage = db.prepare<[string, number, string]>('UPDATE groups SET message_text = ?, message_sent_at = ? WHERE id = ?');
  const members = db.prepare<[string, number], { participant_id: string; group_id: string }>(
    'SELECT participant_id, group_id FROM group_members WHERE step_id = ? AND round = ?',
  );
  const memberOf = db.prepare<[string, number, string], { group_id: string }>(
    'SELECT group_id FROM group_members WHERE step_id = ? AND round = ? AND participant_id = ?',
  );
  const everMember = db.prepare<[string, string], { n: number }>('SELECT 1 AS n FROM group_members WHERE group_id = ? AND participant_id = ? LIMIT 1');
  const place = db.prepare<[string, number, string, string]>(
    'INSERT INTO group_members (step_id, round, participant_id, group_id) VALUES (?, ?, ?, ?) ON CONFLICT (step_id, round, participant_id) DO UPDATE SET group_id = excluded.group_id',
  );
  const unplace = db.prepare<[string, number, string]>('DELETE FROM group_members WHERE step_id = ? AND round = ? AND participant_id = ?');
  const roundsOf = db.prepare<[string], { round: number; participant_id: string; group_id: string }>(
    'SELECT round, participant_id, group_id FROM group_members WHERE step_id = ? ORDER BY round',
  );

  return {
    breakout(stepId: string): StoredBreakout | undefined {
      const r = getBreakout.get(stepId);
      return (
        r && { stepId: r.step_id, eventId: r.event_id, seed: r.seed, round: r.round, phase: r.phase as StoredBreakout['phase'], shownGroupId: r.shown_group }
      );
    },
    /** Creates the breakout and its groups, numbered from 1. */
    create(eventId: string, stepId: string, seed: string, groups: { id: string; name: string | null }[]): void {
      insertBreakout.run(stepId, eventId, seed);
      groups.forEach((g, i) => insertGroup.run(g.id, stepId, eventId, i + 1, g.name));
    },
    groups(stepId: string): StoredGroup[] {
      return groupsOf.all(stepId).map(toGroup);
    },
    group(eventId: string, groupId: string): StoredGroup | undefined {
      const r = groupById.get(groupId, eventId);
      return r && toGroup(r);
    },
    /** participantId -> groupId for one round. */
    placement(stepId: string, round: number): Map<string, string> {
      return new Map(members.all(stepId, round).map((r) => [r.participant_id, r.group_id]));
    },
    /** Every round so far, in order: participantId -> groupId. */
    rounds(stepId: string): Map<string, string>[] {
      const out: Map<string, string>[] = [];
      for (const r of roundsOf.all(stepId)) (out[r.round - 1] ??= new Map()).set(r.participant_id, r.group_id);
      return out.map((m) => m ?? new Map<string, string>());
    },
    groupOf(stepId: string, round: number, participantId: string): string | undefined {
      return memberOf.get(stepId, round, participantId)?.group_id;
    },
    /** Whether someone sat at this group in any round (they may read its boards). */
    wasMember(groupId: string, participantId: string): boolean {
      return everMember.get(groupId, participantId) !== undefined;
    },
    place(stepId: string, round: number, participantId: string, groupId: string | null): void {
      if (groupId === null) unplace.run(stepId, round, participantId);
      else place.run(stepId, round, participantId, groupId);
    },
    setRound(stepId: string, round: number): void {
      setRound.run(round, stepId);
      resetDone.run(stepId);
    },
    setPhase(stepId: string, phase: StoredBreakout['phase']): void {
      setPhase.run(phase, stepId);
    },
    setShown(stepId: string, groupId: string | null): void {
      setShown.run(groupId, stepId);
    },
    setHost(stepId: string, groupId: string, participantId: string | null): void {
      // One table per host.
      if (participantId) clearHost.run(stepId, participantId);
      setHost.run(participantId, groupId);
    },
    setDone(groupId: string, done: boolean): void {
      setDone.run(done ? 1 : 0, groupId);
    },
    setMessage(groupId: string, message: Broadcast): void {
      setMessage.run(message.text, message.sentAt, groupId);
    },
  };
}
