import { io as connect } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import { RECONNECT } from '../../shared/schemas/limits.ts';
import { smallSetup, tokenOf } from '../integration/fixtures.ts';
import { must, type TestSocket } from '../integration/harness.ts';
import { crashableServer } from './server.ts';

const { start, kill, cleanup } = crashableServer('concerto-storm-');
const CLIENTS = 1000;
const sockets: TestSocket[] = [];

afterAll(() => {
  for (const s of sockets) s.disconnect();
  cleanup();
});

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

describe('[ST] reconnect storm', () => {
  it(`${CLIENTS} connected screens come back and resync within 30 s of a server restart, spread out by randomised back-off`, async () => {
    let server = await start();
    const guest = connect(server.url, { transports: ['websocket'], reconnection: false, forceNew: true });
    await new Promise<void>((r) => guest.once('connect', () => r()));
    const created = await must(guest as TestSocket, 'event:create', smallSetup);
    guest.disconnect();

    const tokens: string[] = [tokenOf(created.links.projector), tokenOf(created.links.facilitator)];
    // Ten people per guest connection: one connection may add a table's worth, never a crowd.
    for (let start = 0; tokens.length < CLIENTS; start += 10) {
      const g: TestSocket = connect(server.url, { transports: ['websocket'], reconnection: false, forceNew: true });
      await new Promise<void>((r) => g.once('connect', () => r()));
      const joined = await Promise.all(
        Array.from({ length: Math.min(10, CLIENTS - tokens.length) }, () => must(g, 'participant:join', { code: created.event.joinCode })),
      );
      tokens.push(...joined.map((j) => j.token));
      g.disconnect();
    }

    // Every screen as the real client sets it up: its own token, websocket, the same back-off.
    const snapshots = new Array<number>(CLIENTS).fill(0);
    const resyncedAt = new Array<number>(CLIENTS).fill(0);
    await Promise.all(
      tokens.map(
        (token, i) =>
          new Promise<void>((resolve) => {
            const s: TestSocket = connect(server.url, { auth: { token }, transports: ['websocket'], forceNew: true, ...RECONNECT });
            sockets.push(s);
            s.on('state:snapshot', () => {
              snapshots[i] = (snapshots[i] ?? 0) + 1;
              if (snapshots[i] === 1) resolve();
              else resyncedAt[i] = Date.now();
            });
          }),
      ),
    );
    expect(snapshots.every((n) => n === 1)).toBe(true);

    await kill(server.child);
    const down = Date.now();
    server = await start(server.port);
    const up = Date.now();
    const deadline = up + 30_000;
    while (Date.now() < deadline && resyncedAt.some((t) => t === 0)) await new Promise((r) => setTimeout(r, 100));
    const back = resyncedAt
      .filter((t) => t > 0)
      .map((t) => t - up)
      .sort((a, b) => a - b);
    // How spread out the returns are: the busiest half-second holds a share of them.
    const buckets = new Map<number, number>();
    for (const t of back) buckets.set(Math.floor(t / 500), (buckets.get(Math.floor(t / 500)) ?? 0) + 1);
    const busiest = Math.max(...buckets.values()) / CLIENTS;
    console.log(
      `STORM ${JSON.stringify({ clients: CLIENTS, restartMs: up - down, backWithinMs: back.at(-1) ?? null, p50Ms: quantile(back, 0.5), p95Ms: quantile(back, 0.95), busiestHalfSecondShare: Math.round(busiest * 100) / 100 })}`,
    );
    expect(back.length).toBe(CLIENTS);
    expect(back.at(-1) ?? Infinity).toBeLessThan(30_000);
    // No synchronized wave: no half-second holds most of the returns.
    expect(busiest).toBeLessThan(0.5);
    await kill(server.child);
  }, 120_000);
});
