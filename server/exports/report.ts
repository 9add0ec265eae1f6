/**
 * What the exports hold, gathered once from the store: the bilan (DOCX, PDF), the spreadsheets and
 * the FAQ are all rendered from this. Figures about people follow the same rules as the screens:
 * counts of fewer than 5 people are suppressed. Organizers see vote tallies at any time (the exports
 * are theirs alone), whether or not the vote is closed.
 */
import { parseBoardName } from '../../shared/domain/boards.ts';
import { suppressCells, type SuppressedCount } from '../../shared/domain/suppression.ts';
import { responseRate } from '../../shared/domain/evaluation.ts';
import type { Locale } from '../../shared/schemas/common.ts';
import type { EvaluationItem, EvaluationResults } from '../../shared/schemas/evaluation.ts';
import type { EventInfo } from '../../shared/schemas/event.ts';
import type { FaqEntry, Question } from '../../shared/schemas/question.ts';
import type { Step } from '../../shared/schemas/step.ts';
import type { Breakdown, RankedItem, VoteItem } from '../../shared/schemas/vote.ts';
import { rank } from '../../shared/domain/voting.ts';
import type { BoardCommands } from '../command.ts';
import type { AppConfig } from '../context.ts';
import type { Repos } from '../db/repos.ts';
import { faqEntries } from '../views/questions.ts';
import { evaluationView } from '../views/evaluations.ts';
import { talliesOf, voteView } from '../views/votes.ts';
import { hiddenByReason } from '../../shared/domain/questions.ts';
import { frozenAggregates, type CountRow } from '../views/retention.ts';

/** What the exports read: the store and the boards' checked content. */
export interface ReportReads {
  repos: Repos;
  config: AppConfig;
  boards: Pick<BoardCommands, 'read'>;
}

export type { CountRow };

export interface ReportCard {
  id: string;
  text: string;
  axis: string;
  /** "plenary", or the group's id. */
  scope: string;
  groupTitle: string | null;
  clusterTitle: string | null;
  hidden: string | null;
  /** Where a plenary card came from (the group it was reported back from). */
  originGroup: string | null;
  /** A group card reported back to the plenary. */
  promoted: boolean;
  author: string | null;
}

export interface ReportVote {
  stepId: string;
  title: string;
  status: 'draft' | 'open' | 'closed';
  voters: number;
  budget: number;
  items: (VoteItem & RankedItem)[];
  byCategory: Breakdown | null;
  byTerritory: Breakdown | null;
}

export interface ReportEvaluation {
  stepId: string;
  title: string;
  status: 'open' | 'closed';
  items: EvaluationItem[];
  results: EvaluationResults;
  rate: number | null;
}

export interface ReportData {
  locale: Locale;
  event: EventInfo;
  agenda: Step[];
  participation: { people: number; added: number; byCategory: CountRow[]; byTerritory: CountRow[] };
  votes: ReportVote[];
  cards: ReportCard[];
  faq: FaqEntry[];
  questions: Question[];
  evaluations: ReportEvaluation[];
  moderation: {
    cards: { action: string; reason: string | null; count: number }[];
    questionsHidden: Partial<Record<string, number>>;
    questionsMerged: number;
    commentsHidden: number;
  };
}

function countRows(keys: { key: string; title: string }[], counts: Map<string, number>): CountRow[] {
  const cells = keys.map((k) => ({ key: k.key, count: counts.get(k.key) ?? 0 }));
  const suppressed = suppressCells(cells);
  return keys.map((k, i) => ({ key: k.key, title: k.title, value: suppressed[i]?.value ?? { shown: true, count: 0 } }));
}

function participation(services: ReportReads, event: EventInfo, noAnswer: string): ReportData['participation'] {
  const people = services.repos.participants.people(event.id);
  const byCat = new Map<string, number>();
  const byTer = new Map<string, number>();
  for (const p of people) {
    const profile = p.me.consent ? p.me.profile : null;
    const cat = profile?.category ?? '';
    const ter = profile?.territory ?? '';
    byCat.set(cat, (byCat.get(cat) ?? 0) + 1);
    byTer.set(ter, (byTer.get(ter) ?? 0) + 1);
  }
  return {
    people: people.length,
    added: people.filter((p) => p.addedByFacilitator).length,
    byCategory: countRows([...event.categories, { key: '', title: noAnswer }], byCat),
    byTerritory: countRows([...event.territories.map((t) => ({ key: t, title: t })), { key: '', title: noAnswer }], byTer),
  };
}

