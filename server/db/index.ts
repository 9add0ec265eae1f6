import Database from 'better-sqlite3';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UPGRADES } from './upgrades.ts';

export type Db = Database.Database;

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** migrations/NNNN_name.sql, in order. The version applied is recorded in the database (user_version). */
export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 4)), name: f.slice(5, -4), sql: readFileSync(join(dir, f), 'utf8') }));
}

export function migrate(db: Db, migrations = loadMigrations()): number {
  const version = () => db.pragma('user_version', { simple: true }) as number;
  const current = version();
  for (const m of migrations) {
    if (m.version <= current) continue;
    // Several processes may start together on one file: under the write lock, a migration another
    // one has just applied is not applied again.
    db.transaction(() => {
      if (m.version <= version()) return;
      db.exec(m.sql);
      UPGRADES[m.version]?.(db);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Opens (and creates) the store. WAL with synchronous=FULL: a command's write is on disk before its
 * acknowledgement leaves, so nothing a participant was told is saved is lost in a crash.
 */
export function openDatabase(file: string): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  // First, so that opening waits for another process's lock instead of failing (docs/SCALING.md).
  db.pragma('busy_timeout = 5000');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  // Deleted content is overwritten, not left in free space: what is erased (a withdrawn support, a
  // purge) cannot be read back from the file.
  db.pragma('secure_delete = ON');
  migrate(db);
  return db;
}
