/**
 * How long one SQLite commit takes on the disk the servers' data folders live on, with Concerto's
 * settings (WAL, synchronous=FULL: an fsync per commit). Every command Concerto acknowledges waits
 * for one, on the event loop, so this bounds how many commands a second one process can take.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { summarise, type Summary } from './metrics.ts';

export function commitLatency(commits = 300): Summary | null {
  const dir = mkdtempSync(join(tmpdir(), 'concerto-bench-disk-'));
  try {
    const db = new Database(join(dir, 'probe.db'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE probe (n INTEGER, body TEXT)');
    const insert = db.prepare('INSERT INTO probe VALUES (?, ?)');
    const write = db.transaction((n: number) => insert.run(n, 'x'.repeat(200)));
    const times: number[] = [];
    for (let n = 0; n < commits; n++) {
      const started = performance.now();
      write(n);
      times.push(performance.now() - started);
    }
    db.close();
    return summarise(times);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