function votes(services: ReportReads, eventId: string, steps: Step[]): ReportVote[] {
  const out: ReportVote[] = [];
  for (const step of steps.filter((s) => s.kind === 'vote')) {
    const view = voteView(services, eventId, step.id, 'staff');
    if (!view || view.items.length === 0) continue;
    const tallies = talliesOf(services, step.id, view.items);
    const ranked = rank(tallies.map((t) => ({ id: t.itemId, dots: t.dots })));
    const items = ranked.flatMap((r) => {
      const item = view.items.find((i) => i.id === r.id);
      const tally = tallies.find((t) => t.itemId === r.id);
      return item && tally ? [{ ...item, ...tally, rank: r.rank, tied: r.tied }] : [];
    });
    out.push({
      stepId: step.id,
      title: step.title,
      status: view.status,
      voters: services.repos.votes.voters(step.id),
      budget: view.budget,
      items,
      byCategory: view.byCategory,
      byTerritory: view.byTerritory,
    });
  }
  return out;
}

function cards(services: ReportReads, eventId: string): ReportCard[] {
  const out: ReportCard[] = [];
  const groupTitle = (groupId: string): string | null => {
    const g = services.repos.groups.group(eventId, groupId);
    return g ? (g.name ?? `#${g.number}`) : null;
  };
  for (const doc of services.repos.boards.documents(eventId)) {
    const address = parseBoardName(doc);
    if (!address || address.eventId !== eventId) continue;
    const content = services.boards.read(doc, { address, role: 'facilitator', participantId: null });
    const scope = address.scope.kind === 'plenary' ? 'plenary' : address.scope.groupId;
    for (const card of content.cards.values()) {
      const fromGroup = card.origin && card.origin.scope.startsWith('group-') ? card.origin.scope.slice('group-'.length) : null;
      out.push({
        id: card.id,
        text: card.text,
        axis: card.axis,
        scope,
        groupTitle: address.scope.kind === 'group' ? groupTitle(address.scope.groupId) : null,
        clusterTitle: card.clusterId ? (content.clusters.get(card.clusterId)?.title ?? null) : null,
        hidden: card.hidden?.reason ?? null,
        originGroup: fromGroup ? groupTitle(fromGroup) : null,
        promoted: card.promotedTo !== undefined,
        author: card.author ?? null,
      });
    }
  }
  return out;
}

function evaluations(services: ReportReads, eventId: string, steps: Step[]): ReportEvaluation[] {
  return steps
    .filter((s) => s.kind === 'evaluation' && services.repos.evaluations.get(s.id))
    .flatMap((s) => {
      const view = evaluationView(services, eventId, s.id, 'staff');
      if (!view?.results) return [];
      return [
        {
          stepId: s.id,
          title: s.title,
          status: view.status,
          items: view.items,
          results: view.results,
          rate: responseRate(view.results.responses, view.results.people),
        },
      ];
    });
}

export function collectReport(services: ReportReads, eventId: string, noAnswer: string): ReportData | null {
  const stored = services.repos.events.get(eventId);
  if (!stored) return null;
  const event = stored.info;
  const steps = services.repos.steps.list(eventId);
  const questions = services.repos.questions.list(eventId);
  const cardLog = new Map<string, number>();
  for (const m of services.repos.boards.moderationLog(eventId)) {
    const key = `${m.action}|${m.reason ?? ''}`;
    cardLog.set(key, (cardLog.get(key) ?? 0) + 1);
  }
  const comments = steps.filter((s) => s.kind === 'evaluation').flatMap((s) => services.repos.evaluations.comments(s.id));
  return {
    locale: event.locale,
    event,
    agenda: steps,
    // Once purged, profiles are gone: the figures frozen at the purge are the ones that stay.
    participation: frozenAggregates(services, eventId)?.participation ?? participation(services, event, noAnswer),
    votes: votes(services, eventId, steps),
    cards: cards(services, eventId),
    faq: faqEntries(services, eventId, false),
    questions: questions.filter((q) => q.status !== 'withdrawn'),
    evaluations: evaluations(services, eventId, steps),
    moderation: {
      cards: [...cardLog.entries()].map(([k, count]) => {
        const [action = '', reason = ''] = k.split('|');
        return { action, reason: reason || null, count };
      }),
      questionsHidden: hiddenByReason(questions),
      questionsMerged: questions.filter((q) => q.status === 'merged').length,
      commentsHidden: comments.filter((c) => c.status === 'hidden').length,
    },
  };
}

/** A suppressed count as text: the number, or "< 5". */
export function countText(value: SuppressedCount, format: (n: number) => string): string {
  return value.shown ? format(value.count) : '< 5';
}
