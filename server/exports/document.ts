/**
 * Documents as a list of blocks (headings, paragraphs, lists, tables, charts), built once from the
 * report and rendered to DOCX and to PDF by render-docx.ts and render-pdf.ts: both say the same.
 */
import type { Breakdown } from '../../shared/schemas/vote.ts';
import type { FaqEntry } from '../../shared/schemas/question.ts';
import { byThemeGroups } from './faq-text.ts';
import type { Formatter } from './format.ts';
import { countText, type CountRow, type ReportData, type ReportVote } from './report.ts';

export type Block =
  | { kind: 'title'; text: string }
  | { kind: 'heading'; level: 1 | 2 | 3; text: string }
  | { kind: 'p'; text: string; bold?: boolean; italics?: boolean }
  | { kind: 'bullet'; text: string; note?: string }
  | { kind: 'table'; header: string[]; rows: string[][]; widths?: number[] }
  | { kind: 'chart'; title: string; categories: string[]; values: number[]; seriesName: string }
  | { kind: 'pageBreak' };

export interface DocumentModel {
  title: string;
  locale: string;
  blocks: Block[];
}

type Key = Parameters<Formatter['t']>[0];
const h = (level: 1 | 2 | 3, text: string): Block => ({ kind: 'heading', level, text });
const p = (text: string, opts: { bold?: boolean; italics?: boolean } = {}): Block => ({ kind: 'p', text, ...opts });

function counts(f: Formatter, title: string, rows: CountRow[]): Block[] {
  return [
    h(3, title),
    {
      kind: 'table',
      header: [f.t('report.colGroup'), f.t('report.colPeople')],
      rows: rows.map((r) => [r.title, countText(r.value, f.number)]),
      widths: [70, 30],
    },
  ];
}

function breakdown(f: Formatter, title: string, b: Breakdown | null, vote: ReportVote): Block[] {
  if (!b) return [];
  return [
    h(3, title),
    {
      kind: 'table',
      header: [f.t('report.colIdea'), ...b.columns.map((c) => c.title || f.t('report.noAnswer'))],
      rows: b.rows.map((r) => [vote.items.find((i) => i.id === r.itemId)?.text ?? '', ...r.cells.map((c) => (c.shown ? f.number(c.count) : '< 5'))]),
    },
  ];
}

function priorities(f: Formatter, data: ReportData): Block[] {
  const out: Block[] = [h(1, f.t('report.priorities'))];
  if (data.votes.length === 0) out.push(p(f.t('report.none')));
  for (const vote of data.votes) {
    out.push(h(2, vote.title));
    out.push(p(f.t('report.voteIntro', { voters: vote.voters, budget: vote.budget, status: f.t(`report.voteStatus.${vote.status}`) })));
    for (const axis of [...data.event.axes.map((a) => a.key), null]) {
      const items = vote.items.filter((i) => (i.axis ?? null) === axis);
      if (!items.length) continue;
      if (data.event.axes.length > 0) out.push(h(3, data.event.axes.find((a) => a.key === axis)?.title ?? f.t('report.noAxis')));
      const groups: [string, typeof items][] = [
        [f.t('report.retained'), items.filter((i) => i.retained === true)],
        [f.t('report.notRetained'), items.filter((i) => i.retained === false)],
        [f.t('report.undecided'), items.filter((i) => i.retained === null)],
      ];
      for (const [label, list] of groups) {
        if (!list.length) continue;
        out.push(p(label, { bold: true }));
        out.push({
          kind: 'table',
          header: [f.t('report.colRank'), f.t('report.colIdea'), f.t('report.colDots'), f.t('report.colPaper')],
          rows: list.map((i) => [f.number(i.rank), i.text, f.number(i.dots), f.number(i.paper)]),
          widths: [10, 60, 15, 15],
        });
      }
    }
    out.push(...breakdown(f, f.t('report.byCategoryDots'), vote.byCategory, vote));
    out.push(...breakdown(f, f.t('report.byTerritoryDots'), vote.byTerritory, vote));
  }
  return out;
}

function boards(f: Formatter, data: ReportData): Block[] {
  const out: Block[] = [h(1, f.t('report.boards'))];
  const shown = data.cards.filter((c) => !c.hidden);
  if (shown.length === 0) out.push(p(f.t('report.none')));
  for (const axis of data.event.axes) {
    const cards = shown.filter((c) => c.axis === axis.key);
    if (!cards.length) continue;
    out.push(h(2, axis.title));
    const scopes = [...new Set(cards.map((c) => c.scope))].sort((a, b) => (a === 'plenary' ? -1 : b === 'plenary' ? 1 : a.localeCompare(b)));
    for (const scope of scopes) {
      const list = cards.filter((c) => c.scope === scope);
      out.push(h(3, scope === 'plenary' ? f.t('report.plenary') : f.t('report.group', { name: list[0]?.groupTitle ?? '' })));
      for (const c of list) {
        const notes = [
          c.originGroup ? f.t('report.fromGroup', { name: c.originGroup }) : null,
          c.promoted ? f.t('report.promoted') : null,
          c.clusterTitle ? f.t('report.cluster', { title: c.clusterTitle }) : null,
        ].filter((n): n is string => n !== null);
        out.push({ kind: 'bullet', text: c.text, ...(notes.length ? { note: notes.join(', ') } : {}) });
      }
    }
  }
  return out;
}

