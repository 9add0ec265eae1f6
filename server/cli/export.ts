/**
 * The organizer's exports from the command line, for scheduled backups (cron, a systemd timer):
 *   npm run export -- <event id or join code> [kind ...] [--out-dir dir] [--data-dir dir]
 * Kinds: bilan.docx bilan.pdf donnees.xlsx donnees-csv.zip faq.docx faq.pdf faq.md (default: all).
 * Files are written to --out-dir (default: the current folder) under the names the console uses.
 * Works while the server runs: SQLite's WAL lets both open the file.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isJoinCode, normalizeJoinCode } from '../../shared/domain/joinCode.ts';
import { createApp } from '../app.ts';
import { readConfig } from '../config.ts';
import { openDatabase } from '../db/index.ts';
import { EXPORT_KINDS, exportFile, isExportKind } from '../exports/index.ts';
import { silentLogger } from '../logger.ts';

const USAGE = `Usage: npm run export -- <event id or join code> [${EXPORT_KINDS.join(' | ')} ...] [--out-dir dir] [--data-dir dir]`;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: { 'out-dir': { type: 'string' }, 'data-dir': { type: 'string' } } });
  const [target, ...kinds] = positionals;
  const unknown = kinds.filter((k) => !isExportKind(k));
  if (!target || unknown.length) {
    process.stderr.write(`${unknown.length ? `Unknown kind: ${unknown.join(', ')}\n` : ''}${USAGE}\n`);
    return 1;
  }
  const dataDir = values['data-dir'];
  const config = readConfig(dataDir === undefined ? process.env : { ...process.env, DATA_DIR: dataDir });
  if (!existsSync(config.dbFile)) {
    process.stderr.write(`No database at ${config.dbFile}.\n`);
    return 1;
  }
  const db = openDatabase(config.dbFile);
  const app = createApp({ db, clock: { now: () => Date.now() }, logger: silentLogger, config: { publicUrl: config.publicUrl } });
  try {
    const code = normalizeJoinCode(target);
    const event = app.services.repos.events.get(target) ?? (isJoinCode(code) ? app.services.repos.events.byJoinCode(code) : undefined);
    if (!event) {
      process.stderr.write(`No event with the id or join code "${target}".\n`);
      return 1;
    }
    const outDir = values['out-dir'] ?? '.';
    mkdirSync(outDir, { recursive: true });
    for (const kind of kinds.length ? kinds.filter(isExportKind) : EXPORT_KINDS) {
      const file = await exportFile(app.services, event.info.id, kind, Date.now());
      if (!file) continue;
      const path = join(outDir, file.fileName);
      writeFileSync(path, file.body);
      process.stdout.write(`${path}\n`);
    }
    return 0;
  } finally {
    await app.close();
    db.close();
  }
}

process.exitCode = await main(process.argv.slice(2));
