import type { AddressInfo } from 'node:net';
import { createApp } from './app.ts';
import { readConfig } from './config.ts';
import { openDatabase } from './db/index.ts';
import { createLogger } from './logger.ts';
import { attachRedis } from './scaling.ts';

const config = readConfig();
const logger = createLogger({ level: process.env.LOG_LEVEL === 'debug' ? 'debug' : 'info' });
const db = openDatabase(config.dbFile);
const app = createApp({ db, clock: { now: () => Date.now() }, logger, config });
// Several processes (docs/SCALING.md): broadcasts reach the sockets of the others through Redis.
const closeRedis = config.redisUrl
  ? await attachRedis(app.io, config.redisUrl, logger).catch((err: unknown) => {
      logger.error('not started', { error: err instanceof Error ? err.message : 'unknown' });
      process.exit(1);
    })
  : null;

app.startTimers();
app.httpServer.listen(config.port, config.host, () => {
  const { port } = app.httpServer.address() as AddressInfo;
  logger.info('listening', { port, publicUrl: config.publicUrl, dataDir: config.dataDir });
});

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info('stopping', { signal });
  await app.close();
  await closeRedis?.();
  db.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
