import type { AddressInfo } from 'node:net';
import { ConfigError, readConfig, type ServerConfig } from './config.ts';
import { createLogger } from './logger.ts';

let config: ServerConfig;
try {
  config = readConfig();
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  // Before any log line: one sentence a person reads in the terminal or the unit's journal.
  process.stderr.write(`Concerto not started: ${err.message}\n`);
  process.exit(1);
}
const logger = createLogger({ level: config.logLevel });

// A thrown error nobody caught leaves the process in a state nobody planned: log it with its stack
// and stop (the database is safe: every write is a committed transaction). A rejected promise nobody
// awaited loses the work it belonged to, not the others': log it and keep the forum running.
process.on('uncaughtException', (err) => {
  logger.error('uncaught exception', {}, err);
  process.exit(1);
});
process.on('unhandledRejection', (reason) => {
  logger.error('unhandled rejection', {}, reason);
});

// Loaded once the configuration is known to be good, so that a wrong setting is said at once rather
// than after the whole server has loaded.
const [{ createApp }, { openDatabase }, { attachRedis }] = await Promise.all([import('./app.ts'), import('./db/index.ts'), import('./scaling.ts')]);
const db = openDatabase(config.dbFile);
const app = createApp({ db, clock: { now: () => Date.now() }, logger, config });
// Several processes (docs/SCALING.md): broadcasts reach the sockets of the others through Redis.
const closeRedis = config.redisUrl
  ? await attachRedis(app.io, config.redisUrl, logger).catch((err: unknown) => {
      logger.error('not started', { error: err instanceof Error ? err.message : 'unknown' }, err);
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
