/**
 * npm run bench [-- --sizes 150,500] [--window 10] [--seed 1] [--skip-js] [--cpu-prof DIR]
 *
 * For each size, the same workload (workload.ts) against Concerto's real server and against a bare
 * baseline (baseline-server.ts), each in a process of its own started fresh for the run; then the
 * figures, Concerto's as ratios to the floor, and one machine-readable `BENCH {…}` line per size.
 * Also the participant page's first JavaScript, gzipped (bundle.ts).
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { measureBundle, BUDGET_KB } from './bundle.ts';
import { commitLatency } from './disk.ts';
import { fmt, ratio, round1, summarise, type Summary } from './metrics.ts';
import { killChildren, startServer, type ServerKind } from './servers.ts';
import type { ServerStats } from './stats.ts';
import { runWorkload, type WorkloadResult } from './workload.ts';

const ALL_SIZES = [150, 500, 1000, 2000, 5000];

const { values } = parseArgs({
  options: {
    sizes: { type: 'string' },
    window: { type: 'string', default: '10' },
    seed: { type: 'string', default: '1' },
    'skip-js': { type: 'boolean', default: false },
    /** Write V8 CPU profiles of the servers to this folder (node --cpu-prof), to see where the time goes. */
    'cpu-prof': { type: 'string' },
  },
});
const sizes = values.sizes ? values.sizes.split(',').map((s) => Number(s.trim())) : ALL_SIZES;
if (sizes.some((s) => !Number.isInteger(s) || s < 2)) throw new Error(`--sizes: whole numbers of participants, got "${values.sizes}"`);
const windowMs = Number(values.window) * 1000;
const seed = Number(values.seed);

// Children never outlive the bench.
process.on('exit', killChildren);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    killChildren();
    process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1));
  });
}
process.on('uncaughtException', (err) => {
  console.error('bench failed:', err);
  killChildren();
  process.exit(1);
});

const log = (line: string) => console.log(line);

interface Run {
  kind: ServerKind;
  idle: ServerStats | null;
  end: ServerStats | null;
  phases: ServerStats[];
  work: WorkloadResult | null;
  problems: string[];
  error: string | null;
  /** The machine's 1-minute load average before and after: other jobs share it. */
  load: number[];
}

async function runOne(kind: ServerKind, n: number): Promise<Run> {
  const run: Run = { kind, idle: null, end: null, phases: [], work: null, problems: [], error: null, load: [] };
  run.load.push(loadavg()[0] ?? 0);
  let server: Awaited<ReturnType<typeof startServer>> | null = null;
  try {
    server = await startServer(kind, values['cpu-prof']);
    log(`${kind} server: pid ${server.pid}, ${server.url}`);
    // Idle: started, settled, no client yet.
    await new Promise((r) => setTimeout(r, 1000));
    run.idle = await server.stats('idle');
    await server.reset('start');
    const handle = server;
    run.work = await runWorkload({
      url: server.url,
      participants: n,
      windowMs,
      seed: seed * 1_000_003 + n,
      log,
      mark: async (phase) => {
        run.phases.push(await handle.stats(phase));
      },
    });
    run.end = await server.stats('end');
    run.problems = server.problems;
  } catch (err) {
    run.error = err instanceof Error ? err.message : String(err);
  } finally {
    await server?.stop().catch(() => {});
  }
  run.load.push(loadavg()[0] ?? 0);
  // Sockets closed on both sides before the next run starts.
  await new Promise((r) => setTimeout(r, 1500));
  return run;
}

interface Figures {
  ack: Summary | null;
  tally: Summary | null;
  card: Summary | null;
  connect: Summary | null;
  cpuS: number | null;
  peakRssMB: number | null;
  idleRssMB: number | null;
  rssPerParticipantKB: number | null;
  loopP99Ms: number | null;
  loopMaxMs: number | null;
  elu: number | null;
  bytesPerParticipant: number | null;
}

