import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSecret } from '../../server/security.ts';
import type { ServerEvents } from '../../shared/protocol.ts';
import { createEventWithStaff, smallSetup } from './fixtures.ts';
import { must, startHarness, type Harness, type TestSocket } from './harness.ts';

let h: Harness;
let dir: string;
let dbFile: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'concerto-anonymity-'));
  dbFile = join(dir, 'concerto.db');
  h = await startHarness({ dbFile });
});

afterAll(async () => {
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Asker {
  socket: TestSocket;
  participantId: string;
  token: string;
  ip: string;
  userAgent: string;
  question: string;
  comment: string;
}

/** A participant whose browser sends its own user agent and address (as a proxy would). */
async function joinFrom(code: string, i: number): Promise<Omit<Asker, 'question' | 'comment'>> {
  const ip = `203.0.113.${i + 10}`;
  const userAgent = `Mozilla/5.0 (Linux; Android 13; Telephone-${1000 + i})`;
  const headers = { 'user-agent': userAgent, 'x-forwarded-for': ip, 'x-real-ip': ip };
  const open = (auth: Record<string, string>) => {
    const socket: TestSocket = connect(h.url, {
      auth,
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      extraHeaders: headers,
      autoConnect: false,
    });
    const ready = new Promise<ServerEvents['state:snapshot'] | null>((resolve, reject) => {
      socket.once('connect_error', reject);
      if (auth.token) socket.once('state:snapshot', resolve);
      else socket.once('connect', () => resolve(null));
    });
    socket.connect();
    return { socket, ready };
  };
  const guest = open({});
  await guest.ready;
  const joined = await must(guest.socket, 'participant:join', { code, displayName: `Personne ${i}` });
  guest.socket.disconnect();
  const member = open({ token: joined.token });
  await member.ready;
  return { socket: member.socket, participantId: joined.participantId, token: joined.token, ip, userAgent };
}

/** The file's pages, and the WAL's frames (each holds one page): the unit that "near" means here. */
function pages(): { where: string; bytes: Buffer }[] {
  const out: { where: string; bytes: Buffer }[] = [];
  const main = readFileSync(dbFile);
  const pageSize = main.readUInt16BE(16) === 1 ? 65536 : main.readUInt16BE(16);
  for (let o = 0; o < main.length; o += pageSize) out.push({ where: `db page ${o / pageSize + 1}`, bytes: main.subarray(o, o + pageSize) });
  const walFile = `${dbFile}-wal`;
  if (existsSync(walFile)) {
    const wal = readFileSync(walFile);
    const walPage = wal.readUInt32BE(8);
    for (let o = 32, n = 1; o + 24 + walPage <= wal.length; o += 24 + walPage, n++)
      out.push({ where: `wal frame ${n}`, bytes: wal.subarray(o, o + 24 + walPage) });
  }
  return out;
}

describe('[QU-ANON] [EV-ANON] anonymous questions, supports and evaluation answers leave nothing that identifies their authors', () => {
  it('no participant id, token, address or user agent of an asker is stored near their question, or logged', async () => {
    const ev = await createEventWithStaff(h, { ...smallSetup, allowNamedContributions: true });
    const questionsStep = ev.facilitator.snapshot.steps?.find((s) => s.kind === 'questions')?.id ?? null;
    const evaluationStep = await must(ev.facilitator.socket, 'step:add', { eventId: ev.eventId, step: { kind: 'evaluation', title: 'Évaluation' } });
    await must(ev.facilitator.socket, 'step:start', { eventId: ev.eventId, stepId: questionsStep });
    await must(ev.facilitator.socket, 'questions:configure', { eventId: ev.eventId, changes: { preModeration: true } });

    const askers: Asker[] = [];
    for (let i = 0; i < 12; i++) {
      const who = await joinFrom(ev.code, i);
      // Things that do name the person, right before they ask: receipts of these hold their id.
      await must(who.socket, 'profile:set', {
        eventId: ev.eventId,
        consent: true,
        profile: { territory: 'Kamouraska', category: 'citoyen' },
        cid: `profile-cid-${String(i).padStart(4, '0')}`,
      });
      await must(who.socket, 'participant:rename', { eventId: ev.eventId, displayName: `Personne ${i} bis`, cid: `rename-cid-${String(i).padStart(4, '0')}` });
      askers.push({ ...who, question: `Question numéro ${i} sur le financement des initiatives locales?`, comment: `Commentaire ${i} : plus de pauses` });
    }
    for (const [i, a] of askers.entries()) {
      const { question } = await must(a.socket, 'question:ask', {
        eventId: ev.eventId,
        text: a.question,
        ownerToken: `owner-token-${i}-abcdefghijklmnop`,
        cid: `ask-cid-${String(i).padStart(6, '0')}`,
      });
      await must(ev.facilitator.socket, 'question:moderate', { eventId: ev.eventId, questionId: question.id, action: { kind: 'approve' } });
    }
    const questions = (await must(askers[0]?.socket as TestSocket, 'state:get', { eventId: ev.eventId })).questions.questions;
    expect(questions).toHaveLength(askers.length);
    // Everyone supports the next two people's questions.
    for (const [i, a] of askers.entries()) {
      for (const k of [1, 2]) {
        const q = questions.find((x) => x.text === askers[(i + k) % askers.length]?.question);
        await must(a.socket, 'question:support', { eventId: ev.eventId, questionId: q?.id ?? '', support: true, cid: `support-cid-${i}-${k}-abcdef` });
      }
    }
    await must(ev.facilitator.socket, 'step:start', { eventId: ev.eventId, stepId: evaluationStep.id });
    for (const [i, a] of askers.entries()) {
      await must(a.socket, 'evaluation:answer', {
        eventId: ev.eventId,
        stepId: evaluationStep.id,
        answers: { useful: 1 + (i % 5), improve: a.comment },
        cid: `eval-cid-${String(i).padStart(6, '0')}`,
      });
    }

    // The rows themselves: nothing but the text, the step, a hash of the device's own secret.
    const columns = (h.db.prepare("SELECT name FROM pragma_table_info('questions')").all() as { name: string }[]).map((c) => c.name);
    expect(columns).not.toContain('participant_id');
    expect(columns.some((c) => /ip|agent|device|created|_at$/.test(c))).toBe(false);

    const all = pages();
    const logs = h.logs.join('\n');
    let checked = 0;
    for (const a of askers) {
      const identifiers = [a.participantId, a.token, hashSecret(a.token), a.ip, a.userAgent];
      // The address and the browser are nowhere at all, nor anything of the person in the logs.
      for (const p of all) {
        expect(p.bytes.includes(a.ip), `${a.ip} in ${p.where}`).toBe(false);
        expect(p.bytes.includes(a.userAgent), `${a.userAgent} in ${p.where}`).toBe(false);
      }
      for (const id of identifiers) expect(logs.includes(id), `${id} in the logs`).toBe(false);
      expect(logs.includes(a.question)).toBe(false);
      expect(logs.includes(a.comment)).toBe(false);
      // Near the question or the comment (in the same page or WAL frame): none of the person's identifiers.
      for (const text of [a.question, a.comment]) {
        const holding = all.filter((p) => p.bytes.includes(text));
        expect(holding.length, `${text} is stored`).toBeGreaterThan(0);
        for (const p of holding) {
          for (const id of identifiers) expect(p.bytes.includes(id), `${id} next to "${text}" in ${p.where}`).toBe(false);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(askers.length * 2);
    // The person's identifiers do exist in the file (the test would notice them).
    expect(all.some((p) => p.bytes.includes(askers[0]?.participantId ?? '-'))).toBe(true);
  });
});
