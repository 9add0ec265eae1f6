import type { AppSocket } from './context.ts';
import type { Repos } from './db/repos.ts';
import type { Presence } from './presence.ts';
import { rooms } from './rooms.ts';
import type { Actor } from './permissions.ts';
import { hashSecret } from './security.ts';

/** Resolves a handshake's tokens to an actor. `undefined`: a token was given and is not valid. */
export function resolveActor(repos: Repos, token: unknown, deviceTokens: unknown): Actor | undefined {
  if (token === undefined || token === null || token === '') return { kind: 'guest' };
  if (typeof token !== 'string' || token.length > 64) return undefined;
  const staff = repos.events.byToken(token);
  if (staff) return { kind: 'staff', role: staff.role, eventId: staff.event.info.id };
  const participant = repos.participants.byTokenHash(hashSecret(token));
  if (!participant) return undefined;
  // Other people on the same shared device: counted as connected, never acted for.
  const others = Array.isArray(deviceTokens) ? deviceTokens.slice(0, 20) : [];
  const deviceParticipantIds = new Set<string>([participant.id]);
  for (const t of others) {
    if (typeof t !== 'string' || t.length > 64) continue;
    const p = repos.participants.byTokenHash(hashSecret(t));
    if (p && p.eventId === participant.eventId) deviceParticipantIds.add(p.id);
  }
  return {
    kind: 'participant',
    eventId: participant.eventId,
    participantId: participant.id,
    deviceParticipantIds: [...deviceParticipantIds],
  };
}

function present(actor: Actor): string[] {
  return actor.kind === 'participant' ? actor.deviceParticipantIds : [];
}

/** Puts a socket in its rooms and counts it present. */
export function attach(presence: Presence, socket: AppSocket, actor: Actor): void {
  socket.data.actor = actor;
  if (actor.kind === 'guest') return;
  const joinRooms = [rooms.event(actor.eventId)];
  if (actor.kind === 'staff') {
    joinRooms.push(actor.role === 'projector' ? rooms.projector(actor.eventId) : rooms.staff(actor.eventId));
  } else {
    joinRooms.push(rooms.participant(actor.participantId));
    presence.connect(actor.eventId, present(actor));
  }
  void socket.join(joinRooms);
}

export function detach(presence: Presence, socket: AppSocket): void {
  const actor = socket.data.actor;
  if (!actor || actor.kind === 'guest') return;
  for (const room of [...socket.rooms]) if (room !== socket.id) void socket.leave(room);
  if (actor.kind === 'participant') presence.disconnect(actor.eventId, present(actor));
  socket.data.actor = { kind: 'guest' };
}
