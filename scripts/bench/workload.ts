/**
 * The workload, driven against one server URL (Concerto's or the baseline's, the same code and the
 * same seeded schedule for both): an event with a questions step, a board step in groups of 8 and a
 * vote step; a projector connected throughout; N participants who join, ask and support questions,
 * write cards on their group's board while the others at the table watch, and place their dots.
 * Every action happens at a random moment of its phase's window, never all in one tick.
 */
import { randomBytes } from 'node:crypto';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { EventSetupInput } from '../../shared/schemas/event.ts';
import { seeded, shuffle } from './metrics.ts';

export const AXIS = 'mobilite';
/** Questions: each ask and each support is broadcast to the whole room (n² messages), so both are capped. */
const ASK_SHARE = 0.05;
const ASK_MAX = 60;
const SUPPORT_SHARE = 0.25;
const SUPPORT_MAX = 300;
const CARDS_PER_PERSON = 2;
const VOTE_ITEMS = 12;
const ACK_TIMEOUT_MS = 30_000;
/** Joins are spread over the window, or over N / this many per second if that is longer. */
const JOINS_PER_SECOND = 100;
/** A pause after each phase, before its figures are taken: steps follow each other, not in the same second. */
const PHASE_GAP_MS = 2000;

export interface WorkloadOptions {
  url: string;
  participants: number;
  windowMs: number;
  seed: number;
  log: (line: string) => void;
  /** Called at the end of each phase (the bench asks the server for its figures then). */
  mark: (phase: string) => Promise<void>;
}

export interface WorkloadResult {
  /** Acknowledgement latency by command, ms. */
  acks: Record<string, number[]>;
  /** Refused or timed-out commands by command and code. */
  failures: Record<string, number>;
  /** Token socket connected to snapshot received, ms. */
  connects: number[];
  /** Dot sent to the first projector tally that includes it, ms. */
  tallies: number[];
  tallyMissing: number;
  /** Card written to its arrival on each other member's document, ms. */
  cards: number[];
  cardExpected: number;
  joined: number;
  grouped: number;
  boardsSynced: number;
  dotsPlaced: number;
  unexpectedDisconnects: number;
  boardCloses: number;
  errors: string[];
  /** The bench process itself: if it was saturated, the figures say more about it than the server. */
  client: { cpuMs: number; loopP99Ms: number; elu: number; wallMs: number };
}

type Sock = Socket;
type Ack = { ok: true; data: unknown } | { ok: false; code: string };

interface Person {
  index: number;
  token: string;
  participantId: string;
  socket: Sock;
  stepId: string | null;
  groupId: string | null;
  groupStepId: string | null;
  provider: WebsocketProvider | null;
  cards: Y.Map<unknown> | null;
  synced: boolean;
  own: Set<string>;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function waitUntil(check: () => boolean, ms: number, pollMs = 50): Promise<boolean> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) return false;
    await sleep(pollMs);
  }
  return true;
}

const secret = (bytes = 18) => randomBytes(bytes).toString('base64url');
const tokenOf = (link: string) => link.slice(link.indexOf('#') + 1);

