/**
 * Structured logs, one JSON object per line. Callers pass only what operators need (event ids,
 * command names, error codes, durations): never names, tokens, text people typed, IP addresses
 * or user agents. Known-sensitive keys are dropped here as a second line of defence.
 */
export type Level = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

const FORBIDDEN = new Set(['ip', 'address', 'remoteAddress', 'userAgent', 'ua', 'token', 'displayName', 'name', 'text']);
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function createLogger(opts: { level?: Level; write?: (line: string) => void } = {}): Logger {
  const min = ORDER[opts.level ?? 'info'];
  const write = opts.write ?? ((line: string) => process.stdout.write(line + '\n'));
  const log = (level: Level, msg: string, fields: LogFields = {}) => {
    if (ORDER[level] < min) return;
    const clean: LogFields = {};
    for (const [k, v] of Object.entries(fields)) if (!FORBIDDEN.has(k) && v !== undefined) clean[k] = v;
    write(JSON.stringify({ time: new Date().toISOString(), level, msg, ...clean }));
  };
  return {
    debug: (m, f) => log('debug', m, f),
    info: (m, f) => log('info', m, f),
    warn: (m, f) => log('warn', m, f),
    error: (m, f) => log('error', m, f),
  };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
