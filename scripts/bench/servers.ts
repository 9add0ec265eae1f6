/**
 * Starts a benchmarked server (Concerto or the baseline) as a child process on a fresh data folder,
 * waits for /api/health, asks it for its resource figures, and stops it. Every child started here is
 * killed when the bench exits, whatever the reason.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { ServerStats } from './stats.ts';

export type ServerKind = 'concerto' | 'baseline';

const ENTRIES: Record<ServerKind, string> = {
  concerto: 'scripts/bench/concerto-server.ts',
  baseline: 'scripts/bench/baseline-server.ts',
};

const children = new Set<ChildProcess>();
const dataDirs = new Set<string>();

/** Kills every child still running and removes their data folders: on exit, on Ctrl-C, on a crash of the bench. */
export function killChildren(): void {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  children.clear();
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  dataDirs.clear();
}

export function trackChild(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export interface ServerHandle {
  kind: ServerKind;
  url: string;
  pid: number;
  /** Resets the measured window (CPU, bytes, loop delay, peak RSS) and reports. */
  reset(tag: string): Promise<ServerStats>;
  stats(tag: string): Promise<ServerStats>;
  /** Warnings and errors the server logged (Concerto's JSON logs), for the report. */
  problems: string[];
  stop(): Promise<void>;
}

/** `profileDir`: the server writes a V8 CPU profile there when it stops (node --cpu-prof). */
export async function startServer(kind: ServerKind, profileDir?: string): Promise<ServerHandle> {
  const dataDir = mkdtempSync(join(tmpdir(), `concerto-bench-${kind}-`));
  dataDirs.add(dataDir);
  const port = await freePort();
  const profile = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', ENTRIES[kind]], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      PUBLIC_URL: `http://127.0.0.1:${port}`,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  trackChild(child);
  const problems: string[] = [];
  const stderr: string[] = [];
  const waiting = new Map<string, (s: ServerStats) => void>();
  let ready: (port: number) => void = () => {};
  const listening = new Promise<number>((resolve) => (ready = resolve));
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code, signal) => reject(new Error(`${kind} server exited (${signal ?? code}): ${stderr.slice(-5).join(' | ')}`))),
  );
  exited.catch(() => {});

  createInterface({ input: child.stdout }).on('line', (line) => {
    if (line.startsWith('BENCHREADY ')) return ready((JSON.parse(line.slice(11)) as { port: number }).port);
    if (line.startsWith('BENCHSTATS ')) {
      const stats = JSON.parse(line.slice(11)) as ServerStats;
      waiting.get(stats.tag)?.(stats);
      waiting.delete(stats.tag);
      return;
    }
    // The built client is not needed here; anything else logged as a warning or an error is reported.
    if (/"level":"(warn|error)"/.test(line) && !line.includes('"client not built"') && problems.length < 50) problems.push(line);
  });
  createInterface({ input: child.stderr }).on('line', (line) => {
    stderr.push(line);
    if (stderr.length > 50) stderr.shift();
  });

  const actualPort = await Promise.race([listening, exited, timeout(30_000, `${kind} server did not start`)]);
  const url = `http://127.0.0.1:${actualPort}`;
  await Promise.race([health(url), exited]);

  function ask(command: 'reset' | 'stats', tag: string): Promise<ServerStats> {
    const answer = new Promise<ServerStats>((resolve) => waiting.set(tag, resolve));
    child.stdin.write(`${command} ${tag}\n`);
    return Promise.race([answer, exited, timeout(30_000, `${kind} server did not report its figures`)]);
  }

  return {
    kind,
    url,
    pid: child.pid ?? 0,
    problems,
    reset: (tag) => ask('reset', tag),
    stats: (tag) => ask('stats', tag),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await gone;
        clearTimeout(killer);
      }
      rmSync(dataDir, { recursive: true, force: true });
      dataDirs.delete(dataDir);
    },
  };
}

async function health(url: string): Promise<void> {
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url}/api/health never answered`);
}

function timeout(ms: number, message: string): Promise<never> {
  return new Promise((_, reject) => setTimeout(() => reject(new Error(message)), ms).unref());
}
