import { join } from 'node:path';
import { crashableServer } from './server.ts';
import Database from 'better-sqlite3';
import { io as connect } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import type { Ack, ServerEvents } from '../../shared/protocol.ts';
import { smallSetup, tokenOf } from '../integration/fixtures.ts';
import { must, type TestSocket } from '../integration/harness.ts';

/** One data folder for the whole file: each restart finds what the previous process wrote. */
const { dataDir, start: startServer, kill, cleanup } = crashableServer('concerto-vote-crash-');
const VOTERS = 150;
const KILLS = 5;



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

afterAll(cleanup);

interface Voter {
  token: string;
  participantId: string;
  /** Each dot this voter means to place: its command id, its item, and whether an ok answer came back. */
  dots: { cid: string; itemId: string; acked: boolean }[];
}

/** Sends every dot not yet answered, with its own command id; resolves when the socket dies or all are sent. */
async function burst(url: string, voter: Voter, stepId: string, eventId: string): Promise<void> {
  let socket: TestSocket;
  try {
    socket = await open(url, voter.token);
  } catch {
    return;
  }
  await Promise.all(
    voter.dots
      .filter((d) => !d.acked)
      .map(
        (d) =>
          new Promise<void>((resolve) => {
            socket.timeout(3000).emit('vote:dot', { eventId, stepId, itemId: d.itemId, delta: 1, cid: d.cid }, (err: Error | null, ack: Ack<unknown>) => {
              if (!err && ack.ok) d.acked = true;
              resolve();
            });
          }),
      ),
  );
  socket.disconnect();
}

describe('[CR-VOTE] dots cast in a burst while the server is killed', () => {
  it(`counts every acknowledged dot exactly once across ${KILLS} SIGKILLs, with ${VOTERS} voters`, async () => {
    let server = await startServer();
    const guest = await open(server.url);
    const created = await must(guest, 'event:create', smallSetup);
    const eventId = created.event.id;
    const fac = await open(server.url, tokenOf(created.links.facilitator));
    const step = await must(fac, 'step:add', { eventId, step: { kind: 'vote', title: 'Vote' } });
    const items: { id: string }[] = [];
    for (let i = 0; i < 9; i++) items.push(await must(fac, 'vote:item:add', { eventId, stepId: step.id, text: `Idée ${i + 1}` }));
    await must(fac, 'vote:open', { eventId, stepId: step.id });
    await must(fac, 'step:start', { eventId, stepId: step.id });
    fac.disconnect();

    // Joining is limited per connection: a few guest connections share the work.
    const voters: Voter[] = [];
    for (let start = 0; start < VOTERS; start += 40) {
      const g = await open(server.url);
      for (let i = start; i < Math.min(VOTERS, start + 40); i++) {
        const joined = await must(g, 'participant:join', { code: created.event.joinCode });
        // Three dots each: the budget for 9 ideas.
        const dots = [0, 1, 2].map((k) => ({ cid: `v${i}-dot${k}-crash`, itemId: items[(i + k) % items.length]?.id ?? '', acked: false }));
        voters.push({ token: joined.token, participantId: joined.participantId, dots });
      }
      g.disconnect();
    }
    guest.disconnect();

    // Bursts, each cut by a SIGKILL at a random moment, then a restart on the same data.
    for (let k = 0; k < KILLS; k++) {
      const url = server.url;
      const sending = Promise.all(voters.map((v) => burst(url, v, step.id, eventId)));
      await new Promise((r) => setTimeout(r, 30 + Math.floor(Math.random() * 250)));
      await kill(server.child);
      await sending;
      server = await startServer(server.port);
    }
    // A calm round: whatever was never answered is sent again with the same command id.
    for (let round = 0; round < 3 && voters.some((v) => v.dots.some((d) => !d.acked)); round++) {
      for (let start = 0; start < voters.length; start += 25) {
        await Promise.all(voters.slice(start, start + 25).map((v) => burst(server.url, v, step.id, eventId)));
      }
    }
    await kill(server.child);

    expect(voters.every((v) => v.dots.every((d) => d.acked))).toBe(true);
    const db = new Database(join(dataDir, 'concerto.db'), { readonly: true });
    const rows = db.prepare('SELECT participant_id, item_id, count FROM dots WHERE step_id = ?').all(step.id) as { participant_id: string; item_id: string; count: number }[];
    db.close();
    const stored = new Map<string, number>();
    for (const r of rows) stored.set(`${r.participant_id}|${r.item_id}`, r.count);
    // Exactly once: each voter's three dots, on the three items they chose, one each.
    let expected = 0;
    for (const v of voters) {
      for (const d of v.dots) {
        expected++;
        expect(stored.get(`${v.participantId}|${d.itemId}`), `${v.participantId} ${d.cid}`).toBe(1);
      }
    }
    expect(rows.reduce((s, r) => s + r.count, 0)).toBe(expected);
  }, 180_000);
});