export async function runWorkload(opts: WorkloadOptions): Promise<WorkloadResult> {
  const { url, participants: n, windowMs, log } = opts;
  const random = seeded(opts.seed);
  const result: WorkloadResult = {
    acks: {},
    failures: {},
    connects: [],
    tallies: [],
    tallyMissing: 0,
    cards: [],
    cardExpected: 0,
    joined: 0,
    grouped: 0,
    boardsSynced: 0,
    dotsPlaced: 0,
    unexpectedDisconnects: 0,
    boardCloses: 0,
    errors: [],
    client: { cpuMs: 0, loopP99Ms: 0, elu: 0, wallMs: 0 },
  };
  const sockets = new Set<Sock>();
  const providers = new Set<WebsocketProvider>();
  let closing = false;

  // y-websocket adds a process 'exit' listener per provider: thousands of boards are expected here.
  const maxListeners = process.getMaxListeners();
  process.setMaxListeners(Math.max(maxListeners, n + 50));
  const loop = monitorEventLoopDelay({ resolution: 2 });
  loop.enable();
  const cpu0 = process.cpuUsage();
  const elu0 = performance.eventLoopUtilization();
  const wall0 = performance.now();

  function fail(key: string): void {
    result.failures[key] = (result.failures[key] ?? 0) + 1;
  }

  function command(socket: Sock, name: string, payload: unknown): Promise<Ack | null> {
    const started = performance.now();
    return new Promise((resolve) => {
      socket.timeout(ACK_TIMEOUT_MS).emit(name, payload, (err: Error | null, ack: Ack) => {
        if (err) {
          fail(`${name}: timeout`);
          return resolve(null);
        }
        (result.acks[name] ??= []).push(performance.now() - started);
        if (!ack.ok) fail(`${name}: ${ack.code}`);
        resolve(ack);
      });
    });
  }

  async function must<T>(socket: Sock, name: string, payload: unknown): Promise<T> {
    const ack = await command(socket, name, payload);
    if (!ack) throw new Error(`${name}: no answer`);
    if (!ack.ok) throw new Error(`${name}: ${ack.code}`);
    return ack.data as T;
  }

  function open(auth: { token?: string }, listen?: (s: Sock) => void): Promise<{ socket: Sock; snapshot: Record<string, unknown> | null }> {
    const socket = io(url, { auth, transports: ['websocket'], reconnection: false, forceNew: true, autoConnect: false, timeout: ACK_TIMEOUT_MS });
    sockets.add(socket);
    listen?.(socket);
    const guest = auth.token === undefined;
    return new Promise((resolve, reject) => {
      socket.once('connect_error', (err) => reject(err));
      if (guest) socket.once('connect', () => resolve({ socket, snapshot: null }));
      else socket.once('state:snapshot', (snapshot: Record<string, unknown>) => resolve({ socket, snapshot }));
      socket.on('disconnect', (reason) => {
        sockets.delete(socket);
        if (!closing && reason !== 'io client disconnect') result.unexpectedDisconnects++;
      });
      socket.connect();
    });
  }

  try {
    // ---- Setup: the event, its facilitator and projector.
    const setup: EventSetupInput = {
      title: 'Banc d’essai',
      date: '2026-11-19',
      place: 'Rimouski',
      axes: [
        { key: AXIS, title: 'Mobilité' },
        { key: 'logement', title: 'Logement' },
      ],
      agenda: [
        { kind: 'questions', title: 'Vos questions', minutes: 20 },
        { kind: 'board', title: 'Tables de travail', minutes: 30, axes: [AXIS], breakout: { mode: 'balanced', size: 8 } },
        { kind: 'vote', title: 'Priorités', minutes: 15 },
      ],
    };
    const creator = await open({});
    const created = await must<{ event: { id: string; joinCode: string }; links: { facilitator: string; projector: string } }>(
      creator.socket,
      'event:create',
      setup,
    );
    creator.socket.disconnect();
    const eventId = created.event.id;
    const code = created.event.joinCode;
    const facilitator = await open({ token: tokenOf(created.links.facilitator) });
    const tallyLog: { at: number; total: number }[] = [];
    const projector = await open({ token: tokenOf(created.links.projector) }, (s) =>
      s.on('vote:tally', (p: { tallies: { dots: number }[] }) => tallyLog.push({ at: performance.now(), total: p.tallies.reduce((a, t) => a + t.dots, 0) })),
    );
    void projector;
    const steps = (facilitator.snapshot?.steps ?? []) as { id: string; kind: string }[];
    const stepOf = (kind: string) => {
      const step = steps.find((s) => s.kind === kind);
      if (!step) throw new Error(`no ${kind} step in the facilitator's snapshot`);
      return step.id;
    };
    const questionsStep = stepOf('questions');
    const boardStep = stepOf('board');
    const voteStep = stepOf('vote');
    const fac = facilitator.socket;
    await opts.mark('setup');

    // ---- Everyone joins (as a guest), then connects with their token, as a phone does.
    const people: Person[] = [];
    const joinWindow = Math.max(windowMs, (n / JOINS_PER_SECOND) * 1000);
    const joinAt = Array.from({ length: n }, () => random() * joinWindow);
    log(`  join: ${n} people over ${(joinWindow / 1000).toFixed(0)} s`);
    await Promise.all(
      joinAt.map(async (at, index) => {
        await sleep(at);
        try {
          const guest = await open({});
          const joined = await must<{ participantId: string; token: string }>(guest.socket, 'participant:join', { code, displayName: `Personne ${index + 1}` });
          guest.socket.disconnect();
          const started = performance.now();
          const person: Person = {
            index,
            token: joined.token,
            participantId: joined.participantId,
            socket: null as unknown as Sock,
            stepId: null,
            groupId: null,
            groupStepId: null,
            provider: null,
            cards: null,
            synced: false,
            own: new Set(),
          };
          const member = await open({ token: joined.token }, (s) => {
            s.on('step:started', (p: { currentStep: { id: string } | null }) => (person.stepId = p.currentStep?.id ?? null));
            s.on('group:updated', (p: { group: { id: string; stepId: string } | null }) => {
              person.groupId = p.group?.id ?? null;
              person.groupStepId = p.group?.stepId ?? null;
            });
          });
          result.connects.push(performance.now() - started);
          person.socket = member.socket;
          people.push(person);
        } catch (err) {
          if (result.errors.length < 20) result.errors.push(`join ${index}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }),
    );
    people.sort((a, b) => a.index - b.index);
    result.joined = people.length;
    log(`  joined: ${people.length}/${n}`);
    await sleep(PHASE_GAP_MS);
    await opts.mark('join');

    // ---- Questions: some ask, many support one of the questions asked.
    await must(fac, 'step:start', { eventId, stepId: questionsStep });
    if (!(await waitUntil(() => people.every((p) => p.stepId === questionsStep), 15_000))) result.errors.push('not everyone heard the questions step start');
    const order = shuffle(people, random);
    const askers = order.slice(0, Math.min(ASK_MAX, Math.ceil(n * ASK_SHARE)));
    const supporters = shuffle(people, random).slice(0, Math.min(SUPPORT_MAX, Math.ceil(n * SUPPORT_SHARE)));
    const asked: { id: string; by: number }[] = [];
    const half = windowMs / 2;
    log(`  questions: ${askers.length} ask, ${supporters.length} support`);
    await Promise.all([
      ...askers.map(async (p) => {
        await sleep(random() * half);
        const ack = await command(p.socket, 'question:ask', {
          eventId,
          text: `Question de la personne ${p.index + 1} sur le transport?`,
          ownerToken: secret(),
        });
        if (ack?.ok) asked.push({ id: (ack.data as { question: { id: string } }).question.id, by: p.index });
      }),
      ...supporters.map(async (p) => {
        const at = half + random() * half;
        const pick = random();
        await sleep(at);
        const choices = asked.filter((q) => q.by !== p.index);
        const q = choices[Math.floor(pick * choices.length)];
        if (q) await command(p.socket, 'question:support', { eventId, questionId: q.id, support: true });
      }),
    ]);
    await sleep(PHASE_GAP_MS);
    await opts.mark('questions');

    // ---- Board in groups: each person opens their table's board, then writes cards the table sees.
    await must(fac, 'step:start', { eventId, stepId: boardStep });
    await waitUntil(() => people.every((p) => p.groupStepId === boardStep && p.groupId !== null), 30_000);
    const seated = people.filter((p) => p.groupStepId === boardStep && p.groupId !== null);
    result.grouped = seated.length;
    if (seated.length < people.length) result.errors.push(`${people.length - seated.length} people never heard their group`);
    const sentAt = new Map<string, number>();
    const openAt = seated.map(() => random() * half);
    await Promise.all(
      seated.map(async (p, k) => {
        await sleep(openAt[k] ?? 0);
        const ydoc = new Y.Doc();
        const doc = `board:${eventId}:group-${p.groupId}:${AXIS}`;
        const provider = new WebsocketProvider(url.replace('http', 'ws') + '/yjs', doc, ydoc, {
          WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
          params: { token: p.token },
          disableBc: true,
        });
        providers.add(provider);
        p.provider = provider;
        const cards = ydoc.getMap<unknown>('cards');
        p.cards = cards;
        cards.observe((event) => {
          if (event.transaction.local) return;
          const now = performance.now();
          for (const key of event.keysChanged) {
            const sent = sentAt.get(key);
            if (sent !== undefined && !p.own.has(key)) result.cards.push(now - sent);
          }
        });
        provider.on('connection-close', () => {
          if (closing || !providers.has(provider)) return;
          result.boardCloses++;
          // No reconnection storms: a board closed by the server stays closed.
          provider.disconnect();
        });
        await new Promise<void>((resolve) => {
          if (provider.synced) return resolve();
          provider.once('sync', () => resolve());
          setTimeout(resolve, 30_000).unref();
        });
        p.synced = provider.synced;
      }),
    );
    const atTables = seated.filter((p) => p.synced);
    result.boardsSynced = atTables.length;
    if (atTables.length < seated.length) result.errors.push(`${seated.length - atTables.length} boards never synced`);
    const tables = new Map<string, Person[]>();
    for (const p of atTables) tables.set(p.groupId as string, [...(tables.get(p.groupId as string) ?? []), p]);
    log(`  board: ${atTables.length} people at ${tables.size} tables write ${CARDS_PER_PERSON} cards each`);
    const writes = atTables.flatMap((p) => Array.from({ length: CARDS_PER_PERSON }, (_, c) => ({ p, c, at: random() * windowMs })));
    await Promise.all(
      writes.map(async ({ p, c, at }) => {
        await sleep(at);
        const id = `card-${p.index}-${c}-${secret(6)}`;
        p.own.add(id);
        result.cardExpected += (tables.get(p.groupId as string)?.length ?? 1) - 1;
        sentAt.set(id, performance.now());
        p.cards?.set(id, { id, text: `Idée ${c + 1} de la personne ${p.index + 1}`, axis: AXIS, colour: 'yellow' });
      }),
    );
    if (!(await waitUntil(() => result.cards.length >= result.cardExpected, 15_000))) {
      result.errors.push(`${result.cardExpected - result.cards.length} card deliveries never arrived`);
    }
    // The step is over: people leave their boards.
    for (const provider of [...providers]) {
      providers.delete(provider);
      provider.destroy();
    }
    await sleep(PHASE_GAP_MS);
    await opts.mark('board');

    // ---- Vote: 12 items, live tallies, everyone places their budget (items ÷ 3) of dots.
    const vote = { eventId, stepId: voteStep };
    const items: string[] = [];
    for (let i = 0; i < VOTE_ITEMS; i++) items.push((await must<{ id: string }>(fac, 'vote:item:add', { ...vote, text: `Priorité ${i + 1}` })).id);
    await must(fac, 'vote:configure', { ...vote, changes: { mode: 'live' } });
    await must(fac, 'step:start', { eventId, stepId: voteStep });
    await must(fac, 'vote:open', vote);
    if (!(await waitUntil(() => people.every((p) => p.stepId === voteStep), 15_000))) result.errors.push('not everyone heard the vote step start');
    const budget = Math.max(1, Math.floor(VOTE_ITEMS / 3));
    const dots = people.flatMap((p) =>
      shuffle(items, random)
        .slice(0, budget)
        .map((itemId) => ({ p, itemId, at: random() * windowMs })),
    );
    const placed: { sent: number; acked: number }[] = [];
    log(`  vote: ${dots.length} dots on ${items.length} items`);
    await Promise.all(
      dots.map(async ({ p, itemId, at }) => {
        await sleep(at);
        const sent = performance.now();
        const ack = await command(p.socket, 'vote:dot', { ...vote, itemId, delta: 1 });
        if (ack?.ok) placed.push({ sent, acked: performance.now() });
      }),
    );
    result.dotsPlaced = placed.length;
    await waitUntil(() => (tallyLog.at(-1)?.total ?? 0) >= placed.length, 10_000);
    // The k-th dot acknowledged is the k-th counted: it is in every tally whose total reaches k.
    placed.sort((a, b) => a.acked - b.acked);
    let t = 0;
    placed.forEach((dot, k) => {
      while (t < tallyLog.length && (tallyLog[t] as { total: number }).total < k + 1) t++;
      const tally = tallyLog[t];
      if (tally) result.tallies.push(tally.at - dot.sent);
      else result.tallyMissing++;
    });
    await must(fac, 'vote:close', vote);
    await opts.mark('vote');
  } catch (err) {
    result.errors.push(err instanceof Error ? err.message : String(err));
  } finally {
    closing = true;
    for (const provider of providers) provider.destroy();
    for (const socket of [...sockets]) socket.disconnect();
    const cpu = process.cpuUsage(cpu0);
    result.client = {
      cpuMs: (cpu.user + cpu.system) / 1000,
      loopP99Ms: loop.count ? Math.max(0, loop.percentile(99) / 1e6 - 2) : 0,
      elu: performance.eventLoopUtilization(elu0).utilization,
      wallMs: performance.now() - wall0,
    };
    loop.disable();
    process.setMaxListeners(maxListeners);
  }
  return result;
}