function figures(run: Run, n: number): Figures {
  const w = run.work;
  const allAcks = w ? Object.values(w.acks).flat() : [];
  const end = run.end;
  return {
    ack: summarise(allAcks),
    tally: w ? summarise(w.tallies) : null,
    card: w ? summarise(w.cards) : null,
    connect: w ? summarise(w.connects) : null,
    cpuS: end ? (end.cpuUserMs + end.cpuSystemMs) / 1000 : null,
    peakRssMB: end?.peakRssMB ?? null,
    idleRssMB: run.idle?.rssMB ?? null,
    rssPerParticipantKB: end && run.idle ? ((end.peakRssMB - run.idle.rssMB) * 1024) / n : null,
    loopP99Ms: end?.loopP99Ms ?? null,
    loopMaxMs: end?.loopMaxMs ?? null,
    elu: end?.elu ?? null,
    bytesPerParticipant: end ? end.bytesWritten / n : null,
  };
}

const pct = (s: Summary | null) => (s ? `${fmt(s.p50)} / ${fmt(s.p95)} / ${fmt(s.p99)}` : '—');

function report(n: number, concerto: Run, baseline: Run): void {
  const c = figures(concerto, n);
  const b = figures(baseline, n);
  const row = (label: string, cv: string, bv: string, r: number | null = null) =>
    log(`  ${label.padEnd(34)} ${cv.padStart(24)} ${bv.padStart(24)} ${r === null ? '' : `×${fmt(r, 2)}`.padStart(8)}`);
  log('');
  log(`== ${n} participants (window ${windowMs / 1000} s, seed ${seed}) ==`);
  for (const run of [concerto, baseline]) {
    if (run.error) log(`  ${run.kind} FAILED: ${run.error}`);
    for (const e of run.work?.errors ?? []) log(`  ${run.kind}: ${e}`);
    const f = run.work?.failures ?? {};
    if (Object.keys(f).length) log(`  ${run.kind} refused or unanswered commands: ${JSON.stringify(f)}`);
    if (run.work?.unexpectedDisconnects) log(`  ${run.kind}: ${run.work.unexpectedDisconnects} sockets dropped`);
    if (run.work?.boardCloses) log(`  ${run.kind}: ${run.work.boardCloses} boards closed by the server`);
    if (run.work?.tallyMissing) log(`  ${run.kind}: ${run.work.tallyMissing} dots never seen in a projector tally`);
    for (const p of run.problems.slice(0, 5)) log(`  ${run.kind} log: ${p}`);
  }
  row('', 'Concerto', 'baseline', null);
  row('machine load (1 min) before / after', concerto.load.map((l) => fmt(l, 2)).join(' / '), baseline.load.map((l) => fmt(l, 2)).join(' / '));
  row('ack p50 / p95 / p99 ms', pct(c.ack), pct(b.ack), ratio(c.ack?.p99, b.ack?.p99));
  row('tally→projector p50 / p95 / p99 ms', pct(c.tally), pct(b.tally), ratio(c.tally?.p99, b.tally?.p99));
  row('card→peers p50 / p95 / p99 ms', pct(c.card), pct(b.card), ratio(c.card?.p99, b.card?.p99));
  row('connect→snapshot p50 / p95 / p99 ms', pct(c.connect), pct(b.connect), ratio(c.connect?.p99, b.connect?.p99));
  row(
    'samples: acks / dots / cards',
    `${c.ack?.count ?? 0} / ${c.tally?.count ?? 0} / ${c.card?.count ?? 0}`,
    `${b.ack?.count ?? 0} / ${b.tally?.count ?? 0} / ${b.card?.count ?? 0}`,
  );
  row('server CPU s (user+system)', fmt(c.cpuS, 2), fmt(b.cpuS, 2), ratio(c.cpuS, b.cpuS));
  row('server event-loop utilisation', fmt(c.elu, 2), fmt(b.elu, 2));
  row('event-loop delay p99 / max ms', `${fmt(c.loopP99Ms)} / ${fmt(c.loopMaxMs)}`, `${fmt(b.loopP99Ms)} / ${fmt(b.loopMaxMs)}`);
  row('RSS idle / peak MB', `${fmt(c.idleRssMB)} / ${fmt(c.peakRssMB)}`, `${fmt(b.idleRssMB)} / ${fmt(b.peakRssMB)}`);
  row('RSS above idle per participant KB', fmt(c.rssPerParticipantKB), fmt(b.rssPerParticipantKB), ratio(c.rssPerParticipantKB, b.rssPerParticipantKB));
  row(
    'bytes sent per participant KB',
    fmt((c.bytesPerParticipant ?? NaN) / 1024),
    fmt((b.bytesPerParticipant ?? NaN) / 1024),
    ratio(c.bytesPerParticipant, b.bytesPerParticipant),
  );
  row(
    'bench clients: CPU s / loop p99 ms',
    concerto.work ? `${fmt(concerto.work.client.cpuMs / 1000, 2)} / ${fmt(concerto.work.client.loopP99Ms)}` : '—',
    baseline.work ? `${fmt(baseline.work.client.cpuMs / 1000, 2)} / ${fmt(baseline.work.client.loopP99Ms)}` : '—',
  );

  // Where Concerto's time goes: acknowledgements by command, and server CPU by phase.
  const byCommand = Object.entries(concerto.work?.acks ?? {}).sort((x, y) => y[1].length - x[1].length);
  if (byCommand.length) {
    log('  Concerto acks by command (n, p50 / p95 / p99 ms; baseline p99):');
    for (const [name, lat] of byCommand) {
      const s = summarise(lat);
      const bs = summarise(baseline.work?.acks[name] ?? []);
      log(`    ${name.padEnd(20)} ${String(s?.count ?? 0).padStart(6)}  ${pct(s).padStart(24)}   ${fmt(bs?.p99)}`);
    }
  }
  const phaseCpu = (run: Run) => {
    let prev = 0;
    return run.phases.map((p) => {
      const total = p.cpuUserMs + p.cpuSystemMs;
      const out = `${p.tag} ${fmt((total - prev) / 1000, 2)}s`;
      prev = total;
      return out;
    });
  };
  if (concerto.phases.length) log(`  server CPU by phase: Concerto ${phaseCpu(concerto).join(', ')}; baseline ${phaseCpu(baseline).join(', ')}`);

  const line = {
    participants: n,
    ackP99Ms: round1(c.ack?.p99),
    tallyP99Ms: round1(c.tally?.p99),
    cardP99Ms: round1(c.card?.p99),
    rssMB: round1(c.peakRssMB),
    loopP99Ms: round1(c.loopP99Ms),
    ackRatio: round1(ratio(c.ack?.p99, b.ack?.p99)),
    cardRatio: round1(ratio(c.card?.p99, b.card?.p99)),
    rssPerParticipantKB: round1(c.rssPerParticipantKB),
  };
  log(`BENCH ${JSON.stringify(line)}`);
}

async function main(): Promise<void> {
  log(`Concerto bench: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}, sizes ${sizes.join(', ')}`);
  if (!values['skip-js']) {
    try {
      const bundle = await measureBundle();
      log('Participant page, JavaScript loaded at first (gzip):');
      for (const f of bundle.initial) log(`  ${f.file}: ${fmt(f.bytes / 1024)} KB raw, ${fmt(f.gzipBytes / 1024)} KB gzip`);
      log(
        `  total ${fmt(bundle.initialGzipKB)} KB gzip: ${bundle.underBudget ? 'under' : 'OVER'} the ${BUDGET_KB} KB budget (chunks loaded later by steps: ${fmt(bundle.laterGzipKB)} KB gzip)`,
      );
    } catch (err) {
      log(`Participant page JavaScript not measured: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const commit = commitLatency();
  log(`Disk: one SQLite commit (WAL, synchronous=FULL) p50 / p95 / p99 ${pct(commit)} ms`);
  for (const n of sizes) {
    log('');
    log(`--- ${n} participants: Concerto`);
    const concerto = await runOne('concerto', n);
    log(`--- ${n} participants: baseline`);
    const baseline = await runOne('baseline', n);
    report(n, concerto, baseline);
  }
}

await main();
process.exit(0);
