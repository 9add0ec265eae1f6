import { GUESSES } from '../../server/guards.ts';
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { loadMigrations, migrate } from '../../server/db/index.ts';
import { createRepos } from '../../server/db/repos.ts';
import { hashSecret, seal, unseal } from '../../server/security.ts';
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
function yjsUpgrade(doc: string, token: string, origin?: string, host?: string): Promise<number> {
  return new Promise((resolve) => {
    const headers = { ...(origin ? { origin } : {}), ...(host ? { host } : {}) };
    const ws = new WebSocket(`${h.url.replace('http', 'ws')}/yjs/${encodeURIComponent(doc)}?token=${token}`, { headers });
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => resolve(0));
  });
}

describe('[SEC] transport hardening', () => {
  it('[SEC-ORIGIN] both websocket endpoints refuse a browser from another site, or a name that points here (DNS rebinding); the public URL and loopback pass', async () => {
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
    // A page on a name that resolves to this server sends that name as Origin and as Host: refused.
    const reboundHost = `rebind.example:${new URL(h.url).port}`;
    expect(await yjsUpgrade(doc, token, `http://${reboundHost}`, reboundHost)).toBe(403);
    expect(await yjsUpgrade(doc, token, 'http://forum.example.org:8080')).toBe(403);
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
    (guest as unknown as { emit: (...args: unknown[]) => void }).emit('event:lookup', { code: 'x'.repeat(400 * 1024) }, () => undefined);
    expect(await closed).toMatch(/transport/);
  });

  it('[SEC-HEADERS] pages carry a Content-Security-Policy without inline scripts, and the usual headers', async () => {
    // A client folder of its own: what is checked is what the server adds to any page it serves.
    const clientDir = mkdtempSync(join(tmpdir(), 'concerto-pages-'));
    writeFileSync(join(clientDir, 'index.html'), '<!doctype html><html lang="fr"><title>Concerto</title><script type="module" src="/app.js"></script></html>');
    const pages = await startHarness({ clientDir });
    try {
      const get = (path: string) =>
        new Promise<{ status: number; headers: Record<string, string | string[] | undefined> }>((resolve, reject) => {
          request(`${pages.url}${path}`, { agent: false }, (res) => {
            res.resume();
            resolve({ status: res.statusCode ?? 0, headers: res.headers });
          })
            .on('error', reject)
            .end();
        });
      for (const path of ['/', '/console', '/projector', '/j/ABCDEF', '/creer', '/api/health']) {
        const { status, headers } = await get(path);
        expect(status, path).toBe(200);
        if (!path.startsWith('/api/')) expect(headers['content-type'], path).toMatch(/^text\/html/);
        const csp = String(headers['content-security-policy']);
        expect(csp, path).toContain("default-src 'self'");
        expect(csp, path).toContain("frame-ancestors 'none'");
        // Websockets to this server only, and none of the directives default-src does not cover.
        expect(csp, path).toContain("connect-src 'self';");
        expect(csp, path).not.toMatch(/connect-src[^;]*(ws:|wss:|\*)/);
        for (const d of ["object-src 'none'", "base-uri 'none'", "form-action 'self'"]) expect(csp, path).toContain(d);
        expect(headers['strict-transport-security'], path).toBeUndefined();
        // Scripts fall under script-src, or default-src without one: neither allows inline code.
        expect(csp, path).not.toMatch(/(default|script)-src[^;]*unsafe-(inline|eval)/);
        expect(headers['x-content-type-options'], path).toBe('nosniff');
        expect(headers['referrer-policy'], path).toBe('no-referrer');
        expect(headers['x-frame-options'], path).toBe('DENY');
      }
    } finally {
      await pages.close();
      rmSync(clientDir, { recursive: true, force: true });
    }
    // Behind https, browsers are told to keep to it.
    const secure = await startHarness({ publicUrl: 'https://forum.example.org' });
    try {
      const res = await fetch(`${secure.url}/api/health`);
      expect(res.headers.get('strict-transport-security')).toMatch(/^max-age=\d{7,}/);
    } finally {
      await secure.close();
    }
  });

  it('[SEC-GUESS] wrong join codes are slowed per address past the free ones; a right code is answered at once, from the same address', async () => {
    const guessing = await startHarness();
    try {
      const ev = await createEventWithStaff(guessing);
      const s = await guessing.client();
      const wrong = (i: number) => send(s, 'event:lookup', { code: `ZZZ${String(i).padStart(3, '2')}`.slice(0, 6) });
      // The free failures are answered at once.
      for (let i = 0; i < GUESSES.code.free; i++) expect(await wrong(i)).toEqual({ ok: false, code: 'join_code_unknown' });
      // Past them, three wrong codes sent together are answered one per interval.
      const started = Date.now();
      const slowed = await Promise.all([wrong(100), wrong(101), wrong(102)]);
      expect(slowed.every((a) => !a.ok && a.code === 'join_code_unknown')).toBe(true);
      expect(Date.now() - started).toBeGreaterThanOrEqual(2 * GUESSES.code.intervalMs - 50);
      // A right code from the same address is never refused nor slowed: a venue shares one address.
      const joinedAt = Date.now();
      const joined = await send(s, 'participant:join', { code: ev.code });
      expect(joined.ok).toBe(true);
      expect(Date.now() - joinedAt).toBeLessThan(GUESSES.code.intervalMs);
      expect((await must(ev.facilitator.socket, 'state:get', { eventId: ev.eventId })).event.id).toBe(ev.eventId);
    } finally {
      await guessing.close();
    }
  }, 30_000);

  it('[SEC-GUESS] wrong secret links are counted too, on sockets and board upgrades; a valid token still connects at once', async () => {
    const guessing = await startHarness();
    try {
      const ev = await createEventWithStaff(guessing);
      const p = await joinAs(guessing, ev.code);
      const attempt = (token: string) =>
        new Promise<string>((resolve) => {
          const socket: TestSocket = connect(guessing.url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
          socket.once('connect', () => {
            socket.disconnect();
            resolve('connected');
          });
          socket.once('connect_error', (e) => {
            socket.disconnect();
            resolve(e.message);
          });
        });
      let refused = 0;
      for (let i = 0; i < GUESSES.secret.free; i++) if ((await attempt(`guess-${i}-abcdefghijkl`)) === 'forbidden') refused++;
      expect(refused).toBe(GUESSES.secret.free);
      // Past the free failures, wrong tokens sent together are answered one per interval, on board upgrades too.
      const doc = `board:${ev.eventId}:plenary:approche-systemique`;
      const upgrade = () =>
        new Promise<number>((resolve) => {
          const ws = new WebSocket(`${guessing.url.replace('http', 'ws')}/yjs/${doc}?token=guess-board-abcdefghijkl`);
          ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
          ws.once('open', () => resolve(101));
          ws.once('error', () => undefined);
        });
      const slowedAt = Date.now();
      const answers = await Promise.all([attempt('guess-late-abcdefghijkl'), attempt('guess-late-abcdefghijkm'), upgrade()]);
      expect(answers).toEqual(['forbidden', 'forbidden', 404]);
      expect(Date.now() - slowedAt).toBeGreaterThanOrEqual(2 * GUESSES.secret.intervalMs - 50);
      // The participant's own token is never refused or slowed.
      const validAt = Date.now();
      expect(await attempt(p.joined.token)).toBe('connected');
      expect(Date.now() - validAt).toBeLessThan(GUESSES.secret.intervalMs);
    } finally {
      await guessing.close();
    }
  }, 60_000);
});

describe('[SEC-SEAL] staff links are sealed with the lead facilitator’s secret', () => {
  it('only that secret reads them back; another secret or a changed byte reads nothing', () => {
    const links = 'https://concerto.test/console#co-secret-0000000001';
    const sealed = seal('lead-secret-00000001', links);
    expect(sealed).not.toContain('co-secret');
    expect(unseal('lead-secret-00000001', sealed)).toBe(links);
    // A fresh nonce each time: the same text never seals to the same bytes.
    expect(seal('lead-secret-00000001', links)).not.toBe(sealed);
    expect(unseal('lead-secret-00000002', sealed)).toBeNull();
    const bytes = Buffer.from(sealed, 'base64url');
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
    expect(unseal('lead-secret-00000001', bytes.toString('base64url'))).toBeNull();
    expect(unseal('lead-secret-00000001', 'not sealed at all')).toBeNull();
  });
});

describe('[SEC-HASH] secrets are stored only as hashes', () => {
  it('no staff or participant secret is in the database file; the lead sees the links again, sealed with their own', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'concerto-secrets-'));
    const file = join(dir, 'concerto.db');
    const own = await startHarness({ dbFile: file });
    try {
      const ev = await createEventWithStaff(own);
      const p = await joinAs(own, ev.code);
      const secrets = [ev.created.links.facilitator, ev.created.links.cofacilitator, ev.created.links.projector].map(tokenOf);
      const bytes = readFileSync(file).toString('latin1') + (existsSync(`${file}-wal`) ? readFileSync(`${file}-wal`).toString('latin1') : '');
      for (const secret of [...secrets, p.joined.token]) {
        expect(bytes).not.toContain(secret);
        expect(bytes).toContain(hashSecret(secret));
      }
      expect(await must(ev.facilitator.socket, 'event:links', { eventId: ev.eventId })).toEqual(ev.created.links);
      // Nor in any log line.
      const logs = own.logs.join('\n');
      for (const secret of [...secrets, p.joined.token, hashSecret(p.joined.token)]) expect(logs).not.toContain(secret);
      expect(own.logs.length).toBeGreaterThan(0);
    } finally {
      await own.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an older database with staff links in clear is upgraded: hashes, sealed links, and the links still work', () => {
    const db = new Database(':memory:');
    const migrations = loadMigrations();
    migrate(db, migrations.slice(0, 9));
    db.prepare(
      `INSERT INTO events (id, join_code, title, locale, axes, territories, categories, facilitator_token, cofacilitator_token, projector_token, created_at)
       VALUES ('event-000001', 'ABCDEF', 'Forum', 'fr-CA', '[]', '[]', '[]', 'lead-secret-00000001', 'co-secret-0000000001', 'proj-secret-000000001', 0)`,
    ).run();
    migrate(db, migrations);
    const row = db.prepare('SELECT facilitator_hash, cofacilitator_hash, projector_hash, sealed_links FROM events').get() as Record<string, string>;
    expect(row.facilitator_hash).toBe(hashSecret('lead-secret-00000001'));
    expect(row.projector_hash).toBe(hashSecret('proj-secret-000000001'));
    expect(JSON.stringify(row)).not.toContain('secret-0');
    expect(unseal('lead-secret-00000001', row.sealed_links ?? '')).toBe(
      JSON.stringify({ cofacilitator: 'co-secret-0000000001', projector: 'proj-secret-000000001' }),
    );
    expect(unseal('co-secret-0000000001', row.sealed_links ?? '')).toBeNull();
    const repos = createRepos(db);
    expect(repos.events.byToken('proj-secret-000000001')?.role).toBe('projector');
    expect(repos.events.byToken('lead-secret-00000002')).toBeUndefined();
    db.close();
  });
});

