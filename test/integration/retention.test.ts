import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/index.ts';
import { exportArchive, importArchive } from '../../server/exports/archive.ts';
import { purgeDue, today } from '../../server/features/retention.ts';
import { hashSecret } from '../../server/security.ts';
import { formatJoinCode } from '../../shared/domain/joinCode.ts';
import { createEventWithStaff, joinAs, smallSetup } from './fixtures.ts';
import { must, next, send, startHarness, type Harness } from './harness.ts';

let h: Harness;
let dir: string;
let dbFile: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'concerto-retention-'));
  dbFile = join(dir, 'concerto.db');
  h = await startHarness({ dbFile });
});
afterAll(async () => {
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

const DAY = 24 * 60 * 60 * 1000;

/** Everything in the database file and its WAL, as text for searching. */
function storedBytes(): string {
  const wal = `${dbFile}-wal`;
  return readFileSync(dbFile).toString('latin1') + (existsSync(wal) ? readFileSync(wal).toString('latin1') : '');
}

let events = 0;

async function peopleEvent() {
  const tag = String.fromCharCode(65 + events++);
  const ev = await createEventWithStaff(h, { ...smallSetup, territories: [`Territoire ${tag}`], allowNamedContributions: true });
  const base = { eventId: ev.eventId };
  const people = [];
  for (let i = 0; i < 10; i++) {
    const p = await joinAs(h, ev.code, `Mireille Gagnon-${tag}${i}`);
    await must(p.socket, 'profile:set', {
      ...base,
      consent: true,
      profile: { category: i < 5 ? 'citoyen' : 'communautaire', territory: `Territoire ${tag}`, gender: 'woman' },
      cid: `profile-cid-${i}-xxxxxx`,
    });
    people.push(p);
  }
  const steps = ev.facilitator.snapshot.steps ?? [];
  await must(ev.facilitator.socket, 'step:start', { ...base, stepId: steps.find((s) => s.kind === 'questions')?.id ?? null });
  await must(people[0]?.socket ?? ev.facilitator.socket, 'question:ask', {
    ...base,
    text: 'Une question signée?',
    ownerToken: 'owner-token-signed-0000',
    named: true,
  });
  const voteStep = steps.find((s) => s.kind === 'vote')?.id ?? '';
  const item = await must(ev.facilitator.socket, 'vote:item:add', { ...base, stepId: voteStep, text: 'Logement abordable' });
  await must(ev.facilitator.socket, 'vote:item:add', { ...base, stepId: voteStep, text: 'Transport collectif' });
  await must(ev.facilitator.socket, 'vote:item:add', { ...base, stepId: voteStep, text: 'Épiceries solidaires' });
  await must(ev.facilitator.socket, 'step:start', { ...base, stepId: voteStep });
  await must(ev.facilitator.socket, 'vote:open', { ...base, stepId: voteStep });
  for (const p of people) await must(p.socket, 'vote:dot', { ...base, stepId: voteStep, itemId: item.id, delta: 1 });
  await must(ev.facilitator.socket, 'vote:close', { ...base, stepId: voteStep });
  return { ev, base, people, voteStep, tag };
}

describe('[RT] retention and purge (Loi 25)', () => {
  it('[RT-DATE] the organizer sets a purge day in the future; everyone is told; only the lead facilitator may', async () => {
    const { ev, base, people } = await peopleEvent();
    expect(await send(ev.facilitator.socket, 'event:retention', { ...base, purgeOn: today(h.clock.now()) })).toEqual({ ok: false, code: 'purge_date_past' });
    const heard = next(people[0]?.socket ?? ev.facilitator.socket, 'retention:updated');
    const later = today(h.clock.now() + 30 * DAY);
    expect(await must(ev.facilitator.socket, 'event:retention', { ...base, purgeOn: later })).toEqual({ purgeOn: later, purgedOn: null });
    expect(await heard).toEqual({ purgeOn: later, purgedOn: null });
    expect(await send(ev.cofacilitator.socket, 'event:retention', { ...base, purgeOn: null })).toEqual({ ok: false, code: 'forbidden' });
    expect((await h.member(people[1]?.joined.token ?? '')).snapshot.retention).toEqual({ purgeOn: later, purgedOn: null });
  });

  it('[RT-PURGE] purge now deletes names, profiles and tokens from the file; aggregates, votes and anonymous content stay', async () => {
    const { ev, base, people, voteStep, tag } = await peopleEvent();
    const profileJson = (h.db.prepare('SELECT profile FROM participants WHERE id = ?').get(people[0]?.joined.participantId) as { profile: string }).profile;
    const before = storedBytes();
    const secrets = people.flatMap((p) => [p.joined.token, hashSecret(p.joined.token)]);
    expect(before).toContain(`Mireille Gagnon-${tag}3`);
    expect(secrets.some((s) => before.includes(s))).toBe(true);
    const staffBefore = (await must(ev.facilitator.socket, 'state:get', base)).vote;

    // A wrong confirmation changes nothing.
    const rows = () => JSON.stringify(h.db.prepare('SELECT * FROM participants WHERE event_id = ? ORDER BY id').all(ev.eventId));
    const unchanged = rows();
    expect(await send(ev.facilitator.socket, 'event:purge', { ...base, confirm: 'ZZZZZZ' })).toEqual({ ok: false, code: 'purge_not_confirmed' });
    expect(rows()).toBe(unchanged);

    const signedOut = new Promise<string>((resolve) => people[0]?.socket.once('disconnect', (reason) => resolve(reason)));
    const done = await must(ev.facilitator.socket, 'event:purge', { ...base, confirm: formatJoinCode(ev.code).toLowerCase() });
    expect(done).toEqual({ purgeOn: null, purgedOn: today(h.clock.now()) });
    expect(await signedOut).toBe('io server disconnect');

    // Gone from the database file and its WAL: names, tokens, their hashes, profiles, signed names.
    const after = storedBytes();
    for (let i = 0; i < people.length; i++) expect(after, `name ${i}`).not.toContain(`Mireille Gagnon-${tag}${i}`);
    for (const s of secrets) expect(after).not.toContain(s);
    expect(after).not.toContain(profileJson);
    expect(
      h.db
        .prepare('SELECT count(*) AS n FROM participants WHERE event_id = ? AND (display_name IS NOT NULL OR profile IS NOT NULL OR token_hash IS NOT NULL)')
        .get(ev.eventId),
    ).toEqual({ n: 0 });
    expect(h.db.prepare('SELECT count(*) AS n FROM command_receipts WHERE event_id = ?').get(ev.eventId)).toEqual({ n: 0 });
    // A phone's token no longer opens anything.
    const retry = connect(h.url, { auth: { token: people[1]?.joined.token }, transports: ['websocket'], reconnection: false, forceNew: true });
    await expect(
      new Promise((resolve, reject) => (retry.once('connect', () => resolve('connected')), retry.once('connect_error', (e) => reject(e)))),
    ).rejects.toThrow('forbidden');
    retry.disconnect();

    // What stays: the question (without its signature), the dots, and the figures by category.
    expect(h.db.prepare('SELECT text, name FROM questions WHERE event_id = ?').all(ev.eventId)).toEqual([{ text: 'Une question signée?', name: null }]);
    const staffAfter = (await must(ev.facilitator.socket, 'state:get', base)).vote;
    expect(staffAfter?.tallies).toEqual(staffBefore?.tallies);
    expect(staffAfter?.byCategory).toEqual(staffBefore?.byCategory);
    expect(staffAfter?.byCategory?.rows[0]?.cells.slice(0, 2)).toEqual([
      { shown: true, count: 5 },
      { shown: true, count: 5 },
    ]);
    expect(staffAfter?.stepId).toBe(voteStep);
    const res = await fetch(`${h.url}/api/events/${ev.eventId}/exports/donnees.xlsx`, {
      headers: { Authorization: `Bearer ${ev.created.links.facilitator.split('#')[1]}` },
    });
    expect(res.status).toBe(200);

    // The archive of a purged event still round-trips.
    const archive = exportArchive(h.db, ev.eventId);
    const other = openDatabase(':memory:');
    expect(importArchive(other, JSON.parse(JSON.stringify(archive))).ok).toBe(true);
    expect(JSON.stringify(exportArchive(other, ev.eventId))).toBe(JSON.stringify(archive));
    other.close();
  });

  it('[RT-DUE] on the purge day the server purges by itself', async () => {
    const { ev, base } = await peopleEvent();
    await must(ev.facilitator.socket, 'event:retention', { ...base, purgeOn: today(h.clock.now() + 2 * DAY) });
    expect(purgeDue(h.app.services)).toBe(0);
    h.clock.advance(2 * DAY);
    expect(purgeDue(h.app.services)).toBeGreaterThanOrEqual(1);
    expect((await must(ev.facilitator.socket, 'state:get', base)).retention.purgedOn).toBe(today(h.clock.now()));
    expect(h.db.prepare('SELECT count(*) AS n FROM participants WHERE event_id = ? AND display_name IS NOT NULL').get(ev.eventId)).toEqual({ n: 0 });
    expect(purgeDue(h.app.services)).toBe(0);
  });
});
