/**
 * Concerto as the benchmark runs it: the same app as server/main.ts (createApp on a real SQLite file
 * in DATA_DIR, the same logger), in a process of its own, reporting its resource use on request
 * (see stats.ts). Prints `BENCHREADY {"port":…}` once it listens.
 */
import type { AddressInfo } from 'node:net';
import { createApp } from '../../server/app.ts';
import { readConfig } from '../../server/config.ts';
import { openDatabase } from '../../server/db/index.ts';
import { createLogger } from '../../server/logger.ts';
import { reportStats } from './stats.ts';

const config = readConfig();
const logger = createLogger({ level: 'info' });
const db = openDatabase(config.dbFile);
const app = createApp({ db, clock: { now: () => Date.now() }, logger, config });
reportStats(app.httpServer);

app.httpServer.listen(config.port, '127.0.0.1', () => {
  const { port } = app.httpServer.address() as AddressInfo;
  process.stdout.write(`BENCHREADY ${JSON.stringify({ port })}\n`);
});

let stopping = false;
async function shutdown(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await app.close();
  db.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
// The bench holds our stdin: if it goes away, so do we.
process.stdin.on('close', () => void shutdown());
