import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import { boardName } from '../../shared/domain/boards.ts';
import type { Snapshot } from '../../shared/protocol.ts';
import { openDatabase, type Db } from '../../server/db/index.ts';
import { archiveTables, exportArchive, importArchive, unarchivedTables, type ArchiveRow, type EventArchive } from '../../server/exports/archive.ts';
import { createEventWithStaff, joinAs, smallSetup, tokenOf } from './fixtures.ts';
import { must, startHarness, type Harness } from './harness.ts';
import { openBoard, until } from './yjs.ts';

let dir: string;
let first: Harness;
let second: Harness;
const providers: WebsocketProvider[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'concerto-archive-'));
  first = await startHarness({ dbFile: join(dir, 'first.db') });
  second = await startHarness({ dbFile: join(dir, 'second.db') });
});

afterAll(async () => {
  for (const p of providers.splice(0)) p.destroy();
  await first.close();
  await second.close();
  rmSync(dir, { recursive: true, force: true });
});

function boardOf(h: Harness, token: string, doc: string) {
  return openBoard(h.url, token, doc, providers);
}

/** For what the server writes on its own time (board updates): polled until true or 2 s. */
async function eventually(check: () => boolean): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > 2000) throw new Error('condition not met within 2 s');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const storedBoardText = (db: Db) =>
  (db.prepare('SELECT update_data AS b FROM board_updates UNION ALL SELECT state FROM board_snapshots').all() as { b: Buffer }[])
    .map((r) => Buffer.from(r.b).toString('utf8'))
    .join('');

