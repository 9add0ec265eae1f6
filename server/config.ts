import { networkInterfaces } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { LEVELS, type Level } from './logger.ts';

export interface ServerConfig {
  port: number;
  host: string;
  dataDir: string;
  dbFile: string;
  publicUrl: string;
  clientDir: string;
  logLevel: Level;
  /**
   * Redis, when Concerto runs as several processes (docs/SCALING.md): Socket.IO's broadcasts go
   * through it to the sockets connected to the other processes. Absent: one process, no Redis.
   */
  redisUrl: string | null;
  /**
   * How many reverse proxies stand in front of this server and add X-Forwarded-For (0: none, the
   * default). Only then is the header read, to count wrong guesses per person's address rather than
   * for everyone behind the proxy at once.
   */
  trustProxy: number;
}

/** A setting that cannot be used: the message names the variable and what it expects. */
export class ConfigError extends Error {
  constructor(
    readonly variables: string[],
    message: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

// An empty variable (`PORT=` in a unit file or a compose file) counts as unset.
const unsetIfEmpty = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(unsetIfEmpty, schema.optional());

const isWebAddress = (value: string) => {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
};

/** What each variable expects, said the way the error message says it. */
const EXPECTED = {
  PORT: 'a whole number from 0 to 65535',
  PUBLIC_URL: 'an http:// or https:// address, e.g. https://forum.example.org',
  LOG_LEVEL: `one of ${LEVELS.join(', ')}`,
  REDIS_URL: 'a redis:// or rediss:// address, e.g. redis://127.0.0.1:6379',
  TRUST_PROXY: 'the number of reverse proxies in front of the server, from 0 to 5',
} as const;
/** Values that may be repeated in the message; a Redis address can hold a password. */
const ECHOED = new Set(['PORT', 'PUBLIC_URL', 'LOG_LEVEL', 'TRUST_PROXY']);

const EnvSchema = z.object({
  PORT: optional(
    z
      .string()
      .trim()
      .regex(/^\d{1,5}$/)
      .transform(Number)
      .refine((n) => n <= 65535),
  ),
  HOST: optional(z.string().trim()),
  DATA_DIR: optional(z.string()),
  PUBLIC_URL: optional(z.string().trim().refine(isWebAddress)),
  CLIENT_DIR: optional(z.string()),
  LOG_LEVEL: optional(z.string().trim().toLowerCase().pipe(z.enum(LEVELS))),
  REDIS_URL: optional(
    z
      .string()
      .trim()
      .refine((v) => /^rediss?:\/\/./.test(v)),
  ),
  TRUST_PROXY: optional(
    z
      .string()
      .trim()
      .regex(/^[0-5]$/)
      .transform(Number),
  ),
});

/**
 * Everything comes from the environment, with defaults that work on a laptop for a demo. A value
 * that cannot be used throws a ConfigError naming every such variable, rather than starting a
 * server whose links or logs are wrong.
 */
export function readConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const variables = [...new Set(parsed.error.issues.map((i) => String(i.path[0])))];
    const reasons = variables.map((v) => {
      const expected = v in EXPECTED ? EXPECTED[v as keyof typeof EXPECTED] : 'a valid value';
      return ECHOED.has(v) ? `${v} must be ${expected}, got "${env[v]}"` : `${v} must be ${expected}`;
    });
    throw new ConfigError(variables, reasons.join('; '));
  }
  const e = parsed.data;
  const port = e.PORT ?? 3000;
  const dataDir = resolve(e.DATA_DIR ?? 'data');
  return {
    port,
    host: e.HOST ?? '0.0.0.0',
    dataDir,
    dbFile: join(dataDir, 'concerto.db'),
    publicUrl: (e.PUBLIC_URL ?? `http://${lanAddress() ?? 'localhost'}:${port || 3000}`).replace(/\/+$/, ''),
    clientDir: resolve(e.CLIENT_DIR ?? 'dist/client'),
    logLevel: e.LOG_LEVEL ?? 'info',
    redisUrl: e.REDIS_URL ?? null,
    trustProxy: e.TRUST_PROXY ?? 0,
  };
}

/**
 * Without PUBLIC_URL, links and QR codes use this machine's address on the local network, so that
 * phones in the room can reach a laptop running Concerto; `localhost` only where there is none.
 */
export function lanAddress(interfaces = networkInterfaces()): string | null {
  for (const [name, addresses] of Object.entries(interfaces)) {
    if (/^(lo|docker|br-|veth|virbr|tun|tap|utun|wg)/.test(name)) continue;
    const v4 = addresses?.find((a) => a.family === 'IPv4' && !a.internal);
    if (v4) return v4.address;
  }
  return null;
}
