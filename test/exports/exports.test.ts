import { execFileSync } from 'node:child_process';
import { request } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { unzipSync, strFromU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { boardName } from '../../shared/domain/boards.ts';
import type { Card } from '../../shared/schemas/board.ts';
import { createEventWithStaff, exampleEvent, joinAs, tokenOf } from '../integration/fixtures.ts';
import { must, startHarness, type Harness } from '../integration/harness.ts';
import { openBoard, until, untilStored } from '../integration/yjs.ts';

const office = inject('office');
/**
 * The checks in LibreOffice show as skipped where it is not installed, never as passed; in CI they
 * run anyway and fail (test/globalSetup.ts already refuses to start there without it).
 */
const inOffice = it.skipIf(!office && process.env.CI !== 'true');

let h: Harness;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'concerto-exports-'));
  h = await startHarness({ dbFile: join(dir, 'concerto.db') });
});
afterAll(async () => {
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The forum of the scenario (shared/scenario): its axes, territories, categories and agenda. */
const setup = exampleEvent();

const IDEAS = ['Transport collectif rural', 'Logement abordable', 'Épiceries solidaires', '+1 idée sans formule', 'Lutte aux préjugés', 'Horaires adaptés'];
const INJECTED = '=HYPERLINK("http://example.com","clic")';

/** Writes cards with a real y-websocket client and waits until the board holds `expected` cards. */
async function writeCards(token: string, doc: string, list: Card[], expected = list.length): Promise<void> {
  const { ydoc, provider, synced, cards } = openBoard(h.url, token, doc);
  await synced;
  for (const c of list) cards.set(c.id, c);
  await until(ydoc, () => cards.size === expected);
  // The exports read what the server stored: wait until the database holds every card written here.
  await untilStored(h.db, doc, (stored) => list.every((c) => stored.get(c.id)?.text === c.text));
  provider.destroy();
}

/** The forum with people, cards, a closed vote with paper dots, a published FAQ and evaluation answers. */
async function forum() {
  const ev = await createEventWithStaff(h, setup);
  const base = { eventId: ev.eventId };
  const steps = ev.facilitator.snapshot.steps ?? [];
  const stepOf = (kind: string) => steps.find((s) => s.kind === kind)?.id ?? '';
  const people = [];
  for (let i = 0; i < 12; i++) {
    const p = await joinAs(h, ev.code, `Personne ${i}`);
    await must(p.socket, 'profile:set', {
      ...base,
      consent: true,
      profile: { category: i < 7 ? 'citoyen' : 'communautaire', territory: i % 2 ? 'Kamouraska' : 'La Mitis' },
    });
    people.push(p);
  }

  // The board step runs at tables: two people write on their table's board, their hosts' work is
  // reported back to the plenary by the facilitator; the facilitator also writes plenary cards.
  await must(ev.facilitator.socket, 'step:start', { ...base, stepId: stepOf('board') });
  const axis = ev.created.event.axes[0]?.key ?? '';
  const facilitatorToken = tokenOf(ev.created.links.facilitator);
  const tables = new Map<string, (typeof people)[number]>();
  for (const p of people) {
    const group = (await must(p.socket, 'state:get', base)).group;
    if (group && !tables.has(group.id)) tables.set(group.id, p);
  }
  expect(tables.size).toBeGreaterThanOrEqual(2);
  const promoted: string[] = [];
  for (const [i, [groupId, p]] of [...tables.entries()].slice(0, 2).entries()) {
    const doc = boardName({ eventId: ev.eventId, scope: { kind: 'group', groupId }, axis });
    const text = i === 0 ? 'Transport à la demande en milieu rural' : 'Halte-garderie pendant les rencontres';
    await writeCards(p.joined.token, doc, [{ id: `group-card-${i}x`, text, axis, colour: 'green' }]);
    await must(ev.facilitator.socket, 'board:promote', { ...base, board: doc, cardId: `group-card-${i}x` });
    promoted.push(text);
  }
  const plenary = boardName({ eventId: ev.eventId, scope: { kind: 'plenary' }, axis });
  await writeCards(
    facilitatorToken,
    plenary,
    IDEAS.map((text, i) => ({ id: `card-000${i}xx`, text, axis, colour: 'yellow' })),
    IDEAS.length + promoted.length,
  );

  // Questions, one of them hostile to spreadsheets; an answered one goes to the published FAQ.
  await must(ev.facilitator.socket, 'step:start', { ...base, stepId: stepOf('questions') });
  const q1 = (
    await must(people[0]?.socket ?? ev.facilitator.socket, 'question:ask', {
      ...base,
      text: 'Qui siège à la Table régionale?',
      ownerToken: 'owner-token-aaaaaaaaaaaa',
    })
  ).question;
  await must(people[1]?.socket ?? ev.facilitator.socket, 'question:ask', { ...base, text: INJECTED, ownerToken: 'owner-token-bbbbbbbbbbbb' });
  for (const p of people.slice(2, 8)) await must(p.socket, 'question:support', { ...base, questionId: q1.id, support: true });
  await must(ev.facilitator.socket, 'question:answer', {
    ...base,
    questionId: q1.id,
    changes: { answer: 'Des élus, des organismes et des ministères.', theme: axis },
  });
  const entry = await must(ev.facilitator.socket, 'faq:create', { ...base, questionId: q1.id });
  await must(ev.facilitator.socket, 'faq:update', { ...base, entryId: entry.id, changes: { status: 'published' } });

  // The vote: the board's cards as items, dots, paper dots, closed, two priorities retained.
  const voteStep = stepOf('vote');
  await must(ev.facilitator.socket, 'step:start', { ...base, stepId: voteStep });
  const { added } = await must(ev.facilitator.socket, 'vote:import', { ...base, stepId: voteStep, from: 'cards' });
  await must(ev.facilitator.socket, 'vote:configure', { ...base, stepId: voteStep, changes: { budget: 2 } });
  await must(ev.facilitator.socket, 'vote:open', { ...base, stepId: voteStep });
  const item = (text: string) => added.find((i) => i.text === text)?.id ?? '';
  // Everyone puts a dot on "Logement abordable"; citizens put their second on "Transport", others on "Épiceries".
  for (const [i, p] of people.entries()) {
    await must(p.socket, 'vote:dot', { ...base, stepId: voteStep, itemId: item('Logement abordable'), delta: 1 });
    await must(p.socket, 'vote:dot', { ...base, stepId: voteStep, itemId: item(i < 7 ? 'Transport collectif rural' : 'Épiceries solidaires'), delta: 1 });
  }
  await must(ev.facilitator.socket, 'vote:paper', { ...base, stepId: voteStep, itemId: item('Épiceries solidaires'), category: null, count: 4 });
  return { ev, base, people, voteStep, item, q1, added, promoted };
}

async function closeAndEvaluate(f: Awaited<ReturnType<typeof forum>>) {
  const { ev, base, people, voteStep, item } = f;
  await must(ev.facilitator.socket, 'vote:close', { ...base, stepId: voteStep });
  for (const text of ['Logement abordable', 'Transport collectif rural'])
    await must(ev.facilitator.socket, 'vote:retain', { ...base, stepId: voteStep, itemId: item(text), retained: true });
  await must(ev.facilitator.socket, 'vote:retain', { ...base, stepId: voteStep, itemId: item('Épiceries solidaires'), retained: false });
  const evalStep = ev.facilitator.snapshot.steps?.find((s) => s.kind === 'evaluation')?.id ?? '';
  await must(ev.facilitator.socket, 'step:start', { ...base, stepId: evalStep });
  const scores = [5, 4, 4, 5, 3, 5, 2, 4];
  for (const [i, s] of scores.entries())
    await must(people[i]?.socket ?? ev.facilitator.socket, 'evaluation:answer', {
      ...base,
      stepId: evalStep,
      answers: { useful: s, improve: i === 0 ? 'Plus de pauses' : null },
    });
}

/** EXPORTS_DIR=/some/dir keeps a copy of every file downloaded, to open by hand. */
function keep(kind: string, body: Buffer): void {
  const where = process.env.EXPORTS_DIR;
  if (where) writeFileSync(join(where, kind), body);
}

/** One GET on a connection of its own (no keep-alive: a test may pause longer than the server keeps one). */
function download(
  eventId: string,
  kind: string,
  token: string | null,
): Promise<{ status: number; body: Buffer; type: string | null; disposition: string | null }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${h.url}/api/events/${eventId}/exports/${kind}`,
      { agent: false, headers: token ? { Authorization: `Bearer ${token}` } : {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          if (res.statusCode === 200) keep(kind, body);
          resolve({ status: res.statusCode ?? 0, body, type: res.headers['content-type'] ?? null, disposition: res.headers['content-disposition'] ?? null });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Converts a file with LibreOffice (headless) and reads the PDF's text with pdftotext. */
function officeText(file: string): string {
  if (!office)
    throw new Error(
      'LibreOffice (soffice) or pdftotext is missing: apt-get install -y --no-install-recommends libreoffice-calc-nogui libreoffice-writer-nogui poppler-utils',
    );
  const out = mkdtempSync(join(tmpdir(), 'concerto-office-'));
  try {
    execFileSync(office.soffice, [`-env:UserInstallation=file://${out}/profile`, '--headless', '--convert-to', 'pdf', '--outdir', out, file], {
      timeout: 120_000,
      stdio: 'pipe',
    });
    const pdf = join(
      out,
      file
        .split('/')
        .pop()
        ?.replace(/\.[a-z]+$/, '.pdf') ?? '',
    );
    return execFileSync(office.pdftotext, ['-layout', pdf, '-'], { encoding: 'utf8' });
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** A strict RFC 4180 reader: quoted fields, doubled quotes, CRLF records; throws on anything else. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  while (i < text.length) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quote');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += text[i++];
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r') {
        if (text[i] === '"' || text[i] === '\n') throw new Error(`bare ${JSON.stringify(text[i])} at ${i}`);
        field += text[i++];
      }
    }
    row.push(field);
    if (text[i] === ',') i++;
    else if (text[i] === '\r' && text[i + 1] === '\n') {
      rows.push(row);
      row = [];
      i += 2;
    } else if (i < text.length) throw new Error(`unexpected ${JSON.stringify(text[i])} at ${i}`);
  }
  if (row.length) throw new Error('last record without CRLF');
  return rows;
}

