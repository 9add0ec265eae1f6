import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import { openBoard, until } from './yjs.ts';
import { boardName } from '../../shared/domain/boards.ts';
import type { Card } from '../../shared/schemas/board.ts';
import { createEventWithStaff, joinAs, tokenOf } from './fixtures.ts';
import { must, next, send, startHarness, type Harness } from './harness.ts';
import { createHash } from 'node:crypto';

let h: Harness;
let dir: string;
const providers: WebsocketProvider[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'concerto-boards-'));
  h = await startHarness({ dbFile: join(dir, 'concerto.db') });
});
afterEach(async () => {
  for (const p of providers.splice(0)) p.destroy();
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

function open(token: string | undefined, doc: string, url = h.url) {
  return openBoard(url, token, doc, providers);
}

/** For what the server does on its own side (its database), polled until true or 2 s. */
function eventually(check: () => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = setInterval(() => {
      if (check()) {
        clearInterval(poll);
        resolve();
      } else if (Date.now() - started > 2000) {
        clearInterval(poll);
        reject(new Error('condition not met within 2 s'));
      }
    }, 10);
  });
}

/** Opens a raw WebSocket upgrade and tells how the server answered it. */
function rawUpgrade(path: string): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(h.url.replace('http', 'ws') + path);
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => resolve(0));
  });
}

function card(id: string, text: string, axis = 'approche-systemique'): Card {
  return { id, text, axis, colour: 'yellow' };
}

async function boardEvent() {
  const ev = await createEventWithStaff(h);
  const doc = boardName({ eventId: ev.eventId, scope: { kind: 'plenary' }, axis: 'approche-systemique' });
  const boardStep = await must(ev.facilitator.socket, 'step:add', { eventId: ev.eventId, step: { kind: 'board', title: 'Idées' } });
  return { ...ev, doc, boardStep };
}

const storedText = () =>
  (h.db.prepare('SELECT update_data FROM board_updates UNION ALL SELECT state FROM board_snapshots').all() as { update_data: Buffer }[])
    .map((r) => Buffer.from(r.update_data).toString('utf8'))
    .join('');

