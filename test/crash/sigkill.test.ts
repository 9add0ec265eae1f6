import { join } from 'node:path';
import { crashableServer } from './server.ts';
import { afterAll, describe, expect, it } from 'vitest';
import { io as connect } from 'socket.io-client';
import Database from 'better-sqlite3';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { boardName } from '../../shared/domain/boards.ts';
import type { TestSocket } from '../integration/harness.ts';
import { must } from '../integration/harness.ts';
import { smallSetup, tokenOf } from '../integration/fixtures.ts';
import type { ServerEvents } from '../../shared/protocol.ts';

/** One data folder for the whole file: each restart finds what the previous process wrote. */
const { dataDir, start: startServer, kill, cleanup } = crashableServer('concerto-crash-');

async function open(url: string, token?: string) {
  const socket: TestSocket = connect(url, { auth: token ? { token } : {}, transports: ['websocket'], reconnection: false, forceNew: true, autoConnect: false });
  const snapshot = new Promise<ServerEvents['state:snapshot'] | null>((resolve, reject) => {
    if (!token) socket.once('connect', () => resolve(null));
    socket.once('state:snapshot', resolve);
    socket.once('connect_error', reject);
  });
  socket.connect();
  return { socket, snapshot: await snapshot };
}

afterAll(cleanup);

describe('[CR1] a SIGKILL loses nothing that was acknowledged', () => {
  it('keeps the event, participants, profiles, run sheet, current step, timer and message across a restart', async () => {
    const first = await startServer();
    const guest = await open(first.url);
    const created = await must(guest.socket, 'event:create', smallSetup);
    const eventId = created.event.id;
    const joined = await must(guest.socket, 'participant:join', { code: created.event.joinCode, displayName: 'Rose' });
    const fac = await open(first.url, tokenOf(created.links.facilitator));
    const steps = fac.snapshot?.steps ?? [];
    const [s0, s1] = steps;
    if (!s0 || !s1) throw new Error('no steps');
    const added = await must(fac.socket, 'step:add', { eventId, step: { kind: 'board', title: 'Idées par axe', minutes: 45 }, afterStepId: s0.id });
    await must(fac.socket, 'step:move', { eventId, stepId: s1.id, toIndex: 0 });
    await must(fac.socket, 'step:start', { eventId, stepId: added.id });
    const timer = await must(fac.socket, 'timer:control', { eventId, stepId: added.id, action: { kind: 'start' } });
    await must(fac.socket, 'timer:control', { eventId, stepId: added.id, action: { kind: 'extend', seconds: 120 } });
    await must(fac.socket, 'message:send', { eventId, text: 'On reprend à 13 h' });
    await must(fac.socket, 'participant:add', { eventId, displayName: 'Sans téléphone' });
    const rose = await open(first.url, joined.token);
    await must(rose.socket, 'profile:set', { eventId, consent: true, profile: { territory: 'La Mitis', category: 'citoyen' } });
    const before = await must(fac.socket, 'state:get', { eventId });

    await kill(first.child);
    for (const s of [guest, fac, rose]) s.socket.disconnect();

    const second = await startServer();
    const facAgain = await open(second.url, tokenOf(created.links.facilitator));
    const after = facAgain.snapshot;
    expect(after?.event).toEqual(before.event);
    expect(after?.steps).toEqual(before.steps);
    expect(after?.currentStep?.id).toBe(added.id);
    expect(after?.currentStep?.timer).toMatchObject({ status: 'running', durationMs: (45 + 2) * 60_000 });
    if (after?.currentStep?.timer.status === 'running' && timer.timer.status === 'running') {
      expect(after.currentStep.timer.endsAt).toBe(timer.timer.endsAt + 120_000);
    }
    expect(after?.message?.text).toBe('On reprend à 13 h');
    expect(after?.addedParticipants).toEqual(before.addedParticipants);
    expect(after?.presence?.joined).toBe(2);

    const roseAgain = await open(second.url, joined.token);
    expect(roseAgain.snapshot?.me).toMatchObject({ displayName: 'Rose', consent: true, profile: { territory: 'La Mitis', category: 'citoyen' } });
    expect(roseAgain.snapshot?.currentStep?.title).toBe('Idées par axe');

    // The same command id sent again after the restart is still applied only once.
    const cid = 'after-crash-000001';
    await must(facAgain.socket, 'step:add', { eventId, cid, step: { kind: 'plenary', title: 'Clôture' } });
    await kill(second.child);
    const third = await startServer();
    const facThird = await open(third.url, tokenOf(created.links.facilitator));
    await must(facThird.socket, 'step:add', { eventId, cid, step: { kind: 'plenary', title: 'Clôture' } });
    const finalState = await must(facThird.socket, 'state:get', { eventId });
    expect(finalState.steps?.filter((s) => s.title === 'Clôture')).toHaveLength(1);
    for (const s of [facAgain, roseAgain, facThird]) s.socket.disconnect();
    await kill(third.child);
  }, 60_000);
});