/** The text of a CSV file once its BOM is checked and removed (TextDecoder would drop it silently). */
function csvText(bytes: Uint8Array | undefined): string {
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes ?? new Uint8Array());
  if (!text.startsWith('\uFEFF')) throw new Error('no BOM');
  return text.slice(1);
}

describe('[EX] organizer exports during the open vote', () => {
  let f: Awaited<ReturnType<typeof forum>>;
  let facilitatorToken: string;

  beforeAll(async () => {
    f = await forum();
    facilitatorToken = tokenOf(f.ev.created.links.facilitator);
  }, 60_000);

  it('[EX-AUTH] during an open vote only facilitators can export; the phone and the projector are refused', async () => {
    const { ev } = f;
    expect((await download(ev.eventId, 'bilan.docx', null)).status).toBe(403);
    expect((await download(ev.eventId, 'bilan.docx', f.people[0]?.joined.token ?? '')).status).toBe(403);
    expect((await download(ev.eventId, 'donnees.xlsx', tokenOf(ev.created.links.projector))).status).toBe(403);
    const other = await createEventWithStaff(h, setup);
    expect((await download(ev.eventId, 'bilan.pdf', tokenOf(other.created.links.facilitator))).status).toBe(403);
    expect((await download(ev.eventId, 'nothing.exe', facilitatorToken)).status).toBe(404);
    // The full archive holds the secret links: the lead facilitator's only.
    expect((await download(ev.eventId, 'archive.json', tokenOf(ev.created.links.cofacilitator))).status).toBe(403);
    const archive = await download(ev.eventId, 'archive.json', facilitatorToken);
    expect(archive.status).toBe(200);
    expect(JSON.parse(archive.body.toString('utf8'))).toMatchObject({ format: 'concerto-archive', eventId: ev.eventId });
    // The organizers' own bilan during the vote has the tallies, marked provisional.
    const during = await download(ev.eventId, 'bilan.docx', tokenOf(ev.created.links.cofacilitator));
    const xml = strFromU8(unzipSync(new Uint8Array(during.body))['word/document.xml'] ?? new Uint8Array());
    expect(xml).toContain('Le vote est en cours : résultats provisoires.');
    expect(xml).toContain('Logement abordable');
    // The FAQ, which goes to the public, holds nothing of the vote.
    const co = await download(ev.eventId, 'faq.md', tokenOf(ev.created.links.cofacilitator));
    expect(co.status).toBe(200);
    expect(co.body.toString('utf8')).not.toMatch(/Logement abordable|gommette/i);
    const md = co.body.toString('utf8');
    expect(md).toContain('## Approche systémique');
    expect(md).toContain('### Qui siège à la Table régionale?');
    expect(md).toContain('Posée par 1 personne, 6 appuis');
  });
});

