import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isStale, newestMtime, SERVER_ENTRY } from '../../scripts/build.ts';
import { spawnServer, type ServerProcess } from './process.ts';

describe('[ST1] the compiled server runs with plain node', { timeout: 180_000 }, () => {
  // Inside the repository, like dist/server: the compiled files find node_modules and package.json
  // ("type": "module") by walking up, as they do when `npm start` runs them.
  mkdirSync('dist', { recursive: true });
  const dir = mkdtempSync(join('dist', 'start-test-'));
  const outDir = join(dir, 'server');
  const dataDir = join(dir, 'data');
  let server: ServerProcess | undefined;

  // The same build as `npm start`'s, into a folder of this test's own (dist/ may be in use).
  beforeAll(() => {
    execFileSync(join('node_modules', '.bin', 'tsx'), ['scripts/build.ts', '--server-only', '--out-dir', outDir], { stdio: 'pipe' });
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts, finds its migrations and the example scenario next to its compiled files, and answers', async () => {
    expect(existsSync(join(outDir, SERVER_ENTRY))).toBe(true);
    // No TypeScript left to load: every relative import, static or dynamic, points at a .js file.
    const compiled = readdirSync(outDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'));
    expect(compiled.length).toBeGreaterThan(20);
    const tsImport = /(?:from\s*|import\s*\(\s*)['"]\.{1,2}\/[^'"]*\.ts['"]/;
    for (const file of compiled) expect(readFileSync(join(outDir, file), 'utf8'), file).not.toMatch(tsImport);
    expect(readFileSync(join(outDir, SERVER_ENTRY), 'utf8')).toContain('import("./app.js")');

    server = spawnServer(['--enable-source-maps', join(outDir, SERVER_ENTRY)], {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      CLIENT_DIR: join(dir, 'no-client'),
      LOG_LEVEL: 'info',
      // Nothing may reach the server through a loader: plain node only.
      NODE_OPTIONS: '',
    });
    const base = `http://127.0.0.1:${await server.listening}`;
    expect(await (await fetch(`${base}/api/health`)).json()).toMatchObject({ ok: true });
    // The example event comes from shared/scenario/*.json, imported as JSON.
    const example = (await (await fetch(`${base}/api/example`)).json()) as { agenda: unknown[] };
    expect(example.agenda.length).toBeGreaterThan(0);
    // Every migration in server/db/migrations was found and applied.
    const migrations = readdirSync('server/db/migrations').filter((f) => f.endsWith('.sql')).length;
    const db = new Database(join(dataDir, 'concerto.db'), { readonly: true });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(migrations);
    } finally {
      db.close();
    }
  });
});

describe('[ST2] npm start builds only what is missing or older than its sources', () => {
  const dir = mkdtempSync(join(tmpdir(), 'concerto-stale-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const at = (path: string, seconds: number) => utimesSync(path, seconds, seconds);

  it('compares the output with the newest file or folder under the sources', () => {
    const src = join(dir, 'src');
    mkdirSync(join(src, 'deep'), { recursive: true });
    writeFileSync(join(src, 'a.ts'), '');
    writeFileSync(join(src, 'deep', 'b.ts'), '');
    const out = join(dir, 'out.stamp');
    for (const p of [join(src, 'a.ts'), join(src, 'deep', 'b.ts'), join(src, 'deep'), src]) at(p, 1_000);

    expect(isStale(out, [src])).toBe(true); // missing
    writeFileSync(out, '');
    at(out, 2_000);
    expect(isStale(out, [src])).toBe(false);
    expect(newestMtime([src, join(dir, 'absent')])).toBe(1_000_000);

    at(join(src, 'deep', 'b.ts'), 3_000); // a source edited after the build
    expect(isStale(out, [src])).toBe(true);
    at(join(src, 'deep', 'b.ts'), 1_000);
    expect(isStale(out, [src])).toBe(false);
    rmSync(join(src, 'deep', 'b.ts')); // a source deleted: its folder changed
    expect(isStale(out, [src])).toBe(true);
  });
});
