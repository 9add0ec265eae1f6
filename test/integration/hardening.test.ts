import { request } from 'node:http';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { boardName } from '../../shared/domain/boards.ts';
import { MAX_COMMAND_BYTES } from '../../shared/schemas/limits.ts';
import { createEventWithStaff, joinAs, smallSetup, tokenOf } from './fixtures.ts';
import { must, send, startHarness, type Harness, type TestSocket } from './harness.ts';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ publicUrl: 'http://forum.example.org' });
});
afterAll(async () => {
  await h.close();
});

/** A socket that presents an Origin header, as a browser does; resolves with how the connection went. */
function connectFrom(origin: string | undefined, auth: Record<string, string> = {}): Promise<{ socket: TestSocket; outcome: string }> {
  return new Promise((resolve) => {
    const socket: TestSocket = connect(h.url, { auth, transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: origin ? { origin } : {} });
    socket.once('connect', () => resolve({ socket, outcome: 'connected' }));
    socket.once('connect_error', (e) => resolve({ socket, outcome: e.message }));
  });
}

/** How the server answers a websocket upgrade on /yjs/ (101: opened). */
function yjsUpgrade(doc: string, token: string, origin?: string): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${h.url.replace('http', 'ws')}/yjs/${encodeURIComponent(doc)}?token=${token}`, { headers: origin ? { origin } : {} });
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => resolve(0));
  });
}

describe('[SEC] transport hardening', () => {
  it('[SEC-ORIGIN] both websocket endpoints refuse a browser from another site; the public URL and the same origin pass', async () => {
    const ev = await createEventWithStaff(h);
    const doc = boardName({ eventId: ev.eventId, scope: { kind: 'plenary' }, axis: ev.created.event.axes[0]?.key ?? '' });
    const token = tokenOf(ev.created.links.facilitator);
    const evil = await connectFrom('https://evil.example', { token });
    expect(evil.outcome).not.toBe('connected');
    evil.socket.disconnect();
    for (const origin of ['http://forum.example.org', h.url, undefined]) {
      const ok = await connectFrom(origin, { token });
      expect(ok.outcome, String(origin)).toBe('connected');
      ok.socket.disconnect();
    }
    expect(await yjsUpgrade(doc, token, 'https://evil.example')).toBe(403);
    expect(await yjsUpgrade(doc, token, 'http://forum.example.org')).toBe(101);
    expect(await yjsUpgrade(doc, token, h.url)).toBe(101);
    expect(await yjsUpgrade(doc, token)).toBe(101);
  });

  it('[SEC-SIZE] the largest legitimate command passes; a larger message closes the connection', async () => {
    const guest = (await connectFrom(undefined)).socket;
    const big = {
      ...smallSetup,
      agenda: Array.from({ length: 60 }, (_, i) => ({ kind: 'plenary' as const, title: `Étape ${i} ${'é'.repeat(140)}`, notes: 'é'.repeat(1000) })),
    };
    const bytes = Buffer.byteLength(JSON.stringify(big));
    expect(bytes).toBeGreaterThan(100 * 1024);
    expect(bytes).toBeLessThan(MAX_COMMAND_BYTES);
    expect((await send(guest, 'event:create', big)).ok).toBe(true);
    // Valid in every field, but larger than any command may be: refused, and nothing is created.
    const names = Array.from({ length: 200 }, () => 'é'.repeat(40));
    const tooBig = {
      ...big,
      territories: Array.from({ length: 40 }, () => 'é'.repeat(80)),
      categories: Array.from({ length: 20 }, () => ({ title: 'é'.repeat(100) })),
      agenda: big.agenda.map((step, i) => (i < 4 ? { ...step, kind: 'breakout' as const, breakout: { names } } : step)),
    };
    const over = Buffer.byteLength(JSON.stringify(tooBig));
    expect(over).toBeGreaterThan(MAX_COMMAND_BYTES);
    expect(over).toBeLessThan(MAX_COMMAND_BYTES + 16 * 1024);
    const events = () => (h.db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    const before = events();
    expect(await send(guest, 'event:create', tooBig)).toEqual({ ok: false, code: 'invalid_payload' });
    expect(events()).toBe(before);
    // Beyond Socket.IO's buffer, the server drops the connection without reading it.
    const closed = new Promise<string>((resolve) => guest.once('disconnect', (reason) => resolve(reason)));
    guest.emit('event:lookup' as never, { code: 'x'.repeat(400 * 1024) } as never, () => undefined);
    expect(await closed).toMatch(/transport/);
  });

  it('[SEC-HEADERS] pages carry a Content-Security-Policy without inline scripts, and the usual headers', async () => {
    const headers = await new Promise<Record<string, string | string[] | undefined>>((resolve, reject) => {
      request(`${h.url}/api/health`, { agent: false }, (res) => {
        res.resume();
        resolve(res.headers);
      })
        .on('error', reject)
        .end();
    });
    const csp = String(headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['x-frame-options']).toBe('DENY');
  });

  it('[SEC-GUESS] guessing join codes is slowed down per address; people who typed the right code are unaffected elsewhere', async () => {
    const guessing = await startHarness();
    try {
      const ev = await createEventWithStaff(guessing);
      const acks = [];
      for (let i = 0; i < 70; i++) {
        const s = await guessing.client();
        acks.push(await send(s, 'event:lookup', { code: `ZZZ${String(i).padStart(3, '2')}`.slice(0, 6) }));
        s.disconnect();
      }
      expect(acks.filter((a) => !a.ok && a.code === 'join_code_unknown').length).toBe(60);
      expect(acks.slice(60).every((a) => !a.ok && a.code === 'rate_limited')).toBe(true);
      // The address is now slowed down even for a right code, until the window passes.
      const s = await guessing.client();
      expect(await send(s, 'participant:join', { code: ev.code })).toEqual({ ok: false, code: 'rate_limited' });
      // People already in keep working.
      expect((await must(ev.facilitator.socket, 'state:get', { eventId: ev.eventId })).event.id).toBe(ev.eventId);
    } finally {
      await guessing.close();
    }
  });

  it('[SEC-GUESS] wrong secret links are counted too, on sockets and board upgrades', async () => {
    const guessing = await startHarness();
    try {
      const ev = await createEventWithStaff(guessing);
      const p = await joinAs(guessing, ev.code);
      let refused = 0;
      for (let i = 0; i < 300; i++) {
        const socket: TestSocket = connect(guessing.url, { auth: { token: `guess-${i}-abcdefghijkl` }, transports: ['websocket'], reconnection: false, forceNew: true });
        const outcome = await new Promise<string>((resolve) => {
          socket.once('connect', () => resolve('connected'));
          socket.once('connect_error', (e) => resolve(e.message));
        });
        socket.disconnect();
        if (outcome === 'forbidden') refused++;
      }
      expect(refused).toBe(300);
      const after: TestSocket = connect(guessing.url, { auth: { token: p.joined.token }, transports: ['websocket'], reconnection: false, forceNew: true });
      const outcome = await new Promise<string>((resolve) => {
        after.once('connect', () => resolve('connected'));
        after.once('connect_error', (e) => resolve(e.message));
      });
      after.disconnect();
      expect(outcome).toBe('rate_limited');
    } finally {
      await guessing.close();
    }
  }, 60_000);
});
