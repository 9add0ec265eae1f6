/**
 * npm run build [-- --if-stale] [--server-only] [--out-dir dist/server]
 *
 * Builds what `npm start` runs: the web client (Vite, into dist/client) and the server compiled to
 * JavaScript (tsc, into dist/server) so that plain `node` runs it. With --if-stale, each part is
 * built only when its output is missing or older than one of its sources, so that `npm start`
 * after `npm start` starts at once.
 *
 * The server is compiled without type checking (`--noCheck`): `npm run typecheck` is the check, and
 * it keeps the compile under ten seconds on a small machine. Files the server reads at run time next
 * to its sources (the SQL migrations) are copied beside the compiled files; JSON imports are copied
 * by tsc itself.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';

/** The server's entry point, once compiled, relative to the output folder. */
export const SERVER_ENTRY = join('server', 'main.js');
/** Written last, so a build stopped half-way is never taken as up to date. */
const STAMP = '.built';

const SERVER_SOURCES = ['server', 'shared', 'tsconfig.json', 'tsconfig.server.json', 'package.json'];
const CLIENT_SOURCES = ['client', 'shared', 'vite.config.ts', 'tsconfig.json', 'package.json', 'package-lock.json'];
/** Read by the server at run time from next to its own module, so copied beside the compiled files. */
const RUNTIME_ASSETS = [join('server', 'db', 'migrations')];

/** The newest modification time under these paths (files and folders, recursively); 0 when none exist. */
export function newestMtime(paths: readonly string[]): number {
  let newest = 0;
  const visit = (path: string) => {
    if (!existsSync(path)) return;
    const s = statSync(path);
    // A folder's own time moves when a file is deleted or renamed in it: that too calls for a build.
    newest = Math.max(newest, s.mtimeMs);
    if (s.isDirectory()) for (const entry of readdirSync(path)) visit(join(path, entry));
  };
  for (const p of paths) visit(p);
  return newest;
}

/** True when `output` is missing or older than any of `sources`. */
export function isStale(output: string, sources: readonly string[]): boolean {
  if (!existsSync(output)) return true;
  return statSync(output).mtimeMs < newestMtime(sources);
}

function run(command: string, args: string[]): void {
  execFileSync(join('node_modules', '.bin', command), args, { stdio: 'inherit' });
}

export function buildClient(): void {
  run('vite', ['build', '--logLevel', 'warn']);
}

export function buildServer(outDir: string): void {
  // Emptied first: a source file deleted since the last build must not linger as JavaScript.
  rmSync(outDir, { recursive: true, force: true });
  run('tsc', ['-p', 'tsconfig.server.json', '--noCheck', '--outDir', outDir]);
  for (const asset of RUNTIME_ASSETS) cpSync(asset, join(outDir, asset), { recursive: true });
  writeFileSync(join(outDir, STAMP), `${new Date().toISOString()}\n`);
}

export function build(opts: { ifStale: boolean; serverOnly: boolean; outDir: string }): void {
  const clientOut = join('dist', 'client', 'index.html');
  if (!opts.serverOnly && (!opts.ifStale || isStale(clientOut, CLIENT_SOURCES))) {
    process.stderr.write('Building the web client (dist/client)…\n');
    buildClient();
  }
  if (!opts.ifStale || isStale(join(opts.outDir, STAMP), SERVER_SOURCES)) {
    process.stderr.write(`Compiling the server (${relative('.', opts.outDir) || '.'})…\n`);
    buildServer(opts.outDir);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      'if-stale': { type: 'boolean', default: false },
      'server-only': { type: 'boolean', default: false },
      'out-dir': { type: 'string', default: join('dist', 'server') },
    },
  });
  build({ ifStale: values['if-stale'], serverOnly: values['server-only'], outDir: resolve(values['out-dir']) });
}
