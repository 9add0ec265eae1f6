/**
 * Structured logs, one JSON object per line (pino). Callers pass only what operators need (event ids,
 * command names, error codes, durations): never names, tokens, text people typed, IP addresses
 * or user agents. Known-sensitive keys are removed here as a second line of defence, at the top level
 * and one level down (inside a serialized error, say).
 *
 * An internal error is passed as the third argument of `error` (or `warn`): it is logged under `err`
 * with its type, message and stack, so that an operator can find the line that failed.
 */
import { pino, stdSerializers, stdTimeFunctions, type DestinationStream } from 'pino';

export const LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type Level = (typeof LEVELS)[number];
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields, err?: unknown): void;
  error(msg: string, fields?: LogFields, err?: unknown): void;
}

/** Keys never written, whoever passes them. */
export const REDACTED_KEYS = [
  'ip',
  'ips',
  'address',
  'remoteAddress',
  'forwardedFor',
  'userAgent',
  'ua',
  'headers',
  'cookie',
  'authorization',
  'token',
  'tokens',
  'deviceToken',
  'deviceTokens',
  'secret',
  'password',
  'name',
  'displayName',
  'email',
  'phone',
  'text',
  'comment',
  'question',
  'answer',
  'body',
] as const;

export function createLogger(opts: { level?: Level; write?: (line: string) => void } = {}): Logger {
  // Tests capture lines through `write`; otherwise stdout, written synchronously so that the last
  // lines before an exit are not lost.
  const write = opts.write;
  const destination: DestinationStream = write
    ? { write: (chunk: string) => write(chunk.endsWith('\n') ? chunk.slice(0, -1) : chunk) }
    : pino.destination({ dest: 1, sync: true });
  const base = pino(
    {
      level: opts.level ?? 'info',
      // No pid or hostname on every line: one process per data folder, and the host is the operator's.
      base: undefined,
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { err: stdSerializers.err },
      redact: { paths: REDACTED_KEYS.flatMap((k) => [k, `*.${k}`]), remove: true },
    },
    destination,
  );
  const withError = (fields: LogFields | undefined, err: unknown): object => {
    if (err === undefined) return fields ?? {};
    // Something thrown that is not an Error may be anything, typed text included: only its kind.
    return { ...fields, err: err instanceof Error ? err : { type: typeof err } };
  };
  return {
    debug: (msg, fields) => base.debug(fields ?? {}, msg),
    info: (msg, fields) => base.info(fields ?? {}, msg),
    warn: (msg, fields, err) => base.warn(withError(fields, err), msg),
    error: (msg, fields, err) => base.error(withError(fields, err), msg),
  };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
