import type { HandshakeAuth } from '../../shared/protocol.ts';
import { connect, ensureConnected } from '../socket.ts';
import { connection } from './connection.svelte.ts';

/** Who this screen is on the server: the screens say it here, socket.ts does the rest. */
class Session {
  /** The token this screen acts with, or null as a guest. */
  get token(): string | null {
    return connection.token;
  }

  /** A participant (with the others on this device), a facilitator, a co-facilitator or a projector. */
  connectAs(auth: HandshakeAuth): void {
    connect(auth);
  }

  /** For a guest's commands (look up a code, join, create an event, read a public FAQ). */
  ensureConnected(): void {
    ensureConnected();
  }
}

export const session = new Session();