/** The FAQ by theme; `level` is the level of the themes' headings. */
export function faqBlocks(f: Formatter, axes: { key: string; title: string }[], entries: readonly FaqEntry[], level: 1 | 2 | 3): Block[] {
  const out: Block[] = [];
  if (entries.length === 0) out.push(p(f.t('faq.empty')));
  for (const group of byThemeGroups(axes, entries)) {
    out.push(h(level, group.title ?? f.t('faq.otherTheme')));
    for (const e of group.entries) {
      out.push(p(e.question, { bold: true }));
      if (e.answer) out.push(p(e.answer));
      out.push(p(f.t('faq.counts', { asked: e.asked, supports: e.supports }), { italics: true }));
    }
  }
  return out;
}

function evaluation(f: Formatter, data: ReportData): Block[] {
  const out: Block[] = [h(1, f.t('report.evaluation'))];
  if (data.evaluations.length === 0) out.push(p(f.t('report.none')));
  for (const ev of data.evaluations) {
    if (data.evaluations.length > 1) out.push(h(2, ev.title));
    out.push(p(f.t('report.rate', { responses: ev.results.responses, people: ev.results.people, percent: f.percent(ev.rate) }), { bold: true }));
    for (const s of ev.results.scales) {
      const text = ev.items.find((i) => i.id === s.itemId)?.text ?? s.itemId;
      out.push(h(3, text));
      out.push(p(f.t('report.topShare', { share: f.percent(s.topShare), answers: s.answers })));
      out.push({
        kind: 'chart',
        title: f.t('report.chartTitle', { text }),
        categories: ['1', '2', '3', '4', '5'],
        values: s.counts,
        seriesName: f.t('report.colAnswers'),
      });
      out.push(p(f.t('report.tableTitle', { text }), { italics: true }));
      out.push({
        kind: 'table',
        header: [f.t('report.colScore'), f.t('report.colAnswers')],
        rows: s.counts.map((c, i) => [String(i + 1), f.number(c)]),
        widths: [50, 50],
      });
    }
    const comments = ev.results.comments.filter((c) => c.status === 'approved');
    if (comments.length) {
      out.push(h(3, f.t('report.comments')));
      for (const c of comments) out.push({ kind: 'bullet', text: c.text });
    }
  }
  return out;
}

function annex(f: Formatter, data: ReportData): Block[] {
  const m = data.moderation;
  const reason = (r: string | null) => (r ? f.t(`boardAdmin.reason.${r}` as Key) : '—');
  const hidden = Object.entries(m.questionsHidden);
  return [
    h(1, f.t('report.annex')),
    h(2, f.t('report.modCards')),
    m.cards.length
      ? {
          kind: 'table',
          header: [f.t('report.colAction'), f.t('report.colReason'), f.t('report.colCount')],
          rows: m.cards.map((c) => [f.t(`report.action.${c.action}` as Key), reason(c.reason), f.number(c.count)]),
        }
      : p(f.t('report.none')),
    h(2, f.t('report.modQuestions')),
    hidden.length
      ? { kind: 'table', header: [f.t('report.colReason'), f.t('report.colCount')], rows: hidden.map(([r, n]) => [reason(r), f.number(n ?? 0)]) }
      : p(f.t('report.none')),
    p(f.t('report.modMerged', { count: m.questionsMerged })),
    p(f.t('report.modComments', { count: m.commentsHidden })),
  ];
}

function cover(f: Formatter, data: ReportData, subtitle: string, now: number): Block[] {
  const e = data.event;
  return [
    { kind: 'title', text: e.title },
    p(subtitle, { bold: true }),
    ...(e.date ? [p(f.date(e.date))] : []),
    ...(e.place ? [p(e.place)] : []),
    p(f.t('report.generated', { date: f.today(now) }), { italics: true }),
  ];
}

export function bilanModel(data: ReportData, f: Formatter, now: number): DocumentModel {
  const e = data.event;
  const participation = data.participation;
  return {
    title: `${f.t('report.title')} : ${e.title}`,
    locale: f.locale,
    blocks: [
      ...cover(f, data, f.t('report.title'), now),
      { kind: 'pageBreak' },
      h(1, f.t('report.context')),
      ...(e.axes.length
        ? [h(2, f.t('report.axes')), ...e.axes.map((a): Block => ({ kind: 'bullet', text: a.title, ...(a.subtitle ? { note: a.subtitle } : {}) }))]
        : []),
      h(2, f.t('report.agenda')),
      {
        kind: 'table',
        header: [f.t('report.colTime'), f.t('report.colStep'), f.t('report.colKind'), f.t('report.colMinutes')],
        rows: data.agenda.map((s) => [s.start ?? '', s.title, f.t(`kind.${s.kind}` as Key), f.number(s.minutes)]),
        widths: [12, 53, 20, 15],
      },
      h(1, f.t('report.participation')),
      p(f.t('report.people', { count: participation.people, added: participation.added })),
      ...counts(f, f.t('report.byCategory'), participation.byCategory),
      ...counts(f, f.t('report.byTerritory'), participation.byTerritory),
      ...priorities(f, data),
      ...boards(f, data),
      h(1, f.t('report.faq')),
      ...faqBlocks(f, e.axes, data.faq, 2),
      ...evaluation(f, data),
      ...annex(f, data),
    ],
  };
}

export function faqModel(data: ReportData, f: Formatter, now: number): DocumentModel {
  return {
    title: `${f.t('report.faqTitle')} : ${data.event.title}`,
    locale: f.locale,
    blocks: [...cover(f, data, f.t('report.faqTitle'), now), ...faqBlocks(f, data.event.axes, data.faq, 1)],
  };
}
