/**
 * Retention (Loi 25): the organizer sets the day personal data is purged, is reminded to export
 * before it, and can purge at once. Purging deletes display names, profiles, participant tokens and
 * shared-device keys, names on signed questions and command receipts; the figures about people
 * (participation, dots by category and territory) are frozen first, small cells already suppressed,
 * so that the bilan keeps them. Anonymous content (cards, questions, answers, dots) stays.
 */
import { normalizeJoinCode } from '../../shared/domain/joinCode.ts';
import { fail } from '../../shared/domain/errors.ts';
import { createDocumentTranslator } from '../../shared/i18n/index.ts';
import { command, done } from '../command.ts';
import type { Clock } from '../context.ts';
import type { Db } from '../db/index.ts';
import type { Effect } from '../effects.ts';
import { collectReport, type ReportReads } from '../exports/report.ts';
import type { Logger } from '../logger.ts';
import { isLeadFacilitator } from '../permissions.ts';
import { retentionOf, type FrozenAggregates } from '../views/retention.ts';

/** Where the organizers are: purge days are days there. */
const TIME_ZONE = 'America/Toronto';
const CHECK_EVERY_MS = 60 * 60 * 1000;

export function today(now: number): string {
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** The purge, inside the caller's transaction. */
function purge(reads: ReportReads, eventId: string, now: number): void {
  const stored = reads.repos.events.get(eventId);
  if (!stored) return;
  const report = collectReport(reads, eventId, createDocumentTranslator(stored.info.locale)('report.noAnswer'));
  const aggregates: FrozenAggregates = {
    participation: report?.participation ?? { people: 0, added: 0, byCategory: [], byTerritory: [] },
    votes: Object.fromEntries((report?.votes ?? []).map((v) => [v.stepId, { byCategory: v.byCategory, byTerritory: v.byTerritory }])),
  };
  reads.repos.events.purge(eventId, aggregates, today(now));
}

export interface PurgeDeps extends ReportReads {
  db: Db;
  clock: Clock;
  logger: Logger;
  /** After each purge is committed: the WAL is truncated, phones are signed out, screens are told. */
  publisher: { deliver(effect: Effect): void };
}

/** Purges every event whose day has come. */
export function purgeDue(deps: PurgeDeps): number {
  const now = deps.clock.now();
  const due = deps.repos.events.duePurges(today(now));
  let purged = 0;
  for (const eventId of due) {
    // Under the write lock (see server/commands.ts), and only if another process sharing the file
    // has not purged it a moment ago: a second purge would freeze figures from erased profiles.
    const purgedNow = deps.db
      .transaction(() => {
        if (!deps.repos.events.duePurges(today(now)).includes(eventId)) return false;
        purge(deps, eventId, now);
        return true;
      })
      .immediate();
    if (!purgedNow) continue;
    deps.publisher.deliver({ type: 'purged', eventId });
    purged++;
  }
  return purged;
}

/** At start, then every hour. Started by the server only: the command-line tools never purge. */
export function schedulePurges(deps: PurgeDeps): () => void {
  const run = () => {
    try {
      purgeDue(deps);
    } catch (err) {
      deps.logger.error('scheduled purge failed', {}, err);
    }
  };
  run();
  const timer = setInterval(run, CHECK_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}

export const retentionCommands = [
  command('event:retention', isLeadFacilitator, (ctx, { eventId, purgeOn }) => {
    if (!ctx.repos.events.get(eventId)) return fail('event_not_found');
    if (purgeOn !== null && purgeOn <= today(ctx.now)) return fail('purge_date_past');
    ctx.repos.events.setPurgeOn(eventId, purgeOn);
    return done(retentionOf(ctx, eventId), { type: 'retentionChanged', eventId });
  }),

  command('event:purge', isLeadFacilitator, (ctx, { eventId, confirm }) => {
    const stored = ctx.repos.events.get(eventId);
    if (!stored) return fail('event_not_found');
    if (normalizeJoinCode(confirm) !== stored.info.joinCode) return fail('purge_not_confirmed');
    purge(ctx, eventId, ctx.now);
    return done(retentionOf(ctx, eventId), { type: 'purged', eventId });
  }),
] as const;
