/**
 * A whole event as one JSON document, to back it up or to move it to another Concerto server.
 * Rows are copied column for column (ids, hashes, tokens and autoincrement numbers included), so
 * that links, QR codes and participants' devices keep working after an import. docs/ARCHIVE.md
 * describes the format.
 */
import type Database from 'better-sqlite3';
import { openDatabase, type Db } from '../db/index.ts';
import { fail, ok, type ErrorCode, type Result } from '../../shared/domain/errors.ts';

export const ARCHIVE_FORMAT = 'concerto-archive';
export const ARCHIVE_VERSION = 1;
/**
 * The first database version that archives were written from: nothing older can exist, and the
 * data migrations before it (question settings made for old events) have no counterpart here.
 */
export const FIRST_ARCHIVE_SCHEMA = 8;

/** A BLOB, which JSON cannot hold as such. */
export interface Base64Value {
  $base64: string;
}
export type ArchiveValue = string | number | null | Base64Value;
export type ArchiveRow = Record<string, ArchiveValue>;

export interface EventArchive {
  format: typeof ARCHIVE_FORMAT;
  version: typeof ARCHIVE_VERSION;
  /** The database's migration version (user_version) it was exported from. */
  schema: number;
  eventId: string;
  tables: Record<string, ArchiveRow[]>;
}

/** How a table's rows are found for one event: a condition with one `?`, bound to the event id. */
interface TableLink {
  table: string;
  where: string;
}

const byEvent = (table: string): TableLink => ({ table, where: 'event_id = ?' });
const byParent = (table: string, column: string, parent: string, parentKey: string): TableLink => ({
  table,
  where: `${column} IN (SELECT ${parentKey} FROM ${parent} WHERE event_id = ?)`,
});

/**
 * Every table that holds an event's data, parents before children: imports insert in this order
 * with foreign keys checked. A new table in a migration must be added here (the archive test fails
 * until it is, through `unarchivedTables`).
 */
const LINKS: readonly TableLink[] = [
  { table: 'events', where: 'id = ?' },
  byEvent('event_aggregates'),
  byEvent('participants'),
  byEvent('steps'),
  byEvent('question_settings'),
  byEvent('questions'),
  byParent('question_supports', 'question_id', 'questions', 'id'),
  byEvent('question_log'),
  byEvent('faq_entries'),
  byEvent('board_snapshots'),
  byEvent('board_updates'),
  byEvent('moderation_log'),
  byEvent('breakouts'),
  byEvent('groups'),
  byParent('group_members', 'step_id', 'breakouts', 'step_id'),
  byEvent('votes'),
  byParent('vote_items', 'step_id', 'votes', 'step_id'),
  byParent('dots', 'step_id', 'votes', 'step_id'),
  byParent('paper_dots', 'step_id', 'votes', 'step_id'),
  byEvent('evaluations'),
  byParent('evaluation_responses', 'step_id', 'evaluations', 'step_id'),
  byParent('evaluation_comments', 'step_id', 'evaluations', 'step_id'),
];

/** The archived tables, in import order. */
export const archiveTables: readonly string[] = LINKS.map((l) => l.table);

/**
 * Left out on purpose: command receipts only answer retries for 48 hours and hold command results
 * (which can name a participant); SQLite's own counters are rebuilt by the inserts.
 */
export const skippedTables: readonly string[] = ['command_receipts', 'anonymous_receipts', 'sqlite_sequence'];

/** Tables of the database that are neither archived nor knowingly skipped: should stay empty. */
export function unarchivedTables(db: Db): string[] {
  const names = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all();
  return names.map((r) => r.name).filter((n) => !archiveTables.includes(n) && !skippedTables.includes(n));
}

interface Column {
  name: string;
  type: string;
  notnull: number;
  pk: number;
}

