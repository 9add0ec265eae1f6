/**
 * Saves one event to a JSON archive, or adds an archived event to this server (a backup, or a move
 * to another machine). See docs/ARCHIVE.md.
 *   npm run archive -- export <event id or join code> [--out file.json] [--data-dir dir]
 *   npm run archive -- import <file.json> [--data-dir dir]
 * Without --data-dir, the database is the server's (DATA_DIR, as for the server). Both work while
 * the server runs: SQLite's WAL lets both open the file.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { formatJoinCode, isJoinCode, normalizeJoinCode } from '../../shared/domain/joinCode.ts';
import type { ErrorCode } from '../../shared/domain/errors.ts';
import { createTranslator, errorKey } from '../../shared/i18n/index.ts';
import { createApp } from '../app.ts';
import { readConfig, type ServerConfig } from '../config.ts';
import { openDatabase, type Db } from '../db/index.ts';
import { eventsRepo } from '../db/events.ts';
import { joinInfo } from '../views/snapshot.ts';
import { silentLogger } from '../logger.ts';
import { exportArchive, importArchive } from '../exports/archive.ts';

const USAGE = `Usage:
  npm run archive -- export <event id or join code> [--out file.json] [--data-dir dir]
  npm run archive -- import <file.json> [--data-dir dir]`;

class CliError extends Error {}

/** The event by its id, or else by its join code (typed as people read it: "ABC-123"). */
function findEventId(db: Db, idOrCode: string): string {
  const events = eventsRepo(db);
  const code = normalizeJoinCode(idOrCode);
  const event = events.get(idOrCode) ?? (isJoinCode(code) ? events.byJoinCode(code) : undefined);
  if (!event) throw new CliError(`No event with the id or join code "${idOrCode}".`);
  return event.info.id;
}

function runExport(db: Db, idOrCode: string, out: string | undefined): void {
  const archive = exportArchive(db, findEventId(db, idOrCode));
  if (!archive) throw new CliError(`No event "${idOrCode}".`);
  const json = JSON.stringify(archive, null, 2) + '\n';
  if (!out) {
    process.stdout.write(json);
    return;
  }
  writeFileSync(out, json, { mode: 0o600 });
  const rows = Object.values(archive.tables).reduce((n, t) => n + t.length, 0);
  process.stderr.write(`Archive of event ${archive.eventId} (${rows} rows) written to ${out}.\n`);
  // Names and profiles are in it until the event is purged: as sensitive as the database.
  process.stderr.write('It holds names and profiles until the event is purged: store it safely.\n');
}

function refusal(code: ErrorCode, details: string[]): string {
  const message = (locale: 'fr-CA' | 'en-CA') => createTranslator(locale)(errorKey(code));
  return [`${message('fr-CA')}`, `${message('en-CA')}`, ...details.map((d) => `  (${code}: ${d})`)].join('\n');
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (err) {
    throw new CliError(`Cannot read ${file} as JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
}

async function runImport(db: Db, config: ServerConfig, file: string): Promise<void> {
  const details: string[] = [];
  const result = importArchive(db, readJson(file), (d) => details.push(d));
  if (!result.ok) throw new CliError(refusal(result.code, details));
  // The links are the event's own, on this server's address.
  const app = createApp({ db, clock: { now: () => Date.now() }, logger: silentLogger, config: { publicUrl: config.publicUrl } });
  const stored = app.services.repos.events.get(result.data.eventId);
  if (!stored) throw new CliError('The event was imported but cannot be read back.');
  const join = joinInfo(app.services, stored.info.joinCode);
  await app.close();
  // Only hashes of the staff secrets are stored: the links are the old ones, on this server's address.
  const lines = [
    `${stored.info.title}: imported / importé`,
    ``,
    `  Code pour rejoindre / Join code : ${formatJoinCode(stored.info.joinCode)}`,
    `  Rejoindre / Join               : ${join.url}`,
    `  Liens de l’équipe / Staff links : les mêmes qu’avant, avec l’adresse ${config.publicUrl}`,
    `                                    the same as before, with the address ${config.publicUrl}`,
    ``,
    `  Données / Data: ${config.dbFile}`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { out: { type: 'string' }, 'data-dir': { type: 'string' } },
  });
  const [command, target, ...rest] = positionals;
  if (!target || rest.length || (command !== 'export' && command !== 'import')) throw new CliError(USAGE);
  if (command === 'import' && values.out !== undefined) throw new CliError(USAGE);
  const dataDir = values['data-dir'];
  const config = readConfig(dataDir === undefined ? process.env : { ...process.env, DATA_DIR: dataDir });
  // Exporting from a folder with no database would only make an empty one there.
  if (command === 'export' && !existsSync(config.dbFile)) throw new CliError(`No database at ${config.dbFile}.`);
  const db = openDatabase(config.dbFile);
  try {
    if (command === 'export') runExport(db, target, values.out);
    else await runImport(db, config, target);
  } finally {
    db.close();
  }
}

try {
  await main(process.argv.slice(2));
} catch (err) {
  // Mistakes in the arguments or a refused archive: one clear message, no stack.
  if (!(err instanceof CliError || (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS')))) throw err;
  process.stderr.write(err.message + '\n');
  process.exitCode = 1;
}
