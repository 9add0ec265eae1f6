/**
 * [HR-POLL] Long-polling, as a phone on a network that blocks websockets uses it, against the real
 * server process: an unauthenticated handshake followed by a raw packet must not end the process,
 * and a polling-only client joins and is answered like any other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServer, ServerToClient } from '../../shared/protocol.ts';
import { crashableServer } from '../crash/server.ts';
import { smallSetup } from '../integration/fixtures.ts';

const server = crashableServer('concerto-polling-');
let url = '';
let child: Awaited<ReturnType<typeof server.start>>['child'];

beforeAll(async () => {
  const started = await server.start();
  url = started.url;
  child = started.child;
}, 30_000);

afterAll(() => server.cleanup());

async function health(): Promise<number> {
  return (await fetch(`${url}/api/health`)).status;
}

type PollingSocket = Socket<ServerToClient, ClientToServer>;

/** A client that may only long-poll; `snapshot` resolves with the state the server pushes on connection. */
function pollingClient(auth: Record<string, string> = {}): { socket: Promise<PollingSocket>; snapshot: Promise<unknown> } {
  const socket: PollingSocket = io(url, { transports: ['polling'], auth, reconnection: false, forceNew: true });
  const snapshot = new Promise((resolve) => socket.once('state:snapshot', resolve));
  return {
    snapshot,
    socket: new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(socket));
      socket.once('connect_error', reject);
    }),
  };
}

describe('[HR-POLL] long-polling against the real server process', () => {
  it('[HR-POLL] a raw handshake then a connect packet on the same session leaves the server up and answering', async () => {
    const open = await fetch(`${url}/socket.io/?EIO=4&transport=polling`);
    expect(open.status).toBe(200);
    const body = await open.text();
    const sid = (JSON.parse(body.slice(body.indexOf('{'))) as { sid: string }).sid;
    const post = await fetch(`${url}/socket.io/?EIO=4&transport=polling&sid=${sid}`, {
      method: 'POST',
      body: '40',
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
    });
    expect(post.status).toBe(200);
    expect(await post.text()).toBe('ok');
    // The connect packet is answered on the next poll, by engine.io alone.
    const poll = await fetch(`${url}/socket.io/?EIO=4&transport=polling&sid=${sid}`);
    expect(poll.status).toBe(200);
    expect(await poll.text()).toMatch(/^40\{"sid":/);
    expect(child.exitCode).toBeNull();
    expect(await health()).toBe(200);
  });

  it('[HR-POLL] a polling-only client creates an event, joins it and is acknowledged', async () => {
    const guest = await pollingClient().socket;
    const created = await guest.emitWithAck('event:create', smallSetup);
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    const joined = await guest.emitWithAck('participant:join', { code: created.data.event.joinCode, displayName: 'Ana' });
    expect(joined.ok).toBe(true);
    guest.disconnect();
    if (!joined.ok) return;
    const connecting = pollingClient({ token: joined.data.token });
    const phone = await connecting.socket;
    expect(await connecting.snapshot).toMatchObject({ role: 'participant', me: { displayName: 'Ana' } });
    const renamed = await phone.emitWithAck('participant:rename', { eventId: joined.data.eventId, displayName: 'Ana B.' });
    expect(renamed).toMatchObject({ ok: true, data: { displayName: 'Ana B.' } });
    phone.disconnect();
    expect(child.exitCode).toBeNull();
    expect(await health()).toBe(200);
  });
});
