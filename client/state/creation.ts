import type { EventSetupInput } from '../../shared/schemas/event.ts';
import { send } from '../socket.ts';
import type { CommandOutcome } from './outcome.ts';

/** Creating an event: anyone may; the answer holds the secret links, shown once. */
class EventCreation {
  create(setup: EventSetupInput): Promise<CommandOutcome<'event:create'>> {
    return send('event:create', setup);
  }
}

export const eventCreation = new EventCreation();