describe('[CR2] clients come back by themselves after a restart', () => {
  it('reconnects, receives the whole state again, and a command sent while down is applied once', async () => {
    const first = await startServer();
    const guest = await open(first.url);
    const created = await must(guest.socket, 'event:create', smallSetup);
    const eventId = created.event.id;
    guest.socket.disconnect();
    const fac: TestSocket = connect(first.url, {
      auth: { token: tokenOf(created.links.facilitator) },
      transports: ['websocket'],
      forceNew: true,
      reconnectionDelay: 100,
      reconnectionDelayMax: 300,
    });
    const snapshots: ServerEvents['state:snapshot'][] = [];
    let firstSeen: () => void = () => {};
    const firstSnapshot = new Promise<void>((r) => (firstSeen = r));
    const second = new Promise<ServerEvents['state:snapshot']>((resolve) => {
      fac.on('state:snapshot', (s) => {
        snapshots.push(s);
        if (snapshots.length === 1) firstSeen();
        if (snapshots.length === 2) resolve(s);
      });
    });
    // The snapshot follows the connection: kill only once it is in, so that the count is exact.
    await firstSnapshot;
    await kill(first.child);
    await new Promise<void>((r) => (fac.connected ? fac.once('disconnect', () => r()) : r()));

    // Sent while the server is down: Socket.IO buffers it and sends it on reconnection.
    const cid = 'queued-while-down-01';
    const queued = fac.timeout(15_000).emitWithAck('step:add', { eventId, cid, step: { kind: 'plenary', title: 'Ajoutée hors ligne' } });
    const restarted = await startServer(first.port);
    const again = await second;
    expect(again.event.id).toBe(eventId);
    const ack = await queued;
    expect(ack.ok).toBe(true);
    // The client did not hear the answer in time and retries with the same id: still one step.
    await must(fac, 'step:add', { eventId, cid, step: { kind: 'plenary', title: 'Ajoutée hors ligne' } });
    const state = await must(fac, 'state:get', { eventId });
    expect(state.steps?.filter((s) => s.title === 'Ajoutée hors ligne')).toHaveLength(1);
    fac.disconnect();
    await kill(restarted.child);
  }, 60_000);
});

describe('[CR3] a board keeps what its clients synced across a SIGKILL', () => {
  function board(url: string, token: string, doc: string) {
    const ydoc = new Y.Doc();
    const provider = new WebsocketProvider(url.replace('http', 'ws') + '/yjs', doc, ydoc, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      params: { token },
      disableBc: true,
    });
    const synced = new Promise<void>((resolve) => provider.once('sync', () => resolve()));
    return { ydoc, provider, synced };
  }

  it('stores updates within the flush delay and serves them after a restart', async () => {
    const first = await startServer();
    const guest = await open(first.url);
    const created = await must(guest.socket, 'event:create', smallSetup);
    guest.socket.disconnect();
    const doc = boardName({ eventId: created.event.id, scope: { kind: 'plenary' }, axis: 'approche-systemique' });
    const writer = board(first.url, tokenOf(created.links.facilitator), doc);
    await writer.synced;
    writer.ydoc.getMap('cards').set('crash-card', { id: 'crash-card', text: 'Survit au crash', axis: 'approche-systemique', colour: 'green' });

    // The server writes within its flush delay: watch the database file itself, then kill.
    const file = new Database(join(dataDir, 'concerto.db'), { readonly: true });
    const stored = () => (file.prepare('SELECT count(*) AS n FROM board_updates').get() as { n: number }).n > 0;
    await new Promise<void>((resolve, reject) => {
      const started = Date.now();
      const poll = setInterval(() => {
        if (stored()) {
          clearInterval(poll);
          resolve();
        } else if (Date.now() - started > 2000) {
          clearInterval(poll);
          reject(new Error('update not stored within 2 s'));
        }
      }, 10);
    });
    file.close();
    writer.provider.destroy();
    await kill(first.child);

    const second = await startServer();
    const reader = board(second.url, tokenOf(created.links.projector), doc);
    await reader.synced;
    expect(reader.ydoc.getMap('cards').get('crash-card')).toMatchObject({ text: 'Survit au crash' });
    reader.provider.destroy();
    await kill(second.child);
  }, 60_000);
});
