/**
 * The participant page's first JavaScript: builds the client, reads dist/client/index.html and gzips
 * every script the page loads before anything else (its module script and modulepreload links).
 * Chunks loaded later, when a board or a vote step needs them, are listed apart.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { trackChild } from './servers.ts';

export const BUDGET_KB = 100;
const CLIENT_DIR = 'dist/client';

export interface BundleReport {
  initial: { file: string; bytes: number; gzipBytes: number }[];
  initialGzipKB: number;
  laterGzipKB: number;
  underBudget: boolean;
}

function build(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: ['ignore', 'inherit', 'inherit'] });
    trackChild(child);
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`vite build exited with ${code}`))));
  });
}

const gz = (file: string) => gzipSync(readFileSync(file)).byteLength;

export async function measureBundle(): Promise<BundleReport> {
  await build();
  const html = readFileSync(join(CLIENT_DIR, 'index.html'), 'utf8');
  const srcs = new Set<string>();
  for (const tag of html.match(/<script\b[^>]*>/g) ?? []) {
    if (!/type=["']module["']/.test(tag)) continue;
    const src = /\bsrc=["']([^"']+)["']/.exec(tag)?.[1];
    if (src) srcs.add(src);
  }
  for (const tag of html.match(/<link\b[^>]*>/g) ?? []) {
    if (!/rel=["']modulepreload["']/.test(tag)) continue;
    const href = /\bhref=["']([^"']+)["']/.exec(tag)?.[1];
    if (href) srcs.add(href);
  }
  const initial = [...srcs].map((src) => {
    const file = join(CLIENT_DIR, src.replace(/^\.?\//, ''));
    return { file: src, bytes: readFileSync(file).byteLength, gzipBytes: gz(file) };
  });
  const initialFiles = new Set(initial.map((f) => f.file.replace(/^\.?\//, '')));
  let later = 0;
  const assets = join(CLIENT_DIR, 'assets');
  for (const name of readdirSync(assets)) {
    if (!name.endsWith('.js') || initialFiles.has(`assets/${name}`)) continue;
    later += gz(join(assets, name));
  }
  const initialGzipKB = initial.reduce((a, f) => a + f.gzipBytes, 0) / 1024;
  return { initial, initialGzipKB, laterGzipKB: later / 1024, underBudget: initialGzipKB <= BUDGET_KB };
}
