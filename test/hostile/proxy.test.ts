/**
 * [HR-PROXY] Behind a reverse proxy every request comes from the proxy's address. With TRUST_PROXY,
 * failures are counted per person's address as the proxy saw it; without it, X-Forwarded-For is
 * ignored, so a guesser cannot escape the count by writing the header.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { io as connect } from 'socket.io-client';
import { GUESSES, clientAddress } from '../../server/guards.ts';
import { createEventWithStaff } from '../integration/fixtures.ts';
import { send, startHarness, type Harness, type TestSocket } from '../integration/harness.ts';

const harnesses: Harness[] = [];

afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.close();
});

function guestFrom(h: Harness, forwardedFor: string): Promise<TestSocket> {
  const socket: TestSocket = connect(h.url, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    extraHeaders: { 'x-forwarded-for': forwardedFor },
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

async function exhaust(h: Harness, socket: TestSocket): Promise<void> {
  for (let i = 0; i < GUESSES.code.free; i++) await send(socket, 'event:lookup', { code: `ZZZ${String(i).padStart(3, '2')}`.slice(0, 6) });
}

async function wrongCodeTakes(socket: TestSocket): Promise<number> {
  const started = Date.now();
  await Promise.all([send(socket, 'event:lookup', { code: 'ZZZ999' }), send(socket, 'event:lookup', { code: 'ZZZ998' })]);
  return Date.now() - started;
}

describe('[HR-PROXY] addresses behind a reverse proxy', () => {
  it('[HR-PROXY] reads X-Forwarded-For from the right, as far as the trusted proxies go', () => {
    expect(clientAddress('10.1.1.1', undefined, 1)).toBe('10.1.1.1');
    expect(clientAddress('127.0.0.1', '203.0.113.7', 0)).toBe('127.0.0.1');
    expect(clientAddress('127.0.0.1', '203.0.113.7', 1)).toBe('203.0.113.7');
    // What the client wrote itself, to the left, is not believed.
    expect(clientAddress('127.0.0.1', '198.51.100.1, 203.0.113.7', 1)).toBe('203.0.113.7');
    expect(clientAddress('127.0.0.1', '198.51.100.1, 203.0.113.7, 192.0.2.9', 2)).toBe('203.0.113.7');
  });

  it('[HR-PROXY] with TRUST_PROXY, one guesser behind the proxy is slowed and the others are not', async () => {
    const h = await startHarness({ trustProxy: 1 });
    harnesses.push(h);
    await createEventWithStaff(h);
    const guesser = await guestFrom(h, '203.0.113.7');
    await exhaust(h, guesser);
    expect(await wrongCodeTakes(guesser)).toBeGreaterThanOrEqual(GUESSES.code.intervalMs - 50);
    // Someone else behind the same proxy has all their free failures.
    const neighbour = await guestFrom(h, '203.0.113.8');
    expect(await wrongCodeTakes(neighbour)).toBeLessThan(GUESSES.code.intervalMs);
  });

  it('[HR-PROXY] without TRUST_PROXY, a forged X-Forwarded-For does not escape the count', async () => {
    const h = await startHarness();
    harnesses.push(h);
    await createEventWithStaff(h);
    await exhaust(h, await guestFrom(h, '203.0.113.7'));
    const forged = await guestFrom(h, '203.0.113.99');
    expect(await wrongCodeTakes(forged)).toBeGreaterThanOrEqual(GUESSES.code.intervalMs - 50);
  });
});