function columnsOf(db: Db, table: string): Column[] {
  // Table names come from LINKS only, never from an archive: safe to write into the statement.
  return db.pragma(`table_info(${table})`) as Column[];
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

// ——— Export ———

function encodeValue(value: unknown): ArchiveValue {
  if (value === null || typeof value === 'string' || typeof value === 'number') return value;
  if (value instanceof Uint8Array) return { $base64: Buffer.from(value).toString('base64') };
  // better-sqlite3 returns numbers, strings, null and Buffers unless asked for bigints.
  throw new Error(`Unexpected value in the database: ${typeof value}`);
}

function encodeRow(row: Record<string, unknown>): ArchiveRow {
  const out: ArchiveRow = {};
  for (const [key, value] of Object.entries(row)) out[key] = encodeValue(value);
  return out;
}

/** The primary key's columns in key order (all columns where there is none): a stable order. */
function orderBy(columns: Column[]): string {
  const pk = columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk);
  return (pk.length ? pk : columns).map((c) => `"${c.name}"`).join(', ');
}

function exportTable(db: Db, link: TableLink, eventId: string): ArchiveRow[] {
  const order = orderBy(columnsOf(db, link.table));
  const rows = db.prepare<[string], Record<string, unknown>>(`SELECT * FROM ${link.table} WHERE ${link.where} ORDER BY ${order}`).all(eventId);
  return rows.map(encodeRow);
}

/**
 * Every row of the event, table by table; null when there is no such event. Nothing about the
 * export itself (no date) goes in: exporting the same data twice gives the same JSON.
 */
export function exportArchive(db: Db, eventId: string): EventArchive | null {
  // One read transaction: a consistent picture even while the server writes.
  return db.transaction((): EventArchive | null => {
    if (!db.prepare('SELECT 1 FROM events WHERE id = ?').get(eventId)) return null;
    const tables: Record<string, ArchiveRow[]> = {};
    for (const link of LINKS) tables[link.table] = exportTable(db, link, eventId);
    return { format: ARCHIVE_FORMAT, version: ARCHIVE_VERSION, schema: schemaVersion(db), eventId, tables };
  })();
}

// ——— Import ———

/** Why an archive was refused: a code for the caller, a detail for whoever runs the import. */
interface Refusal {
  code: ErrorCode;
  detail: string;
}

class ArchiveRefused extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.detail);
  }
}

const invalid = (detail: string): Refusal => ({ code: 'archive_invalid', detail });

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function isBase64Value(value: unknown): value is Base64Value {
  return isRecord(value) && Object.keys(value).length === 1 && typeof value.$base64 === 'string' && BASE64.test(value.$base64);
}

/** Whether a JSON value fits a STRICT column's declared type (NOT NULL is left to SQLite). */
function fitsType(value: unknown, type: string): boolean {
  if (value === null) return true;
  switch (type.toUpperCase()) {
    case 'TEXT':
      return typeof value === 'string';
    case 'INT':
    case 'INTEGER':
      return typeof value === 'number' && Number.isSafeInteger(value);
    case 'REAL':
      return typeof value === 'number' && Number.isFinite(value);
    case 'BLOB':
      return isBase64Value(value);
    default:
      return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)) || isBase64Value(value);
  }
}

function checkRow(table: string, row: unknown, columns: Map<string, Column>, index: number): Refusal | null {
  if (!isRecord(row)) return invalid(`${table}[${index}] is not an object`);
  for (const [name, value] of Object.entries(row)) {
    const column = columns.get(name);
    if (!column) return invalid(`${table}[${index}] has an unknown column "${name}"`);
    if (!fitsType(value, column.type)) return invalid(`${table}[${index}].${name} is not of type ${column.type}`);
  }
  return null;
}

function checkTables(db: Db, tables: Record<string, unknown>): Refusal | null {
  for (const [table, rows] of Object.entries(tables)) {
    if (!archiveTables.includes(table)) return invalid(`unknown table "${table}"`);
    if (!Array.isArray(rows)) return invalid(`${table} is not a list of rows`);
    const columns = new Map(columnsOf(db, table).map((c) => [c.name, c]));
    for (const [i, row] of rows.entries()) {
      const problem = checkRow(table, row, columns, i);
      if (problem) return problem;
    }
  }
  return null;
}