describe('[RL] rate limits are per participant, not per address', () => {
  it('one participant flooding from three sockets is throttled; another participant on the same address is not', async () => {
    const ev = await createEventWithStaff(h);
    const flooder = await joinAs(h, ev.code);
    const others = await Promise.all([h.member(flooder.joined.token), h.member(flooder.joined.token)]);
    const calm = await joinAs(h, ev.code);
    const rename = (socket: TestSocket, name: string) => send(socket, 'participant:rename', { eventId: ev.eventId, displayName: name });
    const flood = [flooder.socket, ...others.map((o) => o.socket)].flatMap((socket, k) =>
      Array.from({ length: 50 }, (_, i) => rename(socket, `Flot ${k}-${i}`)),
    );
    const calmAcks: Awaited<ReturnType<typeof rename>>[] = [];
    const started = Date.now();
    for (let i = 0; i < 20; i++) calmAcks.push(await rename(calm.socket, `Calme ${i}`));
    const calmMs = Date.now() - started;
    const floodAcks = await Promise.all(flood);
    // The flooder's three sockets share one budget of 60 commands per 10 seconds.
    expect(floodAcks.filter((a) => a.ok).length).toBe(60);
    expect(floodAcks.filter((a) => !a.ok && a.code === 'rate_limited').length).toBe(90);
    expect(calmAcks.every((a) => a.ok)).toBe(true);
    // Answered while the flood was being refused (a functional check; speeds are measured by npm run bench).
    expect(calmMs).toBeLessThan(5000);
  });
});
