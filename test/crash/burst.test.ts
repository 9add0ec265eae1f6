import { join } from 'node:path';
import Database from 'better-sqlite3';
import { io as connect } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { boardName } from '../../shared/domain/boards.ts';
import type { Ack, CommandName, ServerEvents } from '../../shared/protocol.ts';
import type { Card } from '../../shared/schemas/board.ts';
import { smallSetup, tokenOf } from '../integration/fixtures.ts';
import { must, type TestSocket } from '../integration/harness.ts';
import { openBoard, until } from '../integration/yjs.ts';
import { crashableServer } from './server.ts';

/** One data folder for the whole file: each restart finds what the previous process wrote. */
const { dataDir, start: startServer, kill, cleanup } = crashableServer('concerto-burst-crash-');
const CLIENTS = 150;
const KILLS = 10;
const providers: WebsocketProvider[] = [];

afterAll(() => {
  for (const p of providers) p.destroy();
  cleanup();
});

async function open(url: string, token?: string): Promise<TestSocket> {
  const socket: TestSocket = connect(url, { auth: token ? { token } : {}, transports: ['websocket'], reconnection: false, forceNew: true, autoConnect: false });
  await new Promise<ServerEvents['state:snapshot'] | null>((resolve, reject) => {
    // A server killed mid-handshake answers nothing: give up rather than wait forever.
    const timer = setTimeout(() => {
      socket.disconnect();
      reject(new Error('no answer'));
    }, 3000);
    const done = (value: ServerEvents['state:snapshot'] | null) => {
      clearTimeout(timer);
      resolve(value);
    };
    const failed = (err: Error) => {
      clearTimeout(timer);
      reject(err);
    };
    if (!token) socket.once('connect', () => done(null));
    socket.once('state:snapshot', done);
    socket.once('connect_error', failed);
    socket.once('disconnect', () => failed(new Error('disconnected')));
    socket.connect();
  });
  return socket;
}

/** An action with its own command id, and whether an ok answer came back. */
interface Action {
  name: CommandName;
  payload: Record<string, unknown>;
  acked: boolean;
}

interface Client {
  token: string;
  participantId: string;
  actions: Action[];
  question: string;
  board: ReturnType<typeof openBoard>;
  cards: string[];
}

/** Sends every action not yet answered, each with its own command id; ends when the socket dies or all are answered. */
async function burst(url: string, client: Client): Promise<void> {
  let socket: TestSocket;
  try {
    socket = await open(url, client.token);
  } catch {
    return;
  }
  await Promise.all(
    client.actions
      .filter((a) => !a.acked)
      .map(
        (a) =>
          new Promise<void>((resolve) => {
            (socket.timeout(3000) as unknown as { emit: (n: string, p: unknown, cb: (err: Error | null, ack: Ack<unknown>) => void) => void }).emit(
              a.name,
              a.payload,
              (err, ack) => {
                if (!err && ack.ok) a.acked = true;
                resolve();
              },
            );
          }),
      ),
  );
  socket.disconnect();
}

/** The board as stored on disk: its snapshot and updates read into a fresh document. */
function storedCards(doc: string): Set<string> {
  const db = new Database(join(dataDir, 'concerto.db'), { readonly: true });
  const ydoc = new Y.Doc();
  const rows = db
    .prepare(
      'SELECT state AS data FROM board_snapshots WHERE doc = ? UNION ALL SELECT update_data FROM (SELECT update_data FROM board_updates WHERE doc = ? ORDER BY seq)',
    )
    .all(doc, doc) as { data: Buffer }[];
  for (const r of rows) Y.applyUpdate(ydoc, new Uint8Array(r.data));
  db.close();
  return new Set(ydoc.getMap<Card>('cards').keys());
}