const ENVELOPE = ['format', 'version', 'schema', 'eventId', 'tables'];

function checkEnvelope(db: Db, value: unknown): Refusal | null {
  if (!isRecord(value) || value.format !== ARCHIVE_FORMAT) return invalid(`not a ${ARCHIVE_FORMAT} document`);
  const unknown = Object.keys(value).find((k) => !ENVELOPE.includes(k));
  if (unknown !== undefined) return invalid(`unknown field "${unknown}"`);
  if (typeof value.version !== 'number' || !Number.isInteger(value.version)) return invalid('version is missing');
  if (value.version > ARCHIVE_VERSION) return { code: 'archive_too_new', detail: `format version ${value.version}, this server reads ${ARCHIVE_VERSION}` };
  if (value.version !== ARCHIVE_VERSION) return invalid(`unknown format version ${value.version}`);
  const { schema } = value;
  if (typeof schema !== 'number' || !Number.isInteger(schema) || schema < FIRST_ARCHIVE_SCHEMA) return invalid('schema is missing or too old');
  const current = schemaVersion(db);
  if (schema > current) return { code: 'archive_too_new', detail: `database version ${schema}, this server is at ${current}` };
  if (typeof value.eventId !== 'string' || value.eventId === '') return invalid('eventId is missing');
  if (!isRecord(value.tables)) return invalid('tables is missing');
  return null;
}

/** The event's own row: exactly one, with the archive's id. */
function checkEventRow(archive: EventArchive): Refusal | null {
  const rows = archive.tables.events ?? [];
  return rows.length === 1 && rows[0]?.id === archive.eventId ? null : invalid('events must hold exactly the archived event');
}

function strings(rows: readonly ArchiveRow[] | undefined, ...columns: string[]): string[] {
  return (rows ?? []).flatMap((r) => columns.map((c) => r[c])).filter((v): v is string => typeof v === 'string');
}

/**
 * The event already here (an import done twice, or a copy of this server's own event): refused
 * before anything is written, since its links, join code and devices would then be ambiguous.
 */
function findExisting(db: Db, archive: EventArchive): Refusal | null {
  const { events, participants, question_settings: settings } = archive.tables;
  const exists = (sql: string, values: readonly string[]) => values.some((v) => db.prepare(sql).get(v) !== undefined);
  const taken =
    exists('SELECT 1 FROM events WHERE id = ?', [archive.eventId]) ||
    exists('SELECT 1 FROM events WHERE join_code = ?', strings(events, 'join_code')) ||
    exists(
      'SELECT 1 FROM events WHERE ? IN (facilitator_hash, cofacilitator_hash, projector_hash)',
      strings(events, 'facilitator_hash', 'cofacilitator_hash', 'projector_hash'),
    ) ||
    exists('SELECT 1 FROM participants WHERE token_hash = ?', strings(participants, 'token_hash')) ||
    exists('SELECT 1 FROM question_settings WHERE faq_id = ?', strings(settings, 'faq_id'));
  return taken ? { code: 'archive_event_exists', detail: 'this event, its join code, or one of its links is already on this server' } : null;
}

function decodeValue(value: ArchiveValue): string | number | null | Buffer {
  return isBase64Value(value) ? Buffer.from(value.$base64, 'base64') : value;
}

function insertRows(db: Db, table: string, rows: readonly ArchiveRow[]): void {
  // Rows may name different columns (an older archive lacks newer ones, which take their defaults).
  const statements = new Map<string, Database.Statement<unknown[]>>();
  for (const row of rows) {
    const names = Object.keys(row);
    const key = names.join(',');
    let statement = statements.get(key);
    if (!statement) {
      // Column names were checked against the table's own list before getting here.
      const cols = names.map((n) => `"${n}"`).join(', ');
      statement = db.prepare<unknown[]>(`INSERT INTO ${table} (${cols}) VALUES (${names.map(() => '?').join(', ')})`);
      statements.set(key, statement);
    }
    statement.run(...names.map((n) => decodeValue(row[n] ?? null)));
  }
}

