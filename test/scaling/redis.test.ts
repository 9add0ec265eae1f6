import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ServerEvents } from '../../shared/protocol.ts';
import { smallSetup, tokenOf } from '../integration/fixtures.ts';
import { must, next, type TestSocket } from '../integration/harness.ts';

/**
 * Two real server processes (server/main.ts) on one data folder, with Socket.IO's Redis adapter and
 * a redis-server of their own: what is done through one process reaches the screens connected to
 * the other. Skipped where redis-server is missing (required in CI, see test/globalSetup.ts).
 */
const redisServer = inject('redisServer');

interface Proc {
  child: ChildProcess;
  output: string[];
}

const procs: Proc[] = [];
const sockets: TestSocket[] = [];
let dataDir = '';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts a process and resolves once a line of its output matches; rejects if it ends first or takes too long. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<Proc> {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const proc: Proc = { child, output: [] };
  procs.push(proc);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${command} not ready within 15 s:\n${proc.output.join('')}`)), 15_000);
    // Read everything, always: a full pipe would block the process.
    const read = (chunk: Buffer) => {
      proc.output.push(chunk.toString());
      if (ready.test(proc.output.join(''))) {
        clearTimeout(timer);
        resolve(proc);
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited with ${code}:\n${proc.output.join('')}`));
    });
  });
}

/** SIGTERM, then SIGKILL if it is still there after a while; the exit code (null when killed). */
function stop(child: ChildProcess, ms = 5000): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
    child.kill('SIGTERM');
  });
}

