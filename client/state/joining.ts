import type { CommandResults } from '../../shared/protocol.ts';
import { ensureConnected, send } from '../socket.ts';
import { device } from './device.svelte.ts';
import type { CommandOutcome } from './outcome.ts';

export type EventPreview = CommandResults['event:lookup'];

/** A guest finding an event by its code and joining it. */
class Joining {
  /** What a join code led to, so that the join page does not ask the server again right away. */
  #previews = new Map<string, EventPreview>();

  preview(code: string): EventPreview | undefined {
    return this.#previews.get(code);
  }

  async lookUp(code: string): Promise<CommandOutcome<'event:lookup'>> {
    ensureConnected();
    const found = await send('event:lookup', { code });
    if (found.ok) this.#previews.set(code, found.data);
    return found;
  }

  /** Joins as a new person, who becomes the one this device acts as. */
  async join(code: string, displayName: string | undefined, title: string): Promise<CommandOutcome<'participant:join'>> {
    ensureConnected();
    const joined = await send('participant:join', { code, displayName, deviceKey: device.deviceKey });
    if (joined.ok) {
      device.joined(
        { eventId: joined.data.eventId, joinCode: code, title },
        { participantId: joined.data.participantId, token: joined.data.token, displayName: displayName ?? null },
      );
    }
    return joined;
  }
}

export const joining = new Joining();