interface ForeignKey {
  table: string;
  from: string;
  to: string;
}

/**
 * Every inserted row must belong to the archived event: counted again through the same links, and
 * every reference (a participant's dots, a group's host) must lead to a row of the same event.
 */
function checkBelonging(db: Db, archive: EventArchive): void {
  const links = new Map(LINKS.map((l) => [l.table, l]));
  for (const link of LINKS) {
    const expected = archive.tables[link.table]?.length ?? 0;
    const found = db.prepare<[string], { n: number }>(`SELECT count(*) AS n FROM ${link.table} WHERE ${link.where}`).get(archive.eventId)?.n ?? 0;
    if (found !== expected) throw new ArchiveRefused(invalid(`${link.table} holds rows of another event`));
    for (const fk of db.pragma(`foreign_key_list(${link.table})`) as ForeignKey[]) {
      const parent = links.get(fk.table);
      if (!parent) continue;
      const stray = db
        .prepare<[string, string], { n: number }>(
          `SELECT count(*) AS n FROM (SELECT * FROM ${link.table} WHERE ${link.where}) AS c
           WHERE c."${fk.from}" IS NOT NULL AND c."${fk.from}" NOT IN (SELECT "${fk.to}" FROM ${parent.table} WHERE ${parent.where})`,
        )
        .get(archive.eventId, archive.eventId)?.n;
      if (stray) throw new ArchiveRefused(invalid(`${link.table}.${fk.from} points to another event's ${fk.table}`));
    }
  }
}

function constraintRefusal(err: unknown): Refusal | null {
  if (!(err instanceof Error) || !('code' in err) || typeof err.code !== 'string') return null;
  // Ids already used here by another event (an autoincrement number, most likely): not this archive's fault.
  if (err.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || err.code === 'SQLITE_CONSTRAINT_UNIQUE') {
    return { code: 'archive_conflict', detail: err.message };
  }
  if (err.code.startsWith('SQLITE_CONSTRAINT')) return invalid(err.message);
  return null;
}

function insertAll(db: Db, archive: EventArchive): Refusal | null {
  // Foreign keys cannot be switched inside a transaction; the store opens with them on anyway.
  db.pragma('foreign_keys = ON');
  try {
    db.transaction(() => {
      for (const table of archiveTables) insertRows(db, table, archive.tables[table] ?? []);
      checkBelonging(db, archive);
    })();
    return null;
  } catch (err) {
    if (err instanceof ArchiveRefused) return err.refusal;
    const refusal = constraintRefusal(err);
    if (refusal) return refusal;
    throw err;
  }
}

/**
 * A duplicate key is either a clash with another event here or a fault of the archive itself (a
 * row given twice): told apart by importing into an empty store, so the code says which.
 */
function insertOrExplain(db: Db, archive: EventArchive): Refusal | null {
  const problem = insertAll(db, archive);
  if (problem?.code !== 'archive_conflict') return problem;
  const empty = openDatabase(':memory:');
  try {
    const alone = insertAll(empty, archive);
    return alone ? invalid(alone.detail) : problem;
  } finally {
    empty.close();
  }
}

/**
 * Adds an archived event to this server, all or nothing. `report` hears why an archive was refused
 * (for the command line); the result carries the error code only.
 */
export function importArchive(db: Db, value: unknown, report: (detail: string) => void = () => {}): Result<{ eventId: string }> {
  const shape = checkEnvelope(db, value) ?? checkTables(db, isRecord(value) && isRecord(value.tables) ? value.tables : {});
  // Past the checks, every field is known to have the archive's types.
  const archive = value as EventArchive;
  const problem = shape ?? checkEventRow(archive) ?? findExisting(db, archive) ?? insertOrExplain(db, archive);
  if (!problem) return ok({ eventId: archive.eventId });
  report(problem.detail);
  return fail(problem.code);
}
