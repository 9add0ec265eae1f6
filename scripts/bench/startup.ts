/**
 * npm run bench:startup [-- --runs 5] [--settle 2]
 *
 * Start time and idle memory of the server, run as `npm start` used to run it (the tsx command, which
 * compiles TypeScript in memory) and as it runs now (compiled JavaScript under plain node, with and
 * without --enable-source-maps). For each way, one warm-up run (tsx's cache, the database's
 * migrations), then `--runs` runs, each a fresh process on the same data folder:
 * - start: from spawn to the first answer of /api/health (after the "listening" line);
 * - CPU time to start: user + system time of the process and its children at that answer, which
 *   depends far less than the wall-clock time on what else the machine is doing;
 * - idle RSS: resident memory of the process and its children (tsx starts node as a child)
 *   `--settle` seconds after that answer, with no client connected.
 * Prints the medians (and the range) as a Markdown table.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { build, SERVER_ENTRY } from '../build.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, settle: { type: 'string', default: '2' } } });
const runs = Number(values.runs);
const settleMs = Number(values.settle) * 1000;

const WAYS: { label: string; command: string; args: string[] }[] = [
  { label: 'tsx server/main.ts (before)', command: join('node_modules', '.bin', 'tsx'), args: ['server/main.ts'] },
  { label: 'node --enable-source-maps dist/… (npm start)', command: process.execPath, args: ['--enable-source-maps', join('dist', 'server', SERVER_ENTRY)] },
  { label: 'node dist/… (no source maps)', command: process.execPath, args: [join('dist', 'server', SERVER_ENTRY)] },
];

const TICKS_PER_SECOND = 100; // USER_HZ, 100 on Linux

/** Resident memory (kB) and CPU time used so far (ms, user + system) of `pid` and all its descendants, from /proc. */
function treeUsage(pid: number): { rssKb: number; cpuMs: number } {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // The process ended while we read.
    }
  }
  let rssKb = 0;
  let ticks = 0;
  const visit = (p: number) => {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
      rssKb += m ? Number(m[1]) : 0;
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime and stime: fields 14 and 15 of /proc/<pid>/stat, 12 and 13 after the command name.
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      return;
    }
    for (const c of children.get(p) ?? []) visit(c);
  };
  visit(pid);
  return { rssKb, cpuMs: (ticks * 1000) / TICKS_PER_SECOND };
}

async function once(way: (typeof WAYS)[number], dataDir: string): Promise<{ startMs: number; cpuMs: number; rssMb: number }> {
  const t0 = performance.now();
  const child = spawn(way.command, way.args, {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info', NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split('\n').find((l) => l.includes('"msg":"listening"'));
      if (line) resolve((JSON.parse(line) as { port: number }).port);
    });
    void exited.then(() => reject(new Error(`${way.label} exited before listening`)));
  });
  const health = await fetch(`http://127.0.0.1:${port}/api/health`);
  if (health.status !== 200) throw new Error(`${way.label}: /api/health answered ${health.status}`);
  const startMs = performance.now() - t0;
  const { cpuMs } = treeUsage(child.pid!);
  await new Promise((r) => setTimeout(r, settleMs));
  const rssMb = treeUsage(child.pid!).rssKb / 1024;
  child.kill('SIGTERM');
  await exited;
  return { startMs, cpuMs, rssMb };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const range = (xs: number[], digits: number) => `${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)}`;

build({ ifStale: true, serverOnly: true, outDir: join('dist', 'server') });
const dataDir = mkdtempSync(join(tmpdir(), 'concerto-startup-'));
try {
  process.stdout.write(
    `${cpus().length} cores, load average ${loadavg()[0]!.toFixed(1)} at start; ${runs} runs per way, RSS ${settleMs / 1000} s after the first answer\n\n`,
  );
  process.stdout.write(
    '| how the server runs | start, median (range) | CPU time to start, median (range) | idle RSS, median (range) |\n| --- | --- | --- | --- |\n',
  );
  for (const way of WAYS) {
    await once(way, dataDir); // warm-up
    const results = [];
    for (let i = 0; i < runs; i++) results.push(await once(way, dataDir));
    const starts = results.map((r) => r.startMs);
    const cpu = results.map((r) => r.cpuMs);
    const rss = results.map((r) => r.rssMb);
    process.stdout.write(
      `| ${way.label} | ${median(starts).toFixed(0)} ms (${range(starts, 0)}) | ${median(cpu).toFixed(0)} ms (${range(cpu, 0)}) | ${median(rss).toFixed(0)} MB (${range(rss, 0)}) |\n`,
    );
  }
  process.stdout.write(`\nload average ${loadavg()[0]!.toFixed(1)} at the end\n`);
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
