/**
 * What a command gives back to the screen that sent it. Components import this module, never the
 * socket: they show the translated message of a failed outcome.
 */
import type { ErrorCode } from '../../shared/domain/errors.ts';
import { errorKey, type MessageKey } from '../../shared/i18n/index.ts';
import type { CommandName, CommandResults } from '../../shared/protocol.ts';

/** Besides the server's codes: no connection, or no answer in time. */
export type ClientErrorCode = ErrorCode | 'offline' | 'timeout';
export type Outcome<T> = { ok: true; data: T } | { ok: false; code: ClientErrorCode };
/** The outcome of one command, with the result the server answers it with. */
export type CommandOutcome<N extends CommandName> = Outcome<CommandResults[N]>;

export function errorMessageKey(code: ClientErrorCode): MessageKey {
  switch (code) {
    case 'offline':
      return 'client.error.offline';
    case 'timeout':
      return 'client.error.timeout';
    default:
      return errorKey(code);
  }
}
