import type { CommandInput } from '../../shared/protocol.ts';
import type { StaffLink } from '../../shared/schemas/event.ts';
import { send } from '../socket.ts';
import { eventState } from './event.svelte.ts';
import type { CommandOutcome } from './outcome.ts';

/** The console's other commands: the message on every screen, people without a phone, links, retention. */
class Facilitation {
  sendMessage(eventId: string, text: string): Promise<CommandOutcome<'message:send'>> {
    return send('message:send', { eventId, text });
  }

  clearMessage(eventId: string): Promise<CommandOutcome<'message:clear'>> {
    return send('message:clear', { eventId });
  }

  /** Adds a person who has no phone, so that they count; listed here at once. */
  async addPerson(
    eventId: string,
    displayName: string | undefined,
    profile: CommandInput<'participant:add'>['profile'],
  ): Promise<CommandOutcome<'participant:add'>> {
    const result = await send('participant:add', { eventId, displayName, ...(profile ? { profile } : {}) });
    if (result.ok) eventState.addedParticipant({ id: result.data.participantId, displayName: result.data.displayName });
    return result;
  }

  /** The secret links and the QR code again (the lead facilitator only). */
  links(eventId: string): Promise<CommandOutcome<'event:links'>> {
    return send('event:links', { eventId });
  }

  /**
   * Replaces one staff link; the old one stops working. Replacing one's own, this console carries on
   * with the new secret (the address bar changes with it, so that a reload still works).
   */
  async rotate(eventId: string, link: StaffLink): Promise<CommandOutcome<'event:rotate'>> {
    const result = await send('event:rotate', { eventId, link });
    if (result.ok && link === 'facilitator') {
      const secret = result.data.facilitator.slice(result.data.facilitator.indexOf('#') + 1);
      location.hash = secret;
    }
    return result;
  }

  /** When personal data is purged (null: no date). */
  async setRetention(eventId: string, purgeOn: string | null): Promise<CommandOutcome<'event:retention'>> {
    const result = await send('event:retention', { eventId, purgeOn });
    if (result.ok) eventState.retentionUpdated(result.data);
    return result;
  }

  /** Purges personal data now; `confirm` is what the facilitator typed to confirm it. */
  async purge(eventId: string, confirm: string): Promise<CommandOutcome<'event:purge'>> {
    const result = await send('event:purge', { eventId, confirm });
    if (result.ok) eventState.retentionUpdated(result.data);
    return result;
  }
}

export const facilitation = new Facilitation();
