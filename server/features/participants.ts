import { fail } from '../../shared/domain/errors.ts';
import { isJoinCode, normalizeJoinCode } from '../../shared/domain/joinCode.ts';
import { checkProfile } from '../../shared/domain/profile.ts';
import type { Profile } from '../../shared/schemas/participant.ts';
import { command, done } from '../command.ts';
import { anyone, isFacilitator, isParticipant } from '../permissions.ts';
import { hashSecret, newId, newSecret } from '../security.ts';
import { runningBreakout } from '../views/breakouts.ts';
import { placeNewcomer } from './breakouts.ts';

function today(now: number): string {
  return new Date(now).toISOString().slice(0, 10);
}

export const participantCommands = [
  command('participant:join', anyone, (ctx, { code, displayName, deviceKey }) => {
    const normalized = normalizeJoinCode(code);
    if (!isJoinCode(normalized)) return fail('join_code_unknown');
    const stored = ctx.repos.events.byJoinCode(normalized);
    if (!stored) return fail('join_code_unknown');
    // [HR-PURGED] Once its personal data is purged, an event takes nobody new: what they gave would never be purged.
    if (stored.retention.purgedOn) return fail('event_purged');
    const eventId = stored.info.id;
    const id = newId();
    const token = newSecret();
    ctx.repos.participants.insert({
      id,
      eventId,
      tokenHash: hashSecret(token),
      deviceGroup: deviceKey ? hashSecret(deviceKey) : null,
      displayName: displayName ?? null,
      profile: null,
      addedByFacilitator: false,
      joinedOn: today(ctx.now),
    });
    // Groups already running: a late joiner is placed by the step's own rule.
    const placed = runningBreakout(ctx, eventId) !== null;
    if (placed) placeNewcomer(ctx, eventId, id);
    ctx.logger.info('participant joined', { eventId });
    return done(
      { eventId, participantId: id, token },
      // [HR-SWITCH] A guest's socket becomes the person who joined; a participant's socket stays who it is
      // (a shared tablet adding someone connects again as them, with the token it gets back).
      ctx.actor.kind === 'guest' && { type: 'callerBecame', actor: { kind: 'participant', eventId, participantId: id, deviceParticipantIds: [id] }, token },
      { type: 'presenceChanged', eventId },
      placed && { type: 'groupsChanged', eventId, only: [id] },
    );
  }),

  command('participant:rename', isParticipant, (ctx, { eventId, displayName }) => {
    const id = ctx.actor.participantId;
    ctx.repos.participants.rename(id, displayName);
    const me = ctx.repos.participants.get(eventId, id)?.me;
    if (!me) return fail('participant_not_found');
    return done(me, { type: 'meChanged', eventId, participantId: id });
  }),

  command('participant:add', isFacilitator, (ctx, { eventId, displayName, profile }) => {
    const stored = ctx.repos.events.get(eventId);
    if (!stored) return fail('event_not_found');
    const checked = profile ? checkProfile(stored.info, profile) : null;
    if (checked && !checked.ok) return checked;
    const id = newId();
    ctx.repos.participants.insert({
      id,
      eventId,
      tokenHash: null,
      deviceGroup: null,
      displayName: displayName ?? null,
      profile: checked?.data ?? null,
      addedByFacilitator: true,
      joinedOn: today(ctx.now),
    });
    const placed = runningBreakout(ctx, eventId) !== null;
    if (placed) placeNewcomer(ctx, eventId, id);
    return done(
      { participantId: id, displayName: displayName ?? null },
      { type: 'presenceChanged', eventId },
      { type: 'rosterChanged', eventId },
      placed && { type: 'groupsChanged', eventId, only: [] },
    );
  }),

  command('profile:set', isParticipant, (ctx, { eventId, consent, profile }) => {
    const stored = ctx.repos.events.get(eventId);
    if (!stored) return fail('event_not_found');
    if (stored.retention.purgedOn) return fail('event_purged');
    const id = ctx.actor.participantId;
    let clean: Profile | null = null;
    if (consent) {
      const checked = checkProfile(stored.info, profile);
      if (!checked.ok) return checked;
      clean = checked.data;
    }
    ctx.repos.participants.setProfile(id, consent, clean);
    const me = ctx.repos.participants.get(eventId, id)?.me;
    if (!me) return fail('participant_not_found');
    return done(me, { type: 'meChanged', eventId, participantId: id }, { type: 'presenceChanged', eventId });
  }),
] as const;
