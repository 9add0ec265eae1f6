import { join, resolve } from 'node:path';

export interface ServerConfig {
  port: number;
  host: string;
  dataDir: string;
  dbFile: string;
  publicUrl: string;
  clientDir: string;
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
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${port || 3000}`).replace(/\/+$/, ''),
    clientDir: resolve(env.CLIENT_DIR ?? 'dist/client'),
  };
}