/** Rows in every table of a database: what a refused import must leave as it was. */
function rowCounts(db: Db): Record<string, number> {
  const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all();
  return Object.fromEntries(tables.map(({ name }) => [name, (db.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n]));
}

const clone = (a: EventArchive): EventArchive => JSON.parse(JSON.stringify(a)) as EventArchive;
const rowsOf = (a: EventArchive, table: string): ArchiveRow[] => a.tables[table] ?? [];

/** What a staff snapshot shows of the stored event (presence and the clock depend on the moment). */
const stored = (s: Snapshot) => ({ ...s, presence: null, serverNow: 0 });

let owner = 0;
const ownerToken = () => `archive-owner-${String(++owner).padStart(4, '0')}-0123456789`;

/** One event that touches every archived table, driven through real sockets and a real Yjs client. */
async function buildEvent(h: Harness) {
  const ev = await createEventWithStaff(h, { ...smallSetup, allowNamedContributions: true });
  const fac = ev.facilitator.socket;
  const eventId = ev.eventId;
  const names = ['Mireille', 'Jean-Guy', 'Awa', 'Louis'];
  const people = [];
  for (const [i, name] of names.entries()) {
    const p = await joinAs(h, ev.code, name);
    await must(p.socket, 'profile:set', {
      eventId,
      consent: true,
      profile: { category: i % 2 ? 'citoyen' : 'communautaire', territory: i < 2 ? 'Kamouraska' : 'La Mitis', ageBand: '35-49' },
    });
    people.push(p);
  }
  const [a, b, c, d] = people;
  if (!a || !b || !c || !d) throw new Error('join');
  await must(fac, 'message:send', { eventId, text: 'Pause à 10 h 30' });

  // Questions: asked (one signed), supported, merged, answered, hidden, withdrawn; an FAQ entry published.
  const questionsStep = ev.facilitator.snapshot.steps?.find((s) => s.kind === 'questions');
  await must(fac, 'step:start', { eventId, stepId: questionsStep?.id ?? null });
  const ask = async (p: typeof a, text: string, named = false) =>
    (await must(p.socket, 'question:ask', { eventId, text, ownerToken: ownerToken(), ...(named ? { named: true } : {}) })).question;
  const q1 = await ask(a, 'Quelle est la date limite pour le plan d’action?');
  const q2 = await ask(b, 'Jusqu’à quand peut-on déposer le plan d’action?', true);
  const q3 = await ask(c, 'Les personnes citoyennes seront-elles compensées?');
  const q4 = await ask(d, 'Question hors sujet?');
  const withdrawnToken = ownerToken();
  const q5 = (await must(d.socket, 'question:ask', { eventId, text: 'Je retire ma question', ownerToken: withdrawnToken })).question;
  await must(d.socket, 'question:withdraw', { eventId, questionId: q5.id, ownerToken: withdrawnToken });
  for (const [p, q] of [
    [b, q1],
    [c, q1],
    [d, q2],
    [a, q3],
    [b, q3],
  ] as const)
    await must(p.socket, 'question:support', { eventId, questionId: q.id, support: true });
  await must(fac, 'question:merge', { eventId, keepId: q1.id, mergeIds: [q2.id] });
  await must(fac, 'question:moderate', { eventId, questionId: q4.id, action: { kind: 'hide', reason: 'off-topic' } });
  await must(fac, 'question:answer', { eventId, questionId: q1.id, changes: { answer: 'Le 15 décembre.', answeredLive: true, theme: 'approche-systemique' } });
  await must(fac, 'question:answer', { eventId, questionId: q3.id, changes: { answer: null, answeredLive: true, theme: null } });
  const entry = await must(fac, 'faq:create', { eventId, questionId: q1.id });
  await must(fac, 'faq:update', { eventId, entryId: entry.id, changes: { status: 'published' } });
  await must(fac, 'faq:create', { eventId, questionId: q3.id });
  await must(fac, 'questions:configure', { eventId, changes: { spotlight: q1.id } });

  // Breakout tables: groups and their members.
  const breakout = await must(fac, 'step:add', {
    eventId,
    step: { kind: 'breakout', title: 'Tables', minutes: 20, breakout: { count: 2, task: 'Vos priorités' } },
  });
  await must(fac, 'step:start', { eventId, stepId: breakout.id });

  // A plenary board: cards from participants over y-websocket, one moved by a facilitator.
  const boardStep = await must(fac, 'step:add', { eventId, step: { kind: 'board', title: 'Idées' } });
  await must(fac, 'step:start', { eventId, stepId: boardStep.id });
  const doc = boardName({ eventId, scope: { kind: 'plenary' }, axis: 'approche-systemique' });
  const pa = boardOf(h, a.joined.token, doc);
  const pb = boardOf(h, b.joined.token, doc);
  await Promise.all([pa.synced, pb.synced]);
  pa.cards.set('card-aaaaaaaa', { id: 'card-aaaaaaaa', text: 'Transport collectif entre les municipalités', axis: 'approche-systemique', colour: 'yellow' });
  pb.cards.set('card-bbbbbbbb', { id: 'card-bbbbbbbb', text: 'Épiceries solidaires dans chaque MRC', axis: 'approche-systemique', colour: 'blue' });
  pb.cards.set('card-cccccccc', { id: 'card-cccccccc', text: 'Mal classée', axis: 'approche-systemique', colour: 'yellow' });
  await until(pa.ydoc, () => pa.cards.size === 3);
  await eventually(() => storedBoardText(h.db).includes('Mal classée'));
  await must(fac, 'board:card:move', { eventId, board: doc, cardId: 'card-cccccccc', toAxis: 'inclusion-sociale' });
  await until(pa.ydoc, () => !pa.cards.has('card-cccccccc'));
  // The board the card went to, opened and left: a board nobody holds open is compacted into a snapshot.
  const movedTo = boardName({ eventId, scope: { kind: 'plenary' }, axis: 'inclusion-sociale' });
  const pm = boardOf(h, b.joined.token, movedTo);
  await pm.synced;
  await until(pm.ydoc, () => pm.cards.has('card-cccccccc'));
  pm.provider.destroy();
  await eventually(() => (h.db.prepare('SELECT count(*) AS n FROM board_snapshots WHERE doc = ?').get(movedTo) as { n: number }).n === 1);
  pb.provider.destroy();
  // This one stays open: its latest updates are stored as updates, not yet compacted into a snapshot.
  pa.cards.set('card-dddddddd', { id: 'card-dddddddd', text: 'Halte-garderie pendant les rencontres', axis: 'approche-systemique', colour: 'green' });
  await eventually(() => storedBoardText(h.db).includes('Halte-garderie'));

  // A dot vote: items, dots from several people, paper dots (with a correction), closed.
  const voteStep = await must(fac, 'step:add', { eventId, step: { kind: 'vote', title: 'Priorités' } });
  const vote = { eventId, stepId: voteStep.id };
  const items = [];
  for (const text of ['Transport collectif', 'Logement abordable', 'Sécurité alimentaire']) items.push(await must(fac, 'vote:item:add', { ...vote, text }));
  const [i1, i2, i3] = items.map((i) => i.id);
  if (!i1 || !i2 || !i3) throw new Error('items');
  await must(fac, 'step:start', { eventId, stepId: voteStep.id });
  await must(fac, 'vote:open', vote);
  await must(a.socket, 'vote:dot', { ...vote, itemId: i1, delta: 1 });
  await must(b.socket, 'vote:dot', { ...vote, itemId: i1, delta: 1 });
  await must(c.socket, 'vote:dot', { ...vote, itemId: i2, delta: 1 });
  await must(d.socket, 'vote:dot', { ...vote, itemId: i3, delta: 1 });
  await must(fac, 'vote:paper', { ...vote, itemId: i2, category: null, count: 4 });
  await must(fac, 'vote:paper', { ...vote, itemId: i2, category: null, count: 3 });
  await must(fac, 'vote:close', vote);
  await must(fac, 'vote:retain', { ...vote, itemId: i1, retained: true });

  // The evaluation: answers with an open comment.
  const evaluation = await must(fac, 'step:add', { eventId, step: { kind: 'evaluation', title: 'Évaluation' } });
  const evalRef = { eventId, stepId: evaluation.id };
  await must(fac, 'step:start', { eventId, stepId: evaluation.id });
  await must(a.socket, 'evaluation:answer', { ...evalRef, answers: { useful: 5, voice: 4, improve: 'Plus de pauses' } });
  await must(b.socket, 'evaluation:answer', { ...evalRef, answers: { useful: 4, voice: 3, improve: null } });
  await must(c.socket, 'evaluation:answer', { ...evalRef, answers: { useful: 3 } });

  return { ev, people, evalRef, doc, movedDoc: boardName({ eventId, scope: { kind: 'plenary' }, axis: 'inclusion-sociale' }), q1, q3 };
}

describe('[AR] full event archive: export, import on another server, export again', () => {
  let built: Awaited<ReturnType<typeof buildEvent>>;
  let archive: EventArchive;

  beforeAll(async () => {
    built = await buildEvent(first);
    archive = exportArchive(first.db, built.ev.eventId) as EventArchive;
  }, 60_000);

  // The import onto the second server, done once by whichever test needs it first, so each test
  // also runs alone (vitest -t).
  let imported: ReturnType<typeof importArchive> | undefined;
  const importOnSecond = () => (imported ??= importArchive(second.db, JSON.parse(JSON.stringify(archive))));

  it('[AR-ALL] every table of the database is archived or knowingly left out; the event fills them all', () => {
    expect(unarchivedTables(first.db)).toEqual([]);
    expect(archive).toMatchObject({
      format: 'concerto-archive',
      version: 1,
      schema: first.db.pragma('user_version', { simple: true }),
      eventId: built.ev.eventId,
    });
    expect(Object.keys(archive.tables)).toEqual([...archiveTables]);
    // Figures frozen by a purge exist only once an event is purged (see retention.test.ts).
    const empty = archiveTables.filter((t) => rowsOf(archive, t).length === 0);
    expect(empty).toEqual(['event_aggregates']);
    expect(archive.tables).not.toHaveProperty('command_receipts');
    expect(archive.tables).not.toHaveProperty('anonymous_receipts');
    // BLOBs as base64; autoincrement ids kept as they are.
    expect(rowsOf(archive, 'board_updates')[0]?.update_data).toEqual({ $base64: expect.stringMatching(/^[A-Za-z0-9+/]+=*$/) });
    expect(rowsOf(archive, 'board_snapshots')[0]?.state).toEqual({ $base64: expect.any(String) });
    expect(rowsOf(archive, 'paper_dots').map((r) => typeof r.id)).toEqual(['number', 'number']);
    // No moment of the export in it: twice the same JSON.
    expect(JSON.stringify(exportArchive(first.db, built.ev.eventId))).toBe(JSON.stringify(archive));
    expect(exportArchive(first.db, 'no-such-event-id')).toBeNull();
  });

  it('[AR-DOC] docs/ARCHIVE.md describes every archived table and column', () => {
    const doc = readFileSync('docs/ARCHIVE.md', 'utf8');
    for (const table of archiveTables) {
      // A table's row in the document, however its columns are padded.
      expect(doc, table).toMatch(new RegExp(`\\|\\s*\`${table}\`\\s*\\|`));
      for (const column of Object.keys(rowsOf(archive, table)[0] ?? {})) expect(doc, `${table}.${column}`).toContain(`\`${column}\``);
    }
  });

  it('[AR-ROUNDTRIP] imported on an empty server, the event exports to exactly the same archive', () => {
    // Through JSON, as the command line does.
    const result = importOnSecond();
    expect(result).toEqual({ ok: true, data: { eventId: built.ev.eventId } });
    expect(JSON.stringify(exportArchive(second.db, built.ev.eventId))).toBe(JSON.stringify(archive));
  });

  it('[AR-TWICE] importing the same archive again is refused and changes nothing', () => {
    expect(importOnSecond().ok).toBe(true);
    const before = rowCounts(second.db);
    expect(importArchive(second.db, archive)).toEqual({ ok: false, code: 'archive_event_exists' });
    // The same event under another id is still the same join code and links.
    const copy = clone(archive);
    copy.eventId = 'another-event-id-0001';
    for (const table of archiveTables) for (const row of rowsOf(copy, table)) if ('event_id' in row) row.event_id = copy.eventId;
    const event = rowsOf(copy, 'events')[0];
    if (event) event.id = copy.eventId;
    expect(importArchive(second.db, copy)).toEqual({ ok: false, code: 'archive_event_exists' });
    expect(rowCounts(second.db)).toEqual(before);
  });

  it('[AR-INVALID] malformed archives are refused with a reason and change nothing', () => {
    const before = rowCounts(second.db);
    const details: string[] = [];
    const refused = (value: unknown) => importArchive(second.db, value, (d) => details.push(d));
    // A copy whose envelope can take any value, as a damaged or hand-made file could.
    type Loose = { [field: string]: unknown; tables: Record<string, ArchiveRow[]> };
    const edit = (change: (a: Loose) => void): Loose => {
      const copy: Loose = clone(archive) as unknown as Loose;
      change(copy);
      return copy;
    };
    const firstRow = (a: Loose, table: string): ArchiveRow => a.tables[table]?.[0] ?? {};
    const cases: [unknown, string][] = [
      [null, 'archive_invalid'],
      ['concerto-archive', 'archive_invalid'],
      [edit((a) => void (a.format = 'other-archive')), 'archive_invalid'],
      [edit((a) => void (a.exportedAt = 1)), 'archive_invalid'],
      [edit((a) => void (a.version = 2)), 'archive_too_new'],
      [edit((a) => void (a.version = 0)), 'archive_invalid'],
      [edit((a) => void (a.schema = archive.schema + 1)), 'archive_too_new'],
      [edit((a) => void (a.schema = String(archive.schema))), 'archive_invalid'],
      [edit((a) => void (a.tables.secrets = [])), 'archive_invalid'],
      [edit((a) => void (a.tables.command_receipts = [])), 'archive_invalid'],
      [edit((a) => void (a.tables.participants = {} as unknown as ArchiveRow[])), 'archive_invalid'],
      [edit((a) => void (a.tables.steps = ['a step' as unknown as ArchiveRow])), 'archive_invalid'],
      [edit((a) => void (firstRow(a, 'participants').ip_address = '10.0.0.1')), 'archive_invalid'],
      [edit((a) => void (firstRow(a, 'steps').position = '1')), 'archive_invalid'],
      [edit((a) => void (firstRow(a, 'steps').position = 1.5)), 'archive_invalid'],
      [edit((a) => void (firstRow(a, 'events').title = true as unknown as string)), 'archive_invalid'],
      [edit((a) => void (firstRow(a, 'board_updates').update_data = 'AAAA')), 'archive_invalid'],
      [edit((a) => void (firstRow(a, 'board_updates').update_data = { $base64: 'not base64!' })), 'archive_invalid'],
      [edit((a) => void (a.tables.events = [])), 'archive_invalid'],
    ];
    for (const [value, code] of cases) expect(refused(value), JSON.stringify(value).slice(0, 80)).toEqual({ ok: false, code });
    expect(details).toHaveLength(cases.length);
    expect(details).toContain('participants[0] has an unknown column "ip_address"');
    expect(rowCounts(second.db)).toEqual(before);
  });

  it('[AR-STRAY] rows of another event, ids already used and broken links are refused as a whole', () => {
    const db = openDatabase(':memory:');
    try {
      expect(importArchive(db, archive).ok).toBe(true);
      const before = rowCounts(db);
      const details: string[] = [];
      const tryImport = (value: EventArchive) => importArchive(db, value, (d) => details.push(d));
      const event = { ...(rowsOf(archive, 'events')[0] ?? {}), id: 'other-event-00001', join_code: 'ZZZZZZ' };
      Object.assign(event, { facilitator_hash: 'other-fac-hash-0001', cofacilitator_hash: 'other-cof-hash-0001', projector_hash: 'other-pro-hash-0001' });
      const other = (tables: Record<string, ArchiveRow[]>): EventArchive => ({
        ...archive,
        eventId: 'other-event-00001',
        tables: { events: [event], ...tables },
      });
      const participant = rowsOf(archive, 'participants')[0] ?? {};
      const log = rowsOf(archive, 'question_log')[0] ?? {};
      // A participant slipped into the event already there.
      expect(tryImport(other({ participants: [{ ...participant, id: 'stray-person-0001', token_hash: 'stray-hash' }] }))).toEqual({
        ok: false,
        code: 'archive_invalid',
      });
      // An autoincrement id already taken by the first event.
      expect(tryImport(other({ question_log: [{ ...log, event_id: 'other-event-00001' }] }))).toEqual({ ok: false, code: 'archive_conflict' });
      // Dots of the new event given by a person of the event already there.
      const voteStep = { ...(rowsOf(archive, 'steps')[0] ?? {}), id: 'other-step-00001', event_id: 'other-event-00001' };
      const vote = { ...(rowsOf(archive, 'votes')[0] ?? {}), step_id: 'other-step-00001', event_id: 'other-event-00001' };
      const item = { ...(rowsOf(archive, 'vote_items')[0] ?? {}), id: 'other-item-00001', step_id: 'other-step-00001' };
      const dot = { step_id: 'other-step-00001', participant_id: participant.id ?? null, item_id: 'other-item-00001', count: 1 };
      expect(tryImport(other({ steps: [voteStep], votes: [vote], vote_items: [item], dots: [dot] }))).toEqual({ ok: false, code: 'archive_invalid' });
      // The same row twice in the archive: its own fault, not a clash with this server.
      const twice = { ...participant, id: 'twice-person-0001', event_id: 'other-event-00001', token_hash: 'twice-hash' };
      expect(tryImport(other({ participants: [twice, twice] }))).toEqual({ ok: false, code: 'archive_invalid' });
      // A support for a question that is not there.
      expect(tryImport(other({ question_supports: [{ question_id: 'missing-question', supporter: 'someone' }] }))).toEqual({
        ok: false,
        code: 'archive_invalid',
      });
      expect(rowCounts(db)).toEqual(before);
      expect(details).toEqual([
        'participants holds rows of another event',
        expect.stringContaining('UNIQUE constraint failed: question_log.id'),
        "dots.participant_id points to another event's participants",
        expect.stringContaining('UNIQUE constraint failed: participants.'),
        'FOREIGN KEY constraint failed',
      ]);
      // Without the stray dots, the same rows make a valid event of its own.
      expect(tryImport(other({ steps: [voteStep], votes: [vote], vote_items: [item] }))).toEqual({ ok: true, data: { eventId: 'other-event-00001' } });
    } finally {
      db.close();
    }
  });

  it('[AR-LIVE] the imported event works on the second server: staff links, participants, boards', async () => {
    expect(importOnSecond().ok).toBe(true);
    const { ev, people, evalRef } = built;
    const facToken = tokenOf(ev.created.links.facilitator);
    const before = await first.member(facToken);
    const after = await second.member(facToken);
    expect(after.snapshot.role).toBe('facilitator');
    expect(after.snapshot.steps?.map((s) => s.title)).toEqual(['Accueil', 'Vos questions', 'Vote par gommettes', 'Tables', 'Idées', 'Priorités', 'Évaluation']);
    expect(after.snapshot.questions.questions.map((q) => q.text)).toContain('Quelle est la date limite pour le plan d’action?');
    expect(after.snapshot.faq.map((f) => f.status).sort()).toEqual(['draft', 'published']);
    expect(stored(after.snapshot)).toEqual(stored(before.snapshot));
    expect((await second.member(tokenOf(ev.created.links.projector))).snapshot.role).toBe('projector');

    // A participant's device: same person, same answers and supports, and it can still act.
    const [a, b] = people;
    if (!a || !b) throw new Error('people');
    const phone = await second.member(a.joined.token);
    const was = await first.member(a.joined.token);
    expect(phone.snapshot.me).toEqual(was.snapshot.me);
    expect(phone.snapshot.me?.displayName).toBe('Mireille');
    expect(phone.snapshot.myEvaluation?.answers).toEqual({ useful: 5, voice: 4, improve: 'Plus de pauses' });
    expect(phone.snapshot.questions.mySupports).toEqual(was.snapshot.questions.mySupports);
    expect(phone.snapshot.questions.mySupports).toEqual([built.q3.id]);
    expect((await must(phone.socket, 'evaluation:answer', { ...evalRef, answers: { useful: 4 } })).answers).toEqual({ useful: 4 });
    expect((await must(phone.socket, 'question:support', { eventId: ev.eventId, questionId: built.q1.id, support: true })).supports).toBe(4);

    // The boards: the same cards, read with a real Yjs client.
    const board = boardOf(second, facToken, built.doc);
    const moved = boardOf(second, facToken, built.movedDoc);
    await Promise.all([board.synced, moved.synced]);
    await until(board.ydoc, () => board.cards.size === 3);
    expect(Object.keys(board.cards.toJSON()).sort()).toEqual(['card-aaaaaaaa', 'card-bbbbbbbb', 'card-dddddddd']);
    await until(moved.ydoc, () => moved.cards.has('card-cccccccc'));
    expect(moved.cards.get('card-cccccccc')).toMatchObject({ text: 'Mal classée', axis: 'inclusion-sociale' });
  });
});
