import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMigrations, migrate, openDatabase } from '../../server/db/index.ts';

describe('migrations', () => {
  it('[DB1] are numbered, run in order on :memory:, and are recorded in the database', () => {
    const migrations = loadMigrations();
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
    const db = new Database(':memory:');
    expect(migrate(db, migrations)).toBe(migrations.length);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[];
    expect(tables.map((t) => t.name)).toEqual([
      'anonymous_receipts',
      'board_snapshots',
      'board_updates',
      'breakouts',
      'command_receipts',
      'dots',
      'evaluation_comments',
      'evaluation_responses',
      'evaluations',
      'event_aggregates',
      'events',
      'faq_entries',
      'group_members',
      'groups',
      'moderation_log',
      'paper_dots',
      'participants',
      'question_log',
      'question_settings',
      'question_supports',
      'questions',
      'sqlite_sequence',
      'steps',
      'vote_items',
      'votes',
    ]);
    // Running again changes nothing.
    expect(migrate(db, migrations)).toBe(migrations.length);
  });

  it('[DB2] each migration applies on top of the previous ones alone', () => {
    const migrations = loadMigrations();
    for (let n = 1; n <= migrations.length; n++) {
      const db = new Database(':memory:');
      expect(migrate(db, migrations.slice(0, n))).toBe(n);
      db.close();
    }
  });

  it('[DB3] the store is opened in WAL mode with full synchronous writes', () => {
    // A file: an in-memory database has no write-ahead log.
    const dir = mkdtempSync(join(tmpdir(), 'concerto-db3-'));
    const db = openDatabase(join(dir, 'concerto.db'));
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('synchronous', { simple: true })).toBe(2);
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      // The log is really there once something is written.
      db.prepare('CREATE TABLE IF NOT EXISTS db3_probe (x)').run();
      expect(existsSync(join(dir, 'concerto.db-wal'))).toBe(true);
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