describe('[EX] organizer exports once the vote is closed and the evaluation answered', () => {
  let f: Awaited<ReturnType<typeof forum>>;
  let facilitatorToken: string;

  beforeAll(async () => {
    f = await forum();
    await closeAndEvaluate(f);
    facilitatorToken = tokenOf(f.ev.created.links.facilitator);
  }, 60_000);

  it('[EX-BILAN] the DOCX bilan is a Word document with real headings, named after the event', async () => {
    const res = await download(f.ev.eventId, 'bilan.docx', facilitatorToken);
    expect(res.status).toBe(200);
    expect(res.type).toContain('wordprocessingml');
    expect(res.disposition).toContain('forum-des-alliances-pour-la-solidarite-du-bas-saint-laurent-bilan.docx');
    // Real headings: Word's built-in heading styles.
    const xml = strFromU8(unzipSync(new Uint8Array(res.body))['word/document.xml'] ?? new Uint8Array());
    expect(xml).toContain('w:val="Heading1"');
    expect(xml).toContain('w:val="Heading2"');
  });

  inOffice(
    '[EX-BILAN] the DOCX bilan opens in LibreOffice and shows the retained priorities in order, the FAQ and the response rate',
    async () => {
      const res = await download(f.ev.eventId, 'bilan.docx', facilitatorToken);
      expect(res.status).toBe(200);
      const file = join(dir, 'bilan.docx');
      writeFileSync(file, res.body);
      const text = officeText(file).replace(/\s+/g, ' ');
      const retained = text.indexOf('Priorités retenues');
      expect(retained).toBeGreaterThan(0);
      const first = text.indexOf('Logement abordable', retained);
      const second = text.indexOf('Transport collectif rural', retained);
      expect(first).toBeGreaterThan(retained);
      expect(second).toBeGreaterThan(first);
      expect(text.indexOf('N’ont pas fait consensus')).toBeGreaterThan(second);
      expect(text).toContain('Qui siège à la Table régionale?');
      expect(text).toContain('Des élus, des organismes et des ministères.');
      expect(text).toContain('Taux de réponse : 8 réponses sur 12 personnes (67 %)');
      expect(text).toContain('Personne citoyenne');
      expect(text).toContain('< 5');
      // Reported-back cards keep their origin.
      expect(text).toMatch(/Transport à la demande en milieu rural \(remontée du groupe [^)]+\)/);
    },
    180_000,
  );

  it('[EX-PDF] the PDF bilan and the FAQ as DOCX, PDF and Markdown', async () => {
    const pdf = await download(f.ev.eventId, 'bilan.pdf', facilitatorToken);
    expect(pdf.status).toBe(200);
    expect(pdf.body.subarray(0, 5).toString()).toBe('%PDF-');
    for (const kind of ['faq.docx', 'faq.pdf']) {
      const res = await download(f.ev.eventId, kind, facilitatorToken);
      expect(res.status).toBe(200);
      expect(res.body.length).toBeGreaterThan(1000);
    }
    const md = await download(f.ev.eventId, 'faq.md', facilitatorToken);
    expect(md.status).toBe(200);
    expect(md.body.toString('utf8')).toContain('### Qui siège à la Table régionale?');
  });

  inOffice('[EX-PDF] the PDF bilan reads, through pdftotext, with the retained priorities in order and the response rate', async () => {
    if (!office) throw new Error('pdftotext is missing: apt-get install -y poppler-utils');
    const pdf = await download(f.ev.eventId, 'bilan.pdf', facilitatorToken);
    const file = join(dir, 'bilan.pdf');
    writeFileSync(file, pdf.body);
    const text = execFileSync(office.pdftotext, [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toContain('Priorités retenues');
    expect(text.indexOf('Logement abordable')).toBeLessThan(text.indexOf('Transport collectif rural', text.indexOf('Priorités retenues')));
    expect(text).toContain('Taux de réponse : 8 réponses sur 12 personnes (67 %)');
  });

  it('[EX-XLSX] [EX-INJECT] the workbook has one sheet per dataset and gives the database’s counts back', async () => {
    const res = await download(f.ev.eventId, 'donnees.xlsx', facilitatorToken);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Idées', 'Résultats des votes', 'Questions', 'Réponses à l’évaluation', 'Participation']);
    const rows = (name: string) => (wb.getWorksheet(name)?.getSheetValues() ?? []).slice(2).filter(Boolean) as unknown[][];
    // Dots: the sheet's totals equal the database's (online + latest paper entries).
    const votes = rows('Résultats des votes');
    const dbDots = (h.db.prepare('SELECT sum(count) AS n FROM dots WHERE step_id = ?').get(f.voteStep) as { n: number }).n;
    const dbPaper = (h.db.prepare('SELECT sum(count) AS n FROM paper_dots WHERE step_id = ?').get(f.voteStep) as { n: number }).n;
    expect(votes.reduce((s, r) => s + Number(r[5]), 0)).toBe(dbDots + dbPaper);
    expect(votes.length).toBe(f.added.length);
    const logement = votes.find((r) => r[3] === 'Logement abordable');
    expect(logement?.slice(2, 10)).toEqual([1, 'Logement abordable', 'Approche systémique', 12, 12, 0, 'Oui', 'Non']);
    // By category: 7 citizens, 5 community workers on it; the "no answer" column is empty (0).
    expect(logement?.slice(10, 13)).toEqual([7, 5, 0]);
    // Transport: 7 citizens only; Épiceries: 5 community workers (shown: 5 people) plus 4 on paper.
    expect(votes.find((r) => r[3] === 'Épiceries solidaires')?.slice(5, 8)).toEqual([9, 5, 4]);
    const questions = rows('Questions');
    expect(questions.length).toBe((h.db.prepare('SELECT count(*) AS n FROM questions WHERE event_id = ?').get(f.ev.eventId) as { n: number }).n);
    expect(rows('Réponses à l’évaluation').length).toBe(8);
    const participation = rows('Participation');
    expect(participation[0]?.slice(1, 4)).toEqual(['Total', '', 12]);
    // [EX-INJECT] the hostile question and the "+1" card are text, neutralised.
    expect(questions.some((r) => r[1] === `'${INJECTED}`)).toBe(true);
    expect(rows('Idées').some((r) => r[4] === "'+1 idée sans formule")).toBe(true);
  });

  inOffice(
    '[EX-XLSX] LibreOffice opens the workbook and shows its items',
    async () => {
      const res = await download(f.ev.eventId, 'donnees.xlsx', facilitatorToken);
      expect(res.status).toBe(200);
      const file = join(dir, 'donnees.xlsx');
      writeFileSync(file, res.body);
      const text = officeText(file);
      expect(text).toContain('Logement abordable');
    },
    180_000,
  );

  it('[EX-CSV] [EX-INJECT] a ZIP of RFC 4180 CSV files in UTF-8 with a BOM, one per dataset, with formulas neutralised', async () => {
    const res = await download(f.ev.eventId, 'donnees-csv.zip', facilitatorToken);
    const files = unzipSync(new Uint8Array(res.body));
    expect(Object.keys(files).sort()).toEqual(['evaluation.csv', 'idees.csv', 'participation.csv', 'questions.csv', 'votes.csv']);
    for (const [name, bytes] of Object.entries(files)) {
      expect([...bytes.subarray(0, 3)], name).toEqual([0xef, 0xbb, 0xbf]);
      const text = csvText(bytes);
      const rows = parseCsv(text);
      expect(
        rows.every((r) => r.length === rows[0]?.length),
        name,
      ).toBe(true);
    }
    const questions = parseCsv(csvText(files['questions.csv']));
    expect(questions.some((r) => r[0] === `'${INJECTED}`)).toBe(true);
    expect(questions.every((r) => !/^[=+\-@]/.test(r[0] ?? ''))).toBe(true);
    const votes = parseCsv(csvText(files['votes.csv']));
    expect(votes[0]?.[0]).toBe('Vote');
    expect(votes.length - 1).toBe(f.added.length);
  });
});