/** The promise, or a failure after `ms`. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} not within ${ms} ms`)), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

async function concerto(port: number, redisUrl: string): Promise<{ url: string; proc: Proc }> {
  const url = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: url,
    DATA_DIR: dataDir,
    CLIENT_DIR: join(dataDir, 'no-client'),
    REDIS_URL: redisUrl,
    LOG_LEVEL: 'info',
  };
  const proc = await run(process.execPath, ['--import', 'tsx', 'server/main.ts'], env, /"msg":"listening"/);
  return { url, proc };
}

async function guest(url: string): Promise<TestSocket> {
  const socket: TestSocket = connect(url, { transports: ['websocket'], reconnection: false, forceNew: true });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

async function member(url: string, token: string): Promise<TestSocket> {
  const socket: TestSocket = connect(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true, autoConnect: false });
  sockets.push(socket);
  const snapshot = new Promise<ServerEvents['state:snapshot']>((resolve, reject) => {
    socket.once('state:snapshot', resolve);
    socket.once('connect_error', reject);
  });
  socket.connect();
  await snapshot;
  return socket;
}

async function participant(joinAt: string, connectTo: string, code: string): Promise<TestSocket> {
  const g = await guest(joinAt);
  const joined = await must(g, 'participant:join', { code });
  g.disconnect();
  return member(connectTo, joined.token);
}

describe.skipIf(!redisServer)('several processes behind Redis', () => {
  let servers: Proc[] = [];
  let a = '';
  let b = '';
  let eventId = '';
  let joinCode = '';
  let facilitator: TestSocket;
  let projector: TestSocket;
  let onA: TestSocket[] = [];
  let onB: TestSocket;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'concerto-scaling-'));
    const [redisPort, portA, portB] = await Promise.all([freePort(), freePort(), freePort()]);
    const redisArgs = ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dataDir];
    await run(redisServer ?? 'redis-server', redisArgs, process.env, /Ready to accept connections/);
    const redisUrl = `redis://127.0.0.1:${redisPort}`;
    // Started together on a new data folder: one waits while the other creates the tables.
    const [first, second] = await Promise.all([concerto(portA, redisUrl), concerto(portB, redisUrl)]);
    servers = [first.proc, second.proc];
    [a, b] = [first.url, second.url];

    const created = await must(await guest(a), 'event:create', smallSetup);
    eventId = created.event.id;
    joinCode = created.event.joinCode;
    facilitator = await member(a, tokenOf(created.links.facilitator));
    projector = await member(b, tokenOf(created.links.projector));
    onA = await Promise.all([1, 2, 3].map(() => participant(a, a, joinCode)));
    onB = await participant(a, b, joinCode);
  });

  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await Promise.all(procs.map((p) => stop(p.child)));
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('a step started through A reaches a participant connected to B', async () => {
    const step = await must(facilitator, 'step:add', { eventId, step: { kind: 'plenary', title: 'Mot de bienvenue' } });
    const heard = next(onB, 'step:started', (p) => p.currentStep?.id === step.id);
    await must(facilitator, 'step:start', { eventId, stepId: step.id });
    expect((await heard).currentStep?.title).toBe('Mot de bienvenue');
  });

  it('the projector on B sees the live vote open and the tallies of dots cast on A and on B', async () => {
    const step = await must(facilitator, 'step:add', { eventId, step: { kind: 'vote', title: 'Priorités' } });
    const base = { eventId, stepId: step.id };
    const items = [];
    for (const text of ['Transport', 'Logement', 'Alimentation', 'Emploi', 'Santé', 'Culture'])
      items.push(await must(facilitator, 'vote:item:add', { ...base, text }));
    // Live: the room (the projector included) sees the tallies while the vote is open.
    await must(facilitator, 'vote:configure', { ...base, changes: { mode: 'live' } });
    await must(facilitator, 'step:start', base);

    const opened = next(projector, 'vote:updated', (p) => p.vote?.stepId === step.id && p.vote.status === 'open');
    await must(facilitator, 'vote:open', base);
    expect((await opened).vote).toMatchObject({ status: 'open', mode: 'live', budget: 2 });

    const online = (p: ServerEvents['vote:tally']) => p.tallies.reduce((s, t) => s + t.online, 0);
    const onProjector = next(projector, 'vote:tally', (p) => p.stepId === step.id && online(p) === 7, 5000);
    const onConsole = next(facilitator, 'vote:tally', (p) => p.stepId === step.id && online(p) === 7, 5000);
    // Both processes write to the one SQLite file at once: every dot is accepted.
    const [first, second] = items.map((i) => i.id);
    await Promise.all([
      ...onA.map((s) => must(s, 'vote:dot', { ...base, itemId: first ?? '', delta: 1 })),
      ...onA.map((s) => must(s, 'vote:dot', { ...base, itemId: second ?? '', delta: 1 })),
      must(onB, 'vote:dot', { ...base, itemId: second ?? '', delta: 1 }),
    ]);
    const tally = await onProjector;
    expect(tally.voters).toBe(4);
    expect(tally.tallies.find((t) => t.itemId === first)).toMatchObject({ dots: 3, online: 3 });
    expect(tally.tallies.find((t) => t.itemId === second)).toMatchObject({ dots: 4, online: 4 });
    expect((await onConsole).voters).toBe(4);
  });

  it('breakout groups formed through A reach a participant on B, and so do messages to their group', async () => {
    const step = await must(facilitator, 'step:add', {
      eventId,
      step: { kind: 'breakout', title: 'Tables', minutes: 20, breakout: { mode: 'balanced', size: 2, rounds: 1 } },
    });
    const placed = next(onB, 'group:updated', (p) => p.group?.stepId === step.id);
    await must(facilitator, 'step:start', { eventId, stepId: step.id });
    const group = (await placed).group;
    expect(group).not.toBeNull();
    const told = next(onB, 'group:updated', (p) => p.group?.message?.text === 'Encore 5 minutes');
    await must(facilitator, 'group:message', { eventId, stepId: step.id, groupId: group?.id ?? '', text: 'Encore 5 minutes' });
    expect((await told).group?.id).toBe(group?.id);
  });

  it('a purge through A signs out the participants connected to B too', async () => {
    const gone = [onB, ...onA].map((s) => new Promise<string>((resolve) => s.once('disconnect', resolve)));
    const retention = next(projector, 'retention:updated', (r) => r.purgedOn !== null);
    await must(facilitator, 'event:purge', { eventId, confirm: joinCode });
    expect(await within(Promise.all(gone), 3000, 'every participant signed out')).toEqual(Array(4).fill('io server disconnect'));
    expect((await retention).purgedOn).not.toBeNull();
    expect(projector.connected).toBe(true);
  });

  it('each process stops cleanly on SIGTERM, closing its Redis connections', async () => {
    for (const s of sockets) s.disconnect();
    expect(await Promise.all(servers.map((p) => stop(p.child)))).toEqual([0, 0]);
  });
});
