import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import { boardName, parseBoardName } from '../../shared/domain/boards.ts';
import { createEventWithStaff, tokenOf } from './fixtures.ts';
import { startHarness, type Harness } from './harness.ts';
import { openBoard, until } from './yjs.ts';

let h: Harness;
let dir: string;
const providers: WebsocketProvider[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'concerto-board-persistence-'));
  h = await startHarness({ dbFile: join(dir, 'concerto.db') });
});
afterEach(async () => {
  for (const p of providers.splice(0)) p.destroy();
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

/** For what the server does on its own side, polled until true or `ms`. */
function eventually(check: () => boolean, ms = 2000): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = setInterval(() => {
      if (check()) {
        clearInterval(poll);
        resolve();
      } else if (Date.now() - started > ms) {
        clearInterval(poll);
        reject(new Error(`condition not met within ${ms} ms`));
      }
    }, 10);
  });
}

const storedText = () =>
  (h.db.prepare('SELECT update_data AS b FROM board_updates UNION ALL SELECT state FROM board_snapshots').all() as { b: Buffer }[])
    .map((r) => Buffer.from(r.b).toString('utf8'))
    .join('');
const failures = () => h.logs.filter((l) => l.includes('"msg":"board write failed"'));

async function plenaryBoard() {
  const ev = await createEventWithStaff(h);
  const doc = boardName({ eventId: ev.eventId, scope: { kind: 'plenary' }, axis: 'approche-systemique' });
  const address = parseBoardName(doc);
  if (!address) throw new Error('board name');
  return { ev, doc, facilitator: { address, role: 'facilitator' as const, participantId: null } };
}

describe('[BP] board persistence', () => {
  it('[BP1] a write the database refuses is kept, logged, tried again, and stored once the database works again', async () => {
    const { ev, doc } = await plenaryBoard();
    // A real failure of the file, as a full disk or a locked file would give.
    h.db.exec(`CREATE TRIGGER refuse_board_writes BEFORE INSERT ON board_updates BEGIN SELECT RAISE(ABORT, 'disque plein (test)'); END`);
    const writer = openBoard(h.url, tokenOf(ev.created.links.facilitator), doc, providers);
    await writer.synced;
    writer.cards.set('kept-card-1', { id: 'kept-card-1', text: 'Gardé malgré la panne', axis: 'approche-systemique', colour: 'blue' });

    await eventually(() => failures().length >= 2);
    expect(JSON.parse(failures()[0] ?? '{}')).toMatchObject({ level: 'error', board: doc, error: 'disque plein (test)', attempt: 1 });
    expect(h.app.boards.healthy()).toBe(false);
    // Nobody has it open any more, but it is not stored: it stays in memory.
    writer.provider.destroy();
    const tried = failures().length;
    await eventually(() => failures().length > tried, 4000);
    expect(h.app.boards.loadedDocuments()).toBe(1);
    expect(storedText()).not.toContain('Gardé malgré la panne');

    h.db.exec('DROP TRIGGER refuse_board_writes');
    await eventually(() => storedText().includes('Gardé malgré la panne'), 8000);
    await eventually(() => h.app.boards.loadedDocuments() === 0);
    expect(h.app.boards.healthy()).toBe(true);
    expect(h.logs.some((l) => l.includes('"msg":"board write recovered"'))).toBe(true);

    // What a screen opening it now gets comes from the store.
    const reader = openBoard(h.url, tokenOf(ev.created.links.projector), doc, providers);
    await reader.synced;
    await until(reader.ydoc, () => reader.cards.get('kept-card-1')?.text === 'Gardé malgré la panne');
  });

  it('[BP2] reading a board nobody has open writes nothing', async () => {
    const { ev, doc, facilitator } = await plenaryBoard();
    const writer = openBoard(h.url, tokenOf(ev.created.links.facilitator), doc, providers);
    await writer.synced;
    writer.cards.set('read-card-1', { id: 'read-card-1', text: 'Lu sans écrire', axis: 'approche-systemique', colour: 'yellow' });
    await eventually(() => storedText().includes('Lu sans écrire'));
    writer.provider.destroy();
    await eventually(() => h.app.boards.loadedDocuments() === 0);
    // Appended again behind the snapshot, as another process would: a read that compacted would rewrite it.
    h.db.prepare('INSERT INTO board_updates (doc, event_id, update_data) SELECT doc, event_id, state FROM board_snapshots WHERE doc = ?').run(doc);

    const changes = () => (h.db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
    const before = changes();
    const rows = h.db.prepare('SELECT count(*) AS n FROM board_updates').get();
    expect(h.app.boards.read(doc, facilitator).cards.get('read-card-1')?.text).toBe('Lu sans écrire');
    expect(changes()).toBe(before);
    expect(h.db.prepare('SELECT count(*) AS n FROM board_updates').get()).toEqual(rows);
    expect(h.app.boards.loadedDocuments()).toBe(0);
  });

  it('[BP3] a facilitator’s hide that cannot be written to the moderation log is not applied: closed with 1011, seen by nobody, applied on the retry', async () => {
    const { ev, doc } = await plenaryBoard();
    const fac = openBoard(h.url, tokenOf(ev.created.links.facilitator), doc, providers);
    const watcher = openBoard(h.url, tokenOf(ev.created.links.projector), doc, providers);
    await Promise.all([fac.synced, watcher.synced]);
    const card = { id: 'mod-card-01', text: 'À masquer', axis: 'approche-systemique', colour: 'yellow' as const };
    fac.cards.set(card.id, card);
    await until(watcher.ydoc, () => watcher.cards.has(card.id));
    let logWorks = false;
    let seenTooEarly = false;
    watcher.ydoc.on('update', () => {
      if (watcher.cards.get(card.id)?.hidden && !logWorks) seenTooEarly = true;
    });

    h.db.exec(`CREATE TRIGGER refuse_moderation BEFORE INSERT ON moderation_log BEGIN SELECT RAISE(ABORT, 'journal indisponible (test)'); END`);
    fac.cards.set(card.id, { ...card, hidden: { reason: 'off-topic' } });
    expect(await fac.closed).toBe(1011);
    expect(h.logs.some((l) => l.includes('"msg":"board moderation log failed"'))).toBe(true);

    h.db.exec('DROP TRIGGER refuse_moderation');
    logWorks = true;
    // The provider reconnects by itself and sends what the server lacks: the hide, logged this time.
    await until(watcher.ydoc, () => watcher.cards.get(card.id)?.hidden?.reason === 'off-topic', 5000);
    expect(seenTooEarly).toBe(false);
    expect(h.app.services.repos.boards.moderationLog(ev.eventId).map((r) => [r.card_id, r.action, r.reason])).toEqual([[card.id, 'hide', 'off-topic']]);
  });
});
