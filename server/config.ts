import { networkInterfaces } from 'node:os';
import { join, resolve } from 'node:path';

export interface ServerConfig {
  port: number;
  host: string;
  dataDir: string;
  dbFile: string;
  publicUrl: string;
  clientDir: string;
  /**
   * Redis, when Concerto runs as several processes (docs/SCALING.md): Socket.IO's broadcasts go
   * through it to the sockets connected to the other processes. Absent: one process, no Redis.
   */
  redisUrl: string | null;
}

/** Everything comes from the environment, with defaults that work on a laptop for a demo. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const port = env.PORT === undefined ? 3000 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  const dataDir = resolve(env.DATA_DIR ?? 'data');
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    dataDir,
    dbFile: join(dataDir, 'concerto.db'),
    publicUrl: (env.PUBLIC_URL ?? `http://${lanAddress() ?? 'localhost'}:${port || 3000}`).replace(/\/+$/, ''),
    clientDir: resolve(env.CLIENT_DIR ?? 'dist/client'),
    redisUrl: env.REDIS_URL?.trim() || null,
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
