import { fail, ok } from '../../shared/domain/errors.ts';
import { isJoinCode, normalizeJoinCode } from '../../shared/domain/joinCode.ts';
import { checkProfile } from '../../shared/domain/profile.ts';
import { rooms, type CommandContext, type Handlers } from '../context.ts';
import { newId, newSecret, hashSecret } from '../security.ts';
import { attach, detach } from '../sessions.ts';
import { placeNewcomer, publishGroups, runningBreakout } from './breakouts.ts';
import { publishRoster } from './state.ts';

function today(now: number): string {
  return new Date(now).toISOString().slice(0, 10);
}

function participantId(ctx: CommandContext): string {
  // The permission table admits only participants to these commands.
  return ctx.actor.kind === 'participant' ? ctx.actor.participantId : '';
}

export const participantHandlers: Pick<
  Handlers,
  'participant:join' | 'participant:rename' | 'participant:add' | 'profile:set'
> = {
  'participant:join'(ctx, { code, displayName, deviceKey }) {
    const { repos, presence } = ctx.services;
    const normalized = normalizeJoinCode(code);
    if (!isJoinCode(normalized)) return fail('join_code_unknown');
    const stored = repos.events.byJoinCode(normalized);
    if (!stored) return fail('join_code_unknown');
    const eventId = stored.info.id;
    const id = newId();
    const token = newSecret();
    repos.participants.insert({
      id,
      eventId,
      tokenHash: hashSecret(token),
      deviceGroup: deviceKey ? hashSecret(deviceKey) : null,
      displayName: displayName ?? null,
      profile: null,
      addedByFacilitator: false,
      joinedOn: today(ctx.now),
    });
    ctx.after(() => {
      // This socket now acts as the person who joined (a shared device switches to them).
      detach(ctx.services, ctx.socket);
      attach(ctx.services, ctx.socket, { kind: 'participant', eventId, participantId: id, deviceParticipantIds: [id] });
      presence.changed(eventId);
      if (placed) publishGroups(ctx.services, eventId, [id]);
    });
    // Groups already running: a late joiner is placed by the step's own rule.
    const placed = runningBreakout(ctx.services, eventId) !== null;
    if (placed) placeNewcomer(ctx.services, eventId, id);
    ctx.services.logger.info('participant joined', { eventId });
    return ok({ eventId, participantId: id, token });
  },

  'participant:rename'(ctx, { eventId, displayName }) {
    const { repos } = ctx.services;
    const id = participantId(ctx);
    repos.participants.rename(id, displayName);
    const me = repos.participants.get(eventId, id)?.me;
    if (!me) return fail('participant_not_found');
    ctx.after(() => ctx.services.io.to(rooms.participant(id)).emit('me:updated', me));
    return ok(me);
  },

  'participant:add'(ctx, { eventId, displayName, profile }) {
    const { repos } = ctx.services;
    const stored = repos.events.get(eventId);
    if (!stored) return fail('event_not_found');
    const checked = profile ? checkProfile(stored.info, profile) : null;
    if (checked && !checked.ok) return checked;
    const id = newId();
    repos.participants.insert({
      id,
      eventId,
      tokenHash: null,
      deviceGroup: null,
      displayName: displayName ?? null,
      profile: checked?.data ?? null,
      addedByFacilitator: true,
      joinedOn: today(ctx.now),
    });
    const placed = runningBreakout(ctx.services, eventId) !== null;
    if (placed) placeNewcomer(ctx.services, eventId, id);
    ctx.after(() => {
      ctx.services.presence.changed(eventId);
      publishRoster(ctx.services, eventId);
      if (placed) publishGroups(ctx.services, eventId, []);
    });
    return ok({ participantId: id, displayName: displayName ?? null });
  },

  'profile:set'(ctx, { eventId, consent, profile }) {
    const { repos } = ctx.services;
    const stored = repos.events.get(eventId);
    if (!stored) return fail('event_not_found');
    const id = participantId(ctx);
    let clean = null;
    if (consent) {
      const checked = checkProfile(stored.info, profile);
      if (!checked.ok) return checked;
      clean = checked.data;
    }
    repos.participants.setProfile(id, consent, clean);
    const me = repos.participants.get(eventId, id)?.me;
    if (!me) return fail('participant_not_found');
    ctx.after(() => {
      ctx.services.io.to(rooms.participant(id)).emit('me:updated', me);
      ctx.services.presence.changed(eventId);
    });
    return ok(me);
  },
};
