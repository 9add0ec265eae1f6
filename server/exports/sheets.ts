/**
 * The spreadsheets: one dataset per sheet (XLSX) or per file (a ZIP of CSV files, UTF-8 with a BOM
 * so that Excel shows accents, RFC 4180 quoting). Text that a spreadsheet would run as a formula
 * (starting with =, +, -, @, or a tab or carriage return) is neutralised with a leading apostrophe.
 */
import ExcelJS from 'exceljs';
import { strToU8, zipSync } from 'fflate';
import type { ReportReads } from './report.ts';
import type { Formatter } from './format.ts';
import { countText, type ReportData } from './report.ts';

export type Cell = string | number | null;
export interface Dataset {
  /** File name (CSV) without extension. */
  file: string;
  sheet: string;
  header: string[];
  rows: Cell[][];
}

/** [EX-INJECT] A text cell a spreadsheet could take for a formula gets a leading apostrophe. */
export function neutralise(value: Cell): Cell {
  return typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

type Key = Parameters<Formatter['t']>[0];

export function datasets(services: ReportReads, data: ReportData, f: Formatter): Dataset[] {
  const t = f.t;
  const axisTitle = (key: string | null) => (key ? (data.event.axes.find((a) => a.key === key)?.title ?? key) : '');
  const categories = [...data.event.categories.map((c) => ({ key: c.key, title: c.title })), { key: '', title: t('report.noAnswer') }];
  const reason = (r: string | null) => (r ? t(`boardAdmin.reason.${r}` as Key) : '');

  // Every vote item with its tally and breakdown, by the card it came from.
  const voteRows = data.votes.flatMap((v) =>
    v.items.map((item) => {
      const row = v.byCategory?.rows.find((r) => r.itemId === item.id);
      const byCat = categories.map((c) => {
        const i = v.byCategory?.columns.findIndex((col) => col.key === c.key) ?? -1;
        const cell = i >= 0 ? row?.cells[i] : undefined;
        return cell ? countText(cell.shown ? { shown: true, count: cell.count } : cell, (n) => String(n)) : '';
      });
      return { vote: v, item, byCat };
    }),
  );
  const became = (r: (typeof voteRows)[number] | undefined, promoted: boolean): string =>
    promoted
      ? t('sheet.became.promoted')
      : !r
        ? ''
        : r.item.retained === true
          ? t('sheet.became.retained')
          : r.item.retained === false
            ? t('sheet.became.notRetained')
            : t('sheet.became.voted');
  const asNumber = (s: string): Cell => (/^\d+$/.test(s) ? Number(s) : s);

  const ideas: Cell[][] = data.cards.map((c) => {
    const r = voteRows.find((x) => x.item.origin?.cardId === c.id);
    return [
      axisTitle(c.axis),
      c.scope === 'plenary' ? t('report.plenary') : t('report.group', { name: c.groupTitle ?? '' }),
      c.originGroup ? t('report.fromGroup', { name: c.originGroup }) : '',
      c.text,
      c.clusterTitle ?? '',
      reason(c.hidden),
      r ? r.item.dots : null,
      ...categories.map((_, i) => (r ? asNumber(r.byCat[i] ?? '') : null)),
      r ? r.item.paper : null,
      became(r, c.promoted),
    ];
  });
  // Items that are not one card (clusters, typed or merged ideas) get their own row.
  for (const r of voteRows.filter((x) => !x.item.origin?.cardId || !data.cards.some((c) => c.id === x.item.origin?.cardId))) {
    ideas.push([
      axisTitle(r.item.axis),
      r.vote.title,
      r.item.origin?.clusterId ? t('report.cluster', { title: r.item.text }) : '',
      r.item.text,
      '',
      '',
      r.item.dots,
      ...r.byCat.map(asNumber),
      r.item.paper,
      became(r, false),
    ]);
  }

  const votes: Cell[][] = voteRows.map((r) => [
    r.vote.title,
    r.item.rank,
    r.item.text,
    axisTitle(r.item.axis),
    r.item.dots,
    r.item.online,
    r.item.paper,
    r.item.retained === null ? '' : r.item.retained ? t('sheet.yes') : t('sheet.no'),
    r.item.tied ? t('sheet.yes') : t('sheet.no'),
    ...r.byCat.map(asNumber),
  ]);

  const status = (s: string) => t(`questions.status${s.charAt(0).toUpperCase()}${s.slice(1)}` as Key);
  const questions: Cell[][] = data.questions.map((q) => [
    q.text,
    axisTitle(q.theme),
    q.supports,
    1 + q.merged.length,
    status(q.status),
    q.answer ?? '',
    q.answeredLive ? t('sheet.yes') : t('sheet.no'),
    q.merged.join(' | '),
  ]);

  const evalItems = data.evaluations.flatMap((e) => e.items.map((i) => ({ stepId: e.stepId, ...i })));
  const evaluation: Cell[][] = data.evaluations.flatMap((e) =>
    services.repos.evaluations
      .responsesWithComments(e.stepId)
      .map((answers, n) => [e.title, t('sheet.responseRow', { n: n + 1 }), ...evalItems.map((i) => (i.stepId === e.stepId ? (answers[i.id] ?? null) : null))]),
  );

  const participation: Cell[][] = [
    [t('sheet.total'), '', data.participation.people],
    ...data.participation.byCategory.map((r) => [t('report.byCategory'), r.title, r.value.shown ? r.value.count : '< 5']),
    ...data.participation.byTerritory.map((r) => [t('report.byTerritory'), r.title, r.value.shown ? r.value.count : '< 5']),
  ];

  return [
    {
      file: 'idees',
      sheet: t('sheet.ideas'),
      header: [
        t('report.colAxis'),
        t('sheet.colBoard'),
        t('sheet.colOrigin'),
        t('sheet.colText'),
        t('sheet.colDimension'),
        t('sheet.colHidden'),
        t('report.colDots'),
        ...categories.map((c) => `${t('report.colDots')} : ${c.title}`),
        t('report.colPaper'),
        t('sheet.colBecame'),
      ],
      rows: ideas,
    },
    {
      file: 'votes',
      sheet: t('sheet.votes'),
      header: [
        t('sheet.colVote'),
        t('report.colRank'),
        t('report.colIdea'),
        t('report.colAxis'),
        t('report.colDots'),
        t('sheet.colOnline'),
        t('report.colPaper'),
        t('sheet.colRetained'),
        t('sheet.colTied'),
        ...categories.map((c) => `${t('report.colDots')} : ${c.title}`),
      ],
      rows: votes,
    },
    {
      file: 'questions',
      sheet: t('sheet.questions'),
      header: [
        t('sheet.colText'),
        t('sheet.colTheme'),
        t('sheet.colSupports'),
        t('sheet.colAsked'),
        t('sheet.colStatus'),
        t('sheet.colAnswer'),
        t('sheet.colAnsweredLive'),
        t('sheet.colMerged'),
      ],
      rows: questions,
    },
    {
      file: 'evaluation',
      sheet: t('sheet.evaluation'),
      header: [t('sheet.colEvaluation'), t('sheet.colValue'), ...evalItems.map((i) => i.text)],
      rows: evaluation,
    },
    {
      file: 'participation',
      sheet: t('sheet.participation'),
      header: [t('sheet.colDimension'), t('report.colGroup'), t('report.colPeople')],
      rows: participation,
    },
  ];
}

export async function toXlsx(sets: Dataset[], title: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Concerto';
  wb.title = title;
  for (const set of sets) {
    const ws = wb.addWorksheet(set.sheet.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.addRow(set.header.map(neutralise));
    ws.getRow(1).font = { bold: true };
    for (const row of set.rows) ws.addRow(row.map(neutralise));
    ws.columns.forEach((col, i) => {
      const longest = Math.max(String(set.header[i] ?? '').length, ...set.rows.map((r) => String(r[i] ?? '').length));
      col.width = Math.min(60, Math.max(10, longest + 2));
    });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** [EX-CSV] RFC 4180: fields with a comma, a quote or a line break are quoted, quotes doubled, CRLF lines. */
export function toCsv(set: Dataset): string {
  const field = (v: Cell) => {
    const s = v === null ? '' : String(neutralise(v));
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return '\uFEFF' + [set.header, ...set.rows].map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
}

export function toCsvZip(sets: Dataset[]): Buffer {
  return Buffer.from(zipSync(Object.fromEntries(sets.map((s) => [`${s.file}.csv`, strToU8(toCsv(s))]))));
}