describe('[BD] board documents over y-websocket', () => {
  it('[BD5] two participants converge while a board step runs', async () => {
    const ev = await boardEvent();
    await must(ev.facilitator.socket, 'step:start', { eventId: ev.eventId, stepId: ev.boardStep.id });
    const [a, b] = await Promise.all([joinAs(h, ev.code), joinAs(h, ev.code)]);
    const pa = open(a.joined.token, ev.doc);
    const pb = open(b.joined.token, ev.doc);
    await Promise.all([pa.synced, pb.synced]);
    pa.cards.set('card-aaaaaaaa', card('card-aaaaaaaa', 'Transport collectif entre les municipalités rurales'));
    pb.cards.set('card-bbbbbbbb', card('card-bbbbbbbb', 'Épiceries solidaires dans chaque MRC'));
    await until(pa.ydoc, () => pa.cards.size === 2);
    await until(pb.ydoc, () => pb.cards.size === 2);
    expect(pa.cards.toJSON()).toEqual(pb.cards.toJSON());
  });

  it('[BD3] a bad or missing token, another event and an unknown board are all refused before the upgrade', async () => {
    const ev = await boardEvent();
    const other = await boardEvent();
    const p = await joinAs(h, ev.code);
    const fac = tokenOf(ev.created.links.facilitator);
    expect(await rawUpgrade(`/yjs/${ev.doc}?token=${fac}`)).toBe(101);
    expect(await rawUpgrade(`/yjs/${ev.doc}`)).toBe(404);
    expect(await rawUpgrade(`/yjs/${ev.doc}?token=not-a-token-at-all-000`)).toBe(404);
    expect(await rawUpgrade(`/yjs/${other.doc}?token=${p.joined.token}`)).toBe(404);
    expect(await rawUpgrade(`/yjs/${ev.doc.replace('approche-systemique', 'pas-un-axe')}?token=${fac}`)).toBe(404);
    expect(await rawUpgrade(`/yjs/board:${ev.eventId}:group-x:approche-systemique?token=${fac}`)).toBe(404);
    expect(await rawUpgrade(`/elsewhere?token=${fac}`)).toBe(0);
  });

  it('[BD4] the projector only reads, and participants only write while a board step runs', async () => {
    const ev = await boardEvent();
    const p = await joinAs(h, ev.code);
    const facilitator = open(tokenOf(ev.created.links.facilitator), ev.doc);
    const projector = open(tokenOf(ev.created.links.projector), ev.doc);
    await Promise.all([facilitator.synced, projector.synced]);

    projector.cards.set('proj-cardxx', card('proj-cardxx', 'Écrit par le projecteur'));
    expect(await projector.closed).toBe(1008);

    const early = open(p.joined.token, ev.doc);
    await early.synced;
    early.cards.set('early-card', card('early-card', 'Avant l’étape'));
    expect(await early.closed).toBe(1008);

    facilitator.cards.set('fac-card-1', card('fac-card-1', 'Carton de l’animation'));
    const viewer = open(tokenOf(ev.created.links.projector), ev.doc);
    await viewer.synced;
    await until(viewer.ydoc, () => viewer.cards.has('fac-card-1'));
    expect(viewer.cards.has('proj-cardxx')).toBe(false);
    expect(viewer.cards.has('early-card')).toBe(false);
  });

  it('[BD2] malformed and oversized updates never reach a second client nor the stored state', async () => {
    const ev = await boardEvent();
    await must(ev.facilitator.socket, 'step:start', { eventId: ev.eventId, stepId: ev.boardStep.id });
    const watcher = open(tokenOf(ev.created.links.projector), ev.doc);
    await watcher.synced;
    const bad: ((d: Y.Doc) => void)[] = [
      (d) => d.getMap('cards').set('long-card1', card('long-card1', 'x'.repeat(281))),
      (d) => d.getMap('cards').set('extra-field', { ...card('extra-field', 'MARQUEUR-1'), ip: '10.0.0.1' }),
      (d) => d.getMap('cards').set('wrong-type', { ...card('wrong-type', 'MARQUEUR-2'), colour: 42 }),
      (d) => d.getMap('cards').set('other-axis', card('other-axis', 'MARQUEUR-3', 'inclusion-sociale')),
      (d) => d.getMap('cards').set('mismatch-id', card('different-id', 'MARQUEUR-4')),
      (d) => d.getArray('cards-list').push(['MARQUEUR-5']),
      (d) => d.getMap('meta').set('locked', 'MARQUEUR-6'),
      (d) => d.getMap('cards').set('signed-card', { ...card('signed-card', 'MARQUEUR-7'), author: 'Nom' }),
      (d) => d.getMap('cards').set('huge-card1', { ...card('huge-card1', 'ok'), author: 'y'.repeat(70_000) }),
    ];
    for (const write of bad) {
      const p = await joinAs(h, ev.code);
      const writer = open(p.joined.token, ev.doc);
      await writer.synced;
      write(writer.ydoc);
      expect([1008, 1009]).toContain(await writer.closed);
      writer.provider.destroy();
    }
    const good = open(tokenOf(ev.created.links.facilitator), ev.doc);
    await good.synced;
    good.cards.set('good-card1', card('good-card1', 'Un bon carton'));
    await until(watcher.ydoc, () => watcher.cards.has('good-card1'));
    expect([...watcher.cards.keys()]).toEqual(['good-card1']);
    expect(watcher.ydoc.share.has('cards-list')).toBe(false);
    // Shutdown writes everything pending: what is stored is then all there is.
    h.app.boards.close();
    const stored = storedText();
    expect(stored).toContain('Un bon carton');
    for (const marker of ['xxxxxxxxxx', 'MARQUEUR', '10.0.0.1', 'yyyyyyyy']) expect(stored).not.toContain(marker);
  });

  it('[BD1] a participant cannot change or delete someone else’s card; a facilitator can hide it', async () => {
    const ev = await boardEvent();
    await must(ev.facilitator.socket, 'step:start', { eventId: ev.eventId, stepId: ev.boardStep.id });
    const [a, b] = await Promise.all([joinAs(h, ev.code), joinAs(h, ev.code)]);
    const pa = open(a.joined.token, ev.doc);
    await pa.synced;
    pa.cards.set('card-of-a1', card('card-of-a1', 'Idée de A'));
    const pb = open(b.joined.token, ev.doc);
    await pb.synced;
    await until(pb.ydoc, () => pb.cards.has('card-of-a1'));
    pb.cards.set('card-of-a1', card('card-of-a1', 'Réécrit par B'));
    expect(await pb.closed).toBe(1008);
    const pc = open(b.joined.token, ev.doc);
    await pc.synced;
    await until(pc.ydoc, () => pc.cards.has('card-of-a1'));
    pc.cards.delete('card-of-a1');
    expect(await pc.closed).toBe(1008);

    const fac = open(tokenOf(ev.created.links.facilitator), ev.doc);
    await fac.synced;
    await until(fac.ydoc, () => fac.cards.has('card-of-a1'));
    fac.cards.set('card-of-a1', { ...card('card-of-a1', 'Idée de A'), hidden: { reason: 'off-topic' } });
    await until(pa.ydoc, () => pa.cards.get('card-of-a1')?.hidden?.reason === 'off-topic');
    expect(pa.cards.get('card-of-a1')?.text).toBe('Idée de A');
  });

  it('[BD6] a board outlives its connections and a restart, and leaves memory when nobody is connected', async () => {
    const ev = await boardEvent();
    const fac = open(tokenOf(ev.created.links.facilitator), ev.doc);
    await fac.synced;
    fac.cards.set('kept-card1', card('kept-card1', 'Logement social en milieu rural'));
    expect(h.app.boards.loadedDocuments()).toBe(1);
    fac.provider.destroy();
    await eventually(() => h.app.boards.loadedDocuments() === 0);
    const dbFile = join(dir, 'concerto.db');
    await h.close();
    h = await startHarness({ dbFile });
    const again = open(tokenOf(ev.created.links.projector), ev.doc);
    await again.synced;
    await until(again.ydoc, () => again.cards.has('kept-card1'));
    expect(again.cards.get('kept-card1')?.text).toBe('Logement social en milieu rural');
  });

  it('[BD7] the author edits and deletes their own card with its token; nobody else can', async () => {
    const ev = await boardEvent();
    await must(ev.facilitator.socket, 'step:start', { eventId: ev.eventId, stepId: ev.boardStep.id });
    const [a, b] = await Promise.all([joinAs(h, ev.code), joinAs(h, ev.code)]);
    const token = 'device-secret-for-card-0001';
    const ownerHash = createHash('sha256').update(token).digest('base64url');
    const pa = open(a.joined.token, ev.doc);
    await pa.synced;
    pa.cards.set('owned-card1', { ...card('owned-card1', 'Première version'), ownerHash });
    const watcher = open(tokenOf(ev.created.links.projector), ev.doc);
    await watcher.synced;
    await until(watcher.ydoc, () => watcher.cards.has('owned-card1'));

    const base = { eventId: ev.eventId, board: ev.doc, cardId: 'owned-card1' };
    expect(await send(b.socket, 'board:card:edit', { ...base, cardToken: 'someone-elses-token-000', changes: { text: 'Volé' } })).toEqual({
      ok: false,
      code: 'card_not_yours',
    });
    expect(await send(b.socket, 'board:card:edit', { ...base, cardToken: token, changes: { text: 'x'.repeat(281) } })).toEqual({
      ok: false,
      code: 'invalid_payload',
    });
    const edited = await must(a.socket, 'board:card:edit', { ...base, cardToken: token, changes: { text: 'Deuxième version', colour: 'blue' } });
    expect(edited.card).toMatchObject({ text: 'Deuxième version', colour: 'blue', ownerHash });
    await until(watcher.ydoc, () => watcher.cards.get('owned-card1')?.text === 'Deuxième version');

    // Answered "saved": it is in the database already, not only in memory.
    expect(storedText()).toContain('Deuxième version');

    await must(ev.facilitator.socket, 'step:start', { eventId: ev.eventId, stepId: null });
    expect(await send(a.socket, 'board:card:remove', { ...base, cardToken: token })).toEqual({ ok: false, code: 'board_closed' });
    await must(ev.facilitator.socket, 'step:start', { eventId: ev.eventId, stepId: ev.boardStep.id });
    expect(await must(a.socket, 'board:card:remove', { ...base, cardToken: token })).toEqual({ cardId: 'owned-card1' });
    await until(watcher.ydoc, () => !watcher.cards.has('owned-card1'));
    expect(await send(a.socket, 'board:card:remove', { ...base, cardToken: token })).toEqual({ ok: false, code: 'card_not_found' });
    const other = await createEventWithStaff(h);
    const foreign = `board:${other.eventId}:plenary:approche-systemique`;
    // Another event's boards look exactly like boards that do not exist.
    expect(await send(a.socket, 'board:card:remove', { ...base, board: foreign, cardToken: token })).toEqual({ ok: false, code: 'board_not_found' });
    expect(await send(a.socket, 'board:card:remove', { ...base, eventId: other.eventId, board: foreign, cardToken: token })).toEqual({
      ok: false,
      code: 'forbidden',
    });
    expect(await send(a.socket, 'board:card:remove', { ...base, board: ev.doc.replace('approche-systemique', 'nulle-part'), cardToken: token })).toEqual({
      ok: false,
      code: 'board_not_found',
    });
  });

  it('[BD11] hiding and showing a card again goes to the moderation log, with its reason and without its author', async () => {
    const ev = await boardEvent();
    const fac = open(tokenOf(ev.created.links.facilitator), ev.doc);
    await fac.synced;
    fac.cards.set('mod-card-1', card('mod-card-1', 'Un carton'));
    fac.cards.set('mod-card-1', { ...card('mod-card-1', 'Un carton'), hidden: { reason: 'personal-data' } });
    fac.cards.set('mod-card-1', card('mod-card-1', 'Un carton'));
    const log = () => h.app.services.repos.boards.moderationLog(ev.eventId).map((r) => [r.card_id, r.action, r.reason]);
    await eventually(() => log().length >= 2);
    expect(log()).toEqual([
      ['mod-card-1', 'hide', 'personal-data'],
      ['mod-card-1', 'show', null],
    ]);
  });

  it('[BD12] a board step opens only the axes it names', async () => {
    const ev = await createEventWithStaff(h);
    expect(await send(ev.facilitator.socket, 'step:add', { eventId: ev.eventId, step: { kind: 'board', title: 'x', axes: ['nulle-part'] } })).toEqual({
      ok: false,
      code: 'axis_unknown',
    });
    const step = await must(ev.facilitator.socket, 'step:add', {
      eventId: ev.eventId,
      step: { kind: 'board', title: 'Inclusion seulement', axes: ['inclusion-sociale'] },
    });
    expect(step.axes).toEqual(['inclusion-sociale']);
    await must(ev.facilitator.socket, 'step:start', { eventId: ev.eventId, stepId: step.id });
    const p = await joinAs(h, ev.code);
    const closedAxis = open(p.joined.token, boardName({ eventId: ev.eventId, scope: { kind: 'plenary' }, axis: 'approche-systemique' }));
    const openAxis = open(p.joined.token, boardName({ eventId: ev.eventId, scope: { kind: 'plenary' }, axis: 'inclusion-sociale' }));
    await Promise.all([closedAxis.synced, openAxis.synced]);
    closedAxis.cards.set('closed-axis', card('closed-axis', 'Fermé'));
    expect(await closedAxis.closed).toBe(1008);
    openAxis.cards.set('open-axis1', card('open-axis1', 'Ouvert', 'inclusion-sociale'));
    const viewer = open(tokenOf(ev.created.links.projector), boardName({ eventId: ev.eventId, scope: { kind: 'plenary' }, axis: 'inclusion-sociale' }));
    await viewer.synced;
    await until(viewer.ydoc, () => viewer.cards.has('open-axis1'));

    const reopened = await must(ev.facilitator.socket, 'step:update', { eventId: ev.eventId, stepId: step.id, changes: { axes: null } });
    expect(reopened.axes).toBeNull();
  });
  it('[BD13] a facilitator moves a card to another axis: it leaves its board and cluster, lands on the other, and is logged', async () => {
    const ev = await boardEvent();
    const other = boardName({ eventId: ev.eventId, scope: { kind: 'plenary' }, axis: 'inclusion-sociale' });
    const fac = open(tokenOf(ev.created.links.facilitator), ev.doc);
    const watcher = open(tokenOf(ev.created.links.projector), other);
    await Promise.all([fac.synced, watcher.synced]);
    fac.ydoc.getMap('clusters').set('cluster-01', { id: 'cluster-01', title: 'Regroupement' });
    fac.cards.set('move-card1', { ...card('move-card1', 'Mal classé'), clusterId: 'cluster-01' });
    await eventually(() => storedText().includes('Mal classé'));

    const base = { eventId: ev.eventId, board: ev.doc, cardId: 'move-card1' };
    expect(await send(ev.facilitator.socket, 'board:card:move', { ...base, toAxis: 'nulle-part' })).toEqual({ ok: false, code: 'axis_unknown' });
    expect(await send(ev.facilitator.socket, 'board:card:move', { ...base, cardId: 'missing-card', toAxis: 'inclusion-sociale' })).toEqual({
      ok: false,
      code: 'card_not_found',
    });
    const moved = await must(ev.cofacilitator.socket, 'board:card:move', { ...base, toAxis: 'inclusion-sociale' });
    expect(moved).toEqual({ board: other, card: { id: 'move-card1', text: 'Mal classé', axis: 'inclusion-sociale', colour: 'yellow' } });
    await until(watcher.ydoc, () => watcher.cards.get('move-card1')?.axis === 'inclusion-sociale');
    await until(fac.ydoc, () => !fac.cards.has('move-card1'));
    const log = h.app.services.repos.boards.moderationLog(ev.eventId).map((r) => [r.board, r.card_id, r.action, r.reason]);
    expect(log).toEqual([[ev.doc, 'move-card1', 'move', 'inclusion-sociale']]);
  });

  it('[BD14] promotion reports back from group boards only; a plenary card is refused', async () => {
    const ev = await boardEvent();
    const fac = open(tokenOf(ev.created.links.facilitator), ev.doc);
    await fac.synced;
    fac.cards.set('plen-card1', card('plen-card1', 'Déjà en plénière'));
    await eventually(() => storedText().includes('Déjà en plénière'));
    expect(await send(ev.facilitator.socket, 'board:promote', { eventId: ev.eventId, board: ev.doc, cardId: 'plen-card1' })).toEqual({
      ok: false,
      code: 'board_is_plenary',
    });
    expect(await send(ev.facilitator.socket, 'board:promote', { eventId: ev.eventId, board: ev.doc })).toEqual({ ok: false, code: 'invalid_payload' });
  });

  it('[BD15] the facilitator chooses the axis the projector shows; everyone hears it and it survives in the snapshot', async () => {
    const ev = await boardEvent();
    const p = await joinAs(h, ev.code);
    const heard = next(ev.projector.socket, 'board:projected');
    const heardByPhone = next(p.socket, 'board:projected');
    expect(await send(ev.facilitator.socket, 'board:project', { eventId: ev.eventId, axis: 'nulle-part' })).toEqual({ ok: false, code: 'axis_unknown' });
    expect(await must(ev.facilitator.socket, 'board:project', { eventId: ev.eventId, axis: 'inclusion-sociale' })).toEqual({ axis: 'inclusion-sociale' });
    expect(await heard).toEqual({ axis: 'inclusion-sociale' });
    expect(await heardByPhone).toEqual({ axis: 'inclusion-sociale' });
    expect((await must(ev.projector.socket, 'state:get', { eventId: ev.eventId })).projectedAxis).toBe('inclusion-sociale');
    await must(ev.facilitator.socket, 'board:project', { eventId: ev.eventId, axis: null });
    expect((await must(p.socket, 'state:get', { eventId: ev.eventId })).projectedAxis).toBeNull();
  });
});
