import type { JoinInfo, Role, ServerEvents, Snapshot } from '../../shared/protocol.ts';
import type { EventInfo, Retention } from '../../shared/schemas/event.ts';
import type { Broadcast } from '../../shared/schemas/message.ts';
import type { Me, Profile } from '../../shared/schemas/participant.ts';
import type { PresenceCounts, PresenceDetail } from '../../shared/schemas/presence.ts';
import type { Step } from '../../shared/schemas/step.ts';
import { send } from '../socket.ts';
import { serverClock } from './clock.svelte.ts';
import { device } from './device.svelte.ts';
import type { CommandOutcome } from './outcome.ts';

export type AddedParticipant = NonNullable<Snapshot['addedParticipants']>[number];

function isDetail(presence: PresenceCounts | PresenceDetail | null): presence is PresenceDetail {
  return presence !== null && 'byCategory' in presence;
}

/**
 * What the server told this screen about its event. Replaced whole by each snapshot, then kept up
 * to date by server events (socket.ts calls those methods); a participant's own commands about
 * themselves are shown at once and undone if the server refuses them.
 */
class EventState {
  /** Set once the first snapshot of the current connection arrived. */
  ready = $state(false);
  role = $state<Role | null>(null);
  event = $state<EventInfo | null>(null);
  steps = $state<Step[] | null>(null);
  currentStep = $state<Step | null>(null);
  message = $state<Broadcast | null>(null);
  presence = $state<PresenceCounts | PresenceDetail | null>(null);
  addedParticipants = $state<AddedParticipant[] | null>(null);
  me = $state<Me | null>(null);
  join = $state<JoinInfo | null>(null);
  /** The axis the projector shows during a board step (null: it turns through the open axes). */
  projectedAxis = $state<string | null>(null);
  /** When personal data is (or was) purged. */
  retention = $state<Retention>({ purgeOn: null, purgedOn: null });

  presenceDetail = $derived(isDetail(this.presence) ? this.presence : null);
  isLead = $derived(this.role === 'facilitator');
  isStaff = $derived(this.role === 'facilitator' || this.role === 'cofacilitator');

  /** Changes (or removes, with null) this participant's display name, here and on this device. */
  async rename(eventId: string, displayName: string | null): Promise<CommandOutcome<'participant:rename'>> {
    const me = this.me;
    if (!me) return { ok: false, code: 'participant_not_found' };
    this.me = { ...me, displayName };
    device.renamed(eventId, me.participantId, displayName);
    const result = await send('participant:rename', { eventId, displayName });
    if (!result.ok) {
      this.me = me;
      device.renamed(eventId, me.participantId, me.displayName);
    }
    return result;
  }

  /**
   * Saves the profile and its consent. Shown at once, even offline: the command waits in the queue
   * until the connection is back.
   */
  async setProfile(eventId: string, consent: boolean, profile: Profile): Promise<CommandOutcome<'profile:set'>> {
    const me = this.me;
    if (!me) return { ok: false, code: 'participant_not_found' };
    this.me = { ...me, consent, profile: consent ? profile : null };
    const result = await send('profile:set', { eventId, consent, profile });
    this.me = result.ok ? result.data : me;
    return result;
  }

  applySnapshot(snapshot: Snapshot): void {
    serverClock.sync(snapshot.serverNow);
    this.role = snapshot.role;
    this.event = snapshot.event;
    this.steps = snapshot.steps;
    this.currentStep = snapshot.currentStep;
    this.message = snapshot.message;
    this.presence = snapshot.presence;
    this.addedParticipants = snapshot.addedParticipants;
    this.me = snapshot.me;
    this.join = snapshot.join;
    this.projectedAxis = snapshot.projectedAxis;
    this.retention = snapshot.retention;
    this.ready = true;
  }

  stepStarted({ currentStep, serverNow }: ServerEvents['step:started']): void {
    serverClock.sync(serverNow);
    this.currentStep = currentStep;
    if (currentStep && this.steps) this.steps = this.steps.map((s) => (s.id === currentStep.id ? currentStep : s));
  }

  runSheetUpdated({ steps, currentStepId }: ServerEvents['runsheet:updated']): void {
    this.steps = steps;
    this.currentStep = currentStepId === null ? null : (steps.find((s) => s.id === currentStepId) ?? this.currentStep);
  }

  timerUpdated({ stepId, timer, serverNow }: ServerEvents['timer:updated']): void {
    serverClock.sync(serverNow);
    if (this.currentStep?.id === stepId) this.currentStep = { ...this.currentStep, timer };
    if (this.steps) this.steps = this.steps.map((s) => (s.id === stepId ? { ...s, timer } : s));
  }

  messageSent({ message }: ServerEvents['message:sent']): void {
    this.message = message;
  }

  presenceUpdated(presence: ServerEvents['presence:updated']): void {
    this.presence = presence;
  }

  retentionUpdated(retention: Retention): void {
    this.retention = retention;
  }

  boardProjected({ axis }: ServerEvents['board:projected']): void {
    this.projectedAxis = axis;
  }

  meUpdated(me: Me): void {
    this.me = me;
  }

  /** A step added or edited by this console, applied at once (the broadcast follows). */
  stepSaved(step: Step): void {
    if (this.steps) {
      const known = this.steps.some((s) => s.id === step.id);
      this.steps = known ? this.steps.map((s) => (s.id === step.id ? step : s)) : [...this.steps, step];
    }
    if (this.currentStep?.id === step.id) this.currentStep = step;
  }

  addedParticipant(person: AddedParticipant): void {
    if (this.addedParticipants?.some((p) => p.id === person.id)) return;
    this.addedParticipants = [...(this.addedParticipants ?? []), person];
  }

  rosterUpdated({ addedParticipants }: ServerEvents['roster:updated']): void {
    this.addedParticipants = addedParticipants;
  }

  /** Another identity is about to connect: nothing of the previous one may stay on screen. */
  clear(): void {
    this.ready = false;
    this.role = null;
    this.event = null;
    this.steps = null;
    this.currentStep = null;
    this.message = null;
    this.presence = null;
    this.addedParticipants = null;
    this.me = null;
    this.join = null;
    this.projectedAxis = null;
  }
}

export const eventState = new EventState();
