import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import type { BoardAccess } from '../../server/boards/access.ts';
import { boardName, parseBoardName } from '../../shared/domain/boards.ts';
import { createEventWithStaff, tokenOf } from './fixtures.ts';
import { must, send, startHarness, type Harness } from './harness.ts';
import { openBoard, until } from './yjs.ts';

let h: Harness;
let dir: string;
const providers: WebsocketProvider[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'concerto-board-rollback-'));
  h = await startHarness({ dbFile: join(dir, 'concerto.db') });
});
afterEach(async () => {
  for (const p of providers.splice(0)) p.destroy();
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

const AXIS = 'approche-systemique';

function asFacilitator(doc: string): BoardAccess {
  const address = parseBoardName(doc);
  if (!address) throw new Error(`not a board: ${doc}`);
  return { address, role: 'facilitator', participantId: null };
}

/** Every row stored for the documents, as bytes: what a restart would load. */
function storedRows(...docs: string[]): string[] {
  const marks = docs.map(() => '?').join(', ');
  return (
    h.db
      .prepare(
        `SELECT 'u' || seq AS k, update_data AS b FROM board_updates WHERE doc IN (${marks}) UNION ALL SELECT 's' || doc, state FROM board_snapshots WHERE doc IN (${marks}) ORDER BY 1`,
      )
      .all(...docs, ...docs) as { k: string; b: Buffer }[]
  ).map((r) => `${r.k}:${r.b.toString('base64')}`);
}

/** A group board with one card on it, the plenary board of the same axis, and a projector watching both. */
async function reportBackSetup() {
  const ev = await createEventWithStaff(h);
  const step = await must(ev.facilitator.socket, 'step:add', {
    eventId: ev.eventId,
    step: { kind: 'breakout', title: 'Tables', axes: [AXIS], breakout: { mode: 'balanced', count: 2 } },
  });
  await must(ev.facilitator.socket, 'step:start', { eventId: ev.eventId, stepId: step.id });
  const groupId = (await must(ev.facilitator.socket, 'state:get', { eventId: ev.eventId })).breakout?.groups[0]?.id;
  if (!groupId) throw new Error('no group formed');
  const groupDoc = boardName({ eventId: ev.eventId, scope: { kind: 'group', groupId }, axis: AXIS });
  const plenaryDoc = boardName({ eventId: ev.eventId, scope: { kind: 'plenary' }, axis: AXIS });

  const writer = openBoard(h.url, tokenOf(ev.created.links.facilitator), groupDoc, providers);
  await writer.synced;
  writer.cards.set('table-card1', { id: 'table-card1', text: 'Navette vers le centre de services', axis: AXIS, colour: 'green' });

  const projector = tokenOf(ev.created.links.projector);
  const group = openBoard(h.url, projector, groupDoc, providers);
  const plenary = openBoard(h.url, projector, plenaryDoc, providers);
  await Promise.all([group.synced, plenary.synced]);
  await until(group.ydoc, () => group.cards.has('table-card1'));
  // Every update each screen receives from now on.
  const received = { group: 0, plenary: 0 };
  group.ydoc.on('update', () => received.group++);
  plenary.ydoc.on('update', () => received.plenary++);
  return { ev, groupDoc, plenaryDoc, group, plenary, received };
}

describe('[BD-TX] a board command shows its change only once it is committed', () => {
  it('[BD-TX1] a report-back that fails after planning both boards reaches no screen and no stored document; the retry does', async () => {
    const { ev, groupDoc, plenaryDoc, group, plenary, received } = await reportBackSetup();
    // The group card is stored (the flush), so that the rows below are the whole stored state.
    await new Promise<void>((resolve, reject) => {
      const started = Date.now();
      const poll = setInterval(() => {
        if (storedRows(groupDoc).length > 0) resolve(clearInterval(poll));
        else if (Date.now() - started > 2000) reject(new Error('group card never stored'));
      }, 10);
    });
    const before = storedRows(groupDoc, plenaryDoc);

    // A real failure of the last write of the command: both board changes are planned and stored by then.
    h.db.exec(`CREATE TRIGGER refuse_moderation BEFORE INSERT ON moderation_log BEGIN SELECT RAISE(ABORT, 'journal indisponible (test)'); END`);
    const payload = { eventId: ev.eventId, board: groupDoc, cardId: 'table-card1', cid: 'promote-rollback-01' };
    expect(await send(ev.facilitator.socket, 'board:promote', payload)).toEqual({ ok: false, code: 'internal' });
    expect(storedRows(groupDoc, plenaryDoc)).toEqual(before);
    // Nor the live documents, which the screens are synced with.
    expect(h.app.boards.read(plenaryDoc, asFacilitator(plenaryDoc)).cards.size).toBe(0);
    expect(h.app.boards.read(groupDoc, asFacilitator(groupDoc)).cards.get('table-card1')?.promotedTo).toBeUndefined();

    h.db.exec('DROP TRIGGER refuse_moderation');
    const promoted = await must(ev.facilitator.socket, 'board:promote', payload);
    // Saved when answered: both changes are in the file already.
    const after = storedRows(groupDoc, plenaryDoc);
    expect(after.length).toBe(before.length + 2);
    await until(plenary.ydoc, () => plenary.cards.has(promoted.card.id));
    await until(group.ydoc, () => group.cards.get('table-card1')?.promotedTo === promoted.card.id);
    // Each connection delivers in order: an update from the failed attempt would have come first.
    expect(received).toEqual({ group: 1, plenary: 1 });
    expect([...plenary.cards.keys()]).toEqual([promoted.card.id]);

    // The same command id again: the stored answer, nothing applied twice.
    expect(await send(ev.facilitator.socket, 'board:promote', payload)).toEqual({ ok: true, data: promoted });
    expect(storedRows(groupDoc, plenaryDoc)).toEqual(after);
  });
});
