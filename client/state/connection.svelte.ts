import type { ErrorCode } from '../../shared/domain/errors.ts';

export type ConnectionStatus = 'idle' | 'connecting' | 'online' | 'offline' | 'refused';

/** The link to the server as the screens show it. socket.ts is the only writer. */
class ConnectionState {
  status = $state<ConnectionStatus>('idle');
  /** Shown after a short delay, so that a quick reconnection does not flash a banner. */
  showReconnecting = $state(false);
  /** Whether this page was ever connected: "Connexion…" the first time, "Reconnexion…" after. */
  everConnected = $state(false);
  /** Commands waiting for the connection to come back (kept across reloads). */
  pending = $state(0);
  /** An error answered to a command sent from the queue after a reload: nobody else will show it. */
  queuedError = $state<ErrorCode | null>(null);
  /** The token this screen acts with (the boards open their own connections with it), null as a guest. */
  token = $state<string | null>(null);

  setStatus(status: ConnectionStatus): void {
    this.status = status;
    if (status === 'online') {
      this.everConnected = true;
      this.showReconnecting = false;
    }
    if (status === 'refused') this.showReconnecting = false;
  }

  setShowReconnecting(show: boolean): void {
    this.showReconnecting = show && this.status !== 'online' && this.status !== 'refused';
  }

  setPending(n: number): void {
    this.pending = n;
  }

  setQueuedError(code: ErrorCode | null): void {
    this.queuedError = code;
  }

  setToken(token: string | null): void {
    this.token = token;
  }
}

export const connection = new ConnectionState();