describe('[CR-BURST] votes, questions, supports and cards in bursts cut by SIGKILLs', () => {
  it(`keeps every acknowledged action exactly once across ${KILLS} SIGKILLs, with ${CLIENTS} clients, and the boards converge`, async () => {
    let server = await startServer();
    const guest = await open(server.url);
    const created = await must(guest, 'event:create', {
      ...smallSetup,
      agenda: [
        { kind: 'board', title: 'Idées' },
        { kind: 'vote', title: 'Vote' },
      ],
    });
    const eventId = created.event.id;
    const axis = created.event.axes[0]?.key ?? '';
    const fac = await open(server.url, tokenOf(created.links.facilitator));
    const steps = (await must(fac, 'state:get', { eventId })).steps ?? [];
    const boardStep = steps.find((s) => s.kind === 'board')?.id ?? '';
    const voteStep = steps.find((s) => s.kind === 'vote')?.id ?? '';
    const items: { id: string }[] = [];
    for (let i = 0; i < 9; i++) items.push(await must(fac, 'vote:item:add', { eventId, stepId: voteStep, text: `Idée ${i + 1}` }));
    await must(fac, 'vote:open', { eventId, stepId: voteStep });
    await must(fac, 'questions:configure', { eventId, changes: { anyTime: true } });
    // The board step runs (participants write on the plenary board); the vote stays open beside it.
    await must(fac, 'step:start', { eventId, stepId: boardStep });
    fac.disconnect();

    const doc = boardName({ eventId, scope: { kind: 'plenary' }, axis });
    const clients: Client[] = [];
    // Ten people per guest connection: one connection may add a table's worth, never a crowd.
    for (let start = 0; start < CLIENTS; start += 10) {
      const g = await open(server.url);
      for (let i = start; i < Math.min(CLIENTS, start + 10); i++) {
        const joined = await must(g, 'participant:join', { code: created.event.joinCode });
        const question = `Question ${i} : quand saurons-nous la suite?`;
        const actions: Action[] = [
          ...[0, 1, 2].map((k) => ({
            name: 'vote:dot' as const,
            payload: { eventId, stepId: voteStep, itemId: items[(i + k) % items.length]?.id, delta: 1, cid: `c${i}-dot${k}-burst` },
            acked: false,
          })),
          { name: 'question:ask', payload: { eventId, text: question, ownerToken: `owner-${i}-0123456789abcdef`, cid: `c${i}-ask-burst` }, acked: false },
        ];
        clients.push({
          token: joined.token,
          participantId: joined.participantId,
          actions,
          question,
          board: openBoard(server.url, joined.token, doc, providers),
          cards: [],
        });
      }
      g.disconnect();
    }
    guest.disconnect();
    await Promise.all(clients.map((c) => c.board.synced));

    // Bursts, each cut by a SIGKILL at a random moment, then a restart on the same port and data.
    for (let k = 0; k < KILLS; k++) {
      const url = server.url;
      // Each client writes a card on the board in this burst; its own document keeps it whatever happens.
      for (const [i, c] of clients.entries()) {
        const id = `card-${i}-${k}-burst`;
        c.board.cards.set(id, { id, text: `Idée ${i} de la vague ${k}`, axis, colour: 'yellow' });
        c.cards.push(id);
      }
      // Supports come after the first questions exist: everyone supports question 0 once.
      if (k === 2)
        for (const c of clients)
          c.actions.push({ name: 'question:support', payload: { eventId, questionId: null, support: true, cid: `${c.participantId}-sup` }, acked: false });
      const q0 = k >= 2 ? questionId(clients[0]?.question ?? '') : null;
      for (const c of clients) for (const a of c.actions) if (a.name === 'question:support') a.payload.questionId = q0;
      const sending = Promise.all(clients.map((c) => burst(url, c)));
      await new Promise((r) => setTimeout(r, 30 + Math.floor(Math.random() * 300)));
      await kill(server.child);
      await sending;
      server = await startServer(server.port);
    }
    // Calm rounds: whatever was never answered is sent again with the same command id, until all are
    // answered or a minute has passed. Supports name question 0 once its asking is stored: if no burst
    // let it through before the supports were written, they are pointed at it now.
    const calmUntil = Date.now() + 60_000;
    while (clients.some((c) => c.actions.some((a) => !a.acked)) && Date.now() < calmUntil) {
      const q0 = questionId(clients[0]?.question ?? '');
      for (const c of clients)
        for (const a of c.actions) if (a.name === 'question:support' && !a.acked && a.payload.questionId === null) a.payload.questionId = q0;
      for (let start = 0; start < clients.length; start += 25) await Promise.all(clients.slice(start, start + 25).map((c) => burst(server.url, c)));
    }
    expect(clients.flatMap((c) => c.actions.filter((a) => !a.acked).map((a) => `${c.participantId} ${a.name} ${JSON.stringify(a.payload)}`))).toEqual([]);

    // The boards converge: every client's document and the server's hold every card written.
    const everyCard = clients.flatMap((c) => c.cards);
    await Promise.all(clients.map((c) => until(c.board.ydoc, () => c.board.cards.size === everyCard.length, 20_000)));
    // The server has written every card to the file (read from outside while it runs), then it is killed.
    const deadline = Date.now() + 20_000;
    while (storedCards(doc).size < everyCard.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    for (const p of providers) p.destroy();
    await kill(server.child);
    const stored = storedCards(doc);
    expect(stored.size).toBe(everyCard.length);
    for (const id of everyCard) expect(stored.has(id), id).toBe(true);

    const db = new Database(join(dataDir, 'concerto.db'), { readonly: true });
    // Dots: exactly once each.
    const dots = db.prepare('SELECT participant_id, item_id, count FROM dots WHERE step_id = ?').all(voteStep) as {
      participant_id: string;
      item_id: string;
      count: number;
    }[];
    const byKey = new Map(dots.map((d) => [`${d.participant_id}|${d.item_id}`, d.count]));
    for (const c of clients)
      for (const a of c.actions.filter((x) => x.name === 'vote:dot')) expect(byKey.get(`${c.participantId}|${String(a.payload.itemId)}`)).toBe(1);
    expect(dots.reduce((s, d) => s + d.count, 0)).toBe(CLIENTS * 3);
    // Questions: each asked exactly once (no author is stored: the text tells them apart).
    const texts = db.prepare('SELECT text, count(*) AS n FROM questions WHERE event_id = ? GROUP BY text').all(eventId) as { text: string; n: number }[];
    expect(texts.length).toBe(CLIENTS);
    expect(texts.every((t) => t.n === 1)).toBe(true);
    // Supports: one per person on question 0.
    const supports = db
      .prepare('SELECT count(*) AS n FROM question_supports s JOIN questions q ON q.id = s.question_id WHERE q.text = ?')
      .get(clients[0]?.question ?? '') as { n: number };
    expect(supports.n).toBe(CLIENTS);
    db.close();
  }, 240_000);
});

/** The id of a question by its text, read from the file: an acknowledged question is committed there. */
function questionId(text: string): string | null {
  const db = new Database(join(dataDir, 'concerto.db'), { readonly: true });
  try {
    return db.prepare<[string], { id: string }>('SELECT id FROM questions WHERE text = ?').get(text)?.id ?? null;
  } finally {
    db.close();
  }
}
