/**
 * The floor the benchmark compares Concerto with: the same workload served as plainly as it can be.
 * Plain Socket.IO (same options as Concerto's server) where every acknowledged command is an
 * in-memory update, with the same broadcasts (a question to the room, tallies coalesced every 100 ms
 * to the projector and, for a live vote, the room, each person's group); and a bare y-websocket sync
 * server on /yjs/<document> (y-protocols/sync, no auth, no checks, no storage). Its own process,
 * reporting its resource use like Concerto's (see stats.ts).
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { Server, type Socket } from 'socket.io';
import { WebSocket, WebSocketServer } from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { reportStats } from './stats.ts';

const TALLY_EVERY_MS = 100;
const id = () => randomBytes(12).toString('base64url');

interface Step {
  id: string;
  kind: string;
  title: string;
  axes: string[] | null;
  breakout: { size?: number } | null;
}
interface Question {
  id: string;
  text: string;
  supports: Set<string>;
}
interface Vote {
  status: 'draft' | 'open' | 'closed';
  mode: 'hidden' | 'live';
  items: { id: string; text: string }[];
  dots: Map<string, Map<string, number>>;
  totals: Map<string, number>;
  timer: NodeJS.Timeout | null;
}
interface Ev {
  id: string;
  code: string;
  steps: Step[];
  current: string | null;
  staffTokens: Map<string, 'facilitator' | 'cofacilitator' | 'projector'>;
  participants: string[];
  groups: Map<string, string>;
  questions: Map<string, Question>;
  votes: Map<string, Vote>;
}
type Actor = { kind: 'guest' } | { kind: 'staff'; role: string; ev: Ev } | { kind: 'participant'; id: string; ev: Ev };

const events = new Map<string, Ev>();
const byCode = new Map<string, Ev>();
const tokens = new Map<string, Actor>();

const httpServer = createServer((req, res) => {
  if (req.url === '/api/health') {
    res.setHeader('Content-Type', 'application/json');
    res.end('{"ok":true}');
    return;
  }
  res.statusCode = 404;
  res.end();
});
const io = new Server(httpServer, {
  serveClient: false,
  maxHttpBufferSize: 64 * 1024,
  pingInterval: 10_000,
  pingTimeout: 10_000,
  destroyUpgrade: false,
});

const room = {
  event: (e: Ev) => `e:${e.id}`,
  staff: (e: Ev) => `e:${e.id}:staff`,
  projector: (e: Ev) => `e:${e.id}:projector`,
  participant: (p: string) => `p:${p}`,
  group: (g: string) => `g:${g}`,
};

function attach(socket: Socket, actor: Actor): void {
  socket.data.actor = actor;
  if (actor.kind === 'guest') return;
  const rooms = [room.event(actor.ev)];
  if (actor.kind === 'staff') rooms.push(actor.role === 'projector' ? room.projector(actor.ev) : room.staff(actor.ev));
  else {
    rooms.push(room.participant(actor.id));
    const g = actor.ev.groups.get(actor.id);
    if (g) rooms.push(room.group(g));
  }
  void socket.join(rooms);
}

function myGroup(ev: Ev, participantId: string) {
  const g = ev.groups.get(participantId);
  return g ? { id: g, stepId: ev.current } : null;
}

function voteOf(ev: Ev, stepId: string): Vote {
  let v = ev.votes.get(stepId);
  if (!v) ev.votes.set(stepId, (v = { status: 'draft', mode: 'hidden', items: [], dots: new Map(), totals: new Map(), timer: null }));
  return v;
}

function voteView(stepId: string, v: Vote) {
  return { stepId, status: v.status, mode: v.mode, budget: Math.max(1, Math.floor(v.items.length / 3)), items: v.items };
}

function tallies(v: Vote) {
  return v.items.map((i) => ({ itemId: i.id, dots: v.totals.get(i.id) ?? 0 }));
}

function scheduleTally(ev: Ev, stepId: string, v: Vote): void {
  if (v.timer) return;
  v.timer = setTimeout(() => {
    v.timer = null;
    const payload = { stepId, tallies: tallies(v), voters: v.dots.size };
    io.to(room.staff(ev)).emit('vote:tally', payload);
    if (v.mode === 'live' && v.status === 'open') io.to(room.event(ev)).except(room.staff(ev)).emit('vote:tally', payload);
  }, TALLY_EVERY_MS);
}

function publishQuestion(ev: Ev, q: Question): void {
  io.to(room.event(ev)).emit('question:updated', { questionId: q.id, question: { id: q.id, text: q.text, supports: q.supports.size }, hidden: {} });
}

type Payload = Record<string, unknown>;
type Result = { ok: true; data: unknown } | { ok: false; code: string };
const ok = (data: unknown): Result => ({ ok: true, data });
const fail = (code: string): Result => ({ ok: false, code });

const handlers: Record<string, (socket: Socket, actor: Actor, p: Payload) => Result> = {
  'event:create'(_socket, _actor, p) {
    const agenda = (p.agenda ?? []) as { kind: string; title: string; axes?: string[]; breakout?: { size?: number } }[];
    const ev: Ev = {
      id: id(),
      code: randomBytes(4).toString('hex').toUpperCase().slice(0, 6),
      steps: agenda.map((s) => ({ id: id(), kind: s.kind, title: s.title, axes: s.axes ?? null, breakout: s.breakout ?? null })),
      current: null,
      staffTokens: new Map(),
      participants: [],
      groups: new Map(),
      questions: new Map(),
      votes: new Map(),
    };
    events.set(ev.id, ev);
    byCode.set(ev.code, ev);
    const link = (role: 'facilitator' | 'cofacilitator' | 'projector') => {
      const token = id();
      tokens.set(token, { kind: 'staff', role, ev });
      return `http://baseline/${role}#${token}`;
    };
    const axes = ((p.axes ?? []) as { key?: string; title: string }[]).map((a) => ({ key: a.key ?? a.title, title: a.title }));
    return ok({
      event: { id: ev.id, joinCode: ev.code, title: p.title, axes },
      links: { facilitator: link('facilitator'), cofacilitator: link('cofacilitator'), projector: link('projector'), join: '', joinCode: ev.code },
    });
  },

  'participant:join'(socket, _actor, p) {
    const ev = byCode.get(String(p.code));
    if (!ev) return fail('join_code_unknown');
    const participantId = id();
    const token = id();
    const actor: Actor = { kind: 'participant', id: participantId, ev };
    tokens.set(token, actor);
    ev.participants.push(participantId);
    attach(socket, actor);
    return ok({ eventId: ev.id, participantId, token });
  },

  'step:start'(_socket, actor, p) {
    if (actor.kind !== 'staff') return fail('forbidden');
    const ev = actor.ev;
    const step = ev.steps.find((s) => s.id === p.stepId);
    if (!step) return fail('step_not_found');
    ev.current = step.id;
    io.to(room.event(ev)).emit('step:started', { currentStep: step, serverNow: Date.now() });
    if (step.breakout) {
      // Balanced groups of the step's size, dealt in join order.
      const count = Math.max(1, Math.ceil(ev.participants.length / (step.breakout.size ?? 8)));
      const groups = Array.from({ length: count }, () => id());
      ev.participants.forEach((pid, i) => ev.groups.set(pid, groups[i % count] as string));
      for (const socket of io.sockets.sockets.values()) {
        const a = socket.data.actor as Actor | undefined;
        if (a?.kind !== 'participant' || a.ev !== ev) continue;
        const group = myGroup(ev, a.id);
        if (group) void socket.join(room.group(group.id));
        socket.emit('group:updated', { group, choices: null });
      }
    }
    return ok({ currentStepId: step.id });
  },

  'question:ask'(_socket, actor, p) {
    if (actor.kind === 'guest') return fail('forbidden');
    const q: Question = { id: id(), text: String(p.text), supports: new Set() };
    actor.ev.questions.set(q.id, q);
    publishQuestion(actor.ev, q);
    return ok({ question: { id: q.id, text: q.text, supports: 0 } });
  },

  'question:support'(_socket, actor, p) {
    if (actor.kind !== 'participant') return fail('forbidden');
    const q = actor.ev.questions.get(String(p.questionId));
    if (!q) return fail('question_not_found');
    if (p.support) q.supports.add(actor.id);
    else q.supports.delete(actor.id);
    publishQuestion(actor.ev, q);
    return ok({ questionId: q.id, supported: Boolean(p.support), supports: q.supports.size });
  },

  'vote:item:add'(_socket, actor, p) {
    if (actor.kind !== 'staff') return fail('forbidden');
    const stepId = String(p.stepId);
    const v = voteOf(actor.ev, stepId);
    const item = { id: id(), text: String(p.text) };
    v.items.push(item);
    io.to(room.event(actor.ev)).emit('vote:updated', { vote: voteView(stepId, v) });
    return ok(item);
  },

  'vote:configure'(_socket, actor, p) {
    if (actor.kind !== 'staff') return fail('forbidden');
    const stepId = String(p.stepId);
    const v = voteOf(actor.ev, stepId);
    const changes = (p.changes ?? {}) as { mode?: 'hidden' | 'live' };
    if (changes.mode) v.mode = changes.mode;
    io.to(room.event(actor.ev)).emit('vote:updated', { vote: voteView(stepId, v) });
    return ok(voteView(stepId, v));
  },

  'vote:open'(_socket, actor, p) {
    if (actor.kind !== 'staff') return fail('forbidden');
    const stepId = String(p.stepId);
    const v = voteOf(actor.ev, stepId);
    v.status = 'open';
    io.to(room.event(actor.ev)).emit('vote:updated', { vote: voteView(stepId, v) });
    return ok({ status: 'open' });
  },

  'vote:close'(_socket, actor, p) {
    if (actor.kind !== 'staff') return fail('forbidden');
    const stepId = String(p.stepId);
    const v = voteOf(actor.ev, stepId);
    v.status = 'closed';
    io.to(room.event(actor.ev)).emit('vote:updated', { vote: { ...voteView(stepId, v), tallies: tallies(v) } });
    return ok({ status: 'closed' });
  },

  'vote:dot'(socket, actor, p) {
    if (actor.kind !== 'participant') return fail('forbidden');
    const stepId = String(p.stepId);
    const v = voteOf(actor.ev, stepId);
    if (v.status !== 'open') return fail('vote_not_open');
    const itemId = String(p.itemId);
    const delta = p.delta === -1 ? -1 : 1;
    let mine = v.dots.get(actor.id);
    if (!mine) v.dots.set(actor.id, (mine = new Map()));
    mine.set(itemId, Math.max(0, (mine.get(itemId) ?? 0) + delta));
    v.totals.set(itemId, Math.max(0, (v.totals.get(itemId) ?? 0) + delta));
    let spent = 0;
    for (const n of mine.values()) spent += n;
    const data = { stepId, dots: Object.fromEntries(mine), left: Math.max(0, Math.floor(v.items.length / 3) - spent), order: v.items.map((i) => i.id) };
    socket.to(room.participant(actor.id)).emit('vote:mine', data);
    scheduleTally(actor.ev, stepId, v);
    return ok(data);
  },
};

io.use((socket, next) => {
  const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
  if (token === undefined || token === null || token === '') {
    socket.data.actor = { kind: 'guest' } satisfies Actor;
    return next();
  }
  const actor = typeof token === 'string' ? tokens.get(token) : undefined;
  if (!actor) return next(new Error('forbidden'));
  socket.data.actor = actor;
  next();
});

io.on('connection', (socket) => {
  const actor = socket.data.actor as Actor;
  attach(socket, actor);
  if (actor.kind !== 'guest') {
    const ev = actor.ev;
    socket.emit('state:snapshot', {
      role: actor.kind === 'staff' ? actor.role : 'participant',
      event: { id: ev.id, joinCode: ev.code },
      steps: actor.kind === 'staff' ? ev.steps : null,
      currentStep: ev.steps.find((s) => s.id === ev.current) ?? null,
      group: actor.kind === 'participant' ? myGroup(ev, actor.id) : null,
    });
  }
  for (const [name, handler] of Object.entries(handlers)) {
    socket.on(name, (payload: unknown, ack: unknown) => {
      if (typeof ack !== 'function') return;
      const current = socket.data.actor as Actor;
      (ack as (r: Result) => void)(handler(socket, current, (payload ?? {}) as Payload));
    });
  }
});

// A bare y-websocket server: documents in memory, every update relayed to the other connections.
const MESSAGE_SYNC = 0;
const docs = new Map<string, { doc: Y.Doc; conns: Set<WebSocket> }>();
const wss = new WebSocketServer({ noServer: true });

function docOf(name: string) {
  let entry = docs.get(name);
  if (entry) return entry;
  const doc = new Y.Doc();
  const conns = new Set<WebSocket>();
  entry = { doc, conns };
  doc.on('update', (update: Uint8Array, origin: unknown) => {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_SYNC);
    syncProtocol.writeUpdate(encoder, update);
    const bytes = encoding.toUint8Array(encoder);
    for (const ws of conns) if (ws !== origin && ws.readyState === WebSocket.OPEN) ws.send(bytes);
  });
  docs.set(name, entry);
  return entry;
}

httpServer.on('upgrade', (req, socket, head) => {
  const path = (req.url ?? '').split('?')[0] ?? '';
  if (!path.startsWith('/yjs/')) {
    if (!path.startsWith('/socket.io/')) socket.destroy();
    return;
  }
  const name = decodeURIComponent(path.slice('/yjs/'.length));
  wss.handleUpgrade(req, socket, head, (ws) => {
    const { doc, conns } = docOf(name);
    conns.add(ws);
    ws.binaryType = 'arraybuffer';
    ws.on('message', (data: ArrayBuffer) => {
      const decoder = decoding.createDecoder(new Uint8Array(data));
      if (decoding.readVarUint(decoder) !== MESSAGE_SYNC) return;
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MESSAGE_SYNC);
      syncProtocol.readSyncMessage(decoder, encoder, doc, ws);
      if (encoding.length(encoder) > 1) ws.send(encoding.toUint8Array(encoder));
    });
    ws.on('close', () => {
      conns.delete(ws);
      if (conns.size === 0) {
        doc.destroy();
        docs.delete(name);
      }
    });
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_SYNC);
    syncProtocol.writeSyncStep1(encoder, doc);
    ws.send(encoding.toUint8Array(encoder));
  });
});

reportStats(httpServer);
httpServer.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const { port } = httpServer.address() as AddressInfo;
  process.stdout.write(`BENCHREADY ${JSON.stringify({ port })}\n`);
});

function shutdown(): void {
  for (const ws of wss.clients) ws.terminate();
  void io.close();
  process.exit(0);
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
process.stdin.on('close', shutdown);
