/**
 * Retention (Loi 25): the organizer sets the day personal data is purged, is reminded to export
 * before it, and can purge at once. Purging deletes display names, profiles, participant tokens and
 * shared-device keys, names on signed questions and command receipts; the figures about people
 * (participation, dots by category and territory) are frozen first, small cells already suppressed,
 * so that the bilan keeps them. Anonymous content (cards, questions, answers, dots) stays.
 */
import { normalizeJoinCode } from '../../shared/domain/joinCode.ts';
import { fail, ok } from '../../shared/domain/errors.ts';
import { createDocumentTranslator } from '../../shared/i18n/index.ts';
import type { Retention } from '../../shared/schemas/event.ts';
import type { Breakdown } from '../../shared/schemas/vote.ts';
import { rooms, type Handlers, type Services } from '../context.ts';
import { collectReport, type ReportData } from '../exports/report.ts';
import { toOtherProcesses } from '../scaling.ts';

/** Where the organizers are: purge days are days there. */
const TIME_ZONE = 'America/Toronto';
const CHECK_EVERY_MS = 60 * 60 * 1000;

export function today(now: number): string {
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

export interface FrozenAggregates {
  participation: ReportData['participation'];
  votes: Record<string, { byCategory: Breakdown | null; byTerritory: Breakdown | null }>;
}

export function frozenAggregates(services: Services, eventId: string): FrozenAggregates | null {
  return services.repos.events.aggregates(eventId) as FrozenAggregates | null;
}

export function retentionOf(services: Services, eventId: string): Retention {
  return services.repos.events.get(eventId)?.retention ?? { purgeOn: null, purgedOn: null };
}

/** The purge, inside the caller's transaction. */
function purge(services: Services, eventId: string, now: number): void {
  const stored = services.repos.events.get(eventId);
  if (!stored) return;
  const report = collectReport(services, eventId, createDocumentTranslator(stored.info.locale)('report.noAnswer'));
  const aggregates: FrozenAggregates = {
    participation: report?.participation ?? { people: 0, added: 0, byCategory: [], byTerritory: [] },
    votes: Object.fromEntries((report?.votes ?? []).map((v) => [v.stepId, { byCategory: v.byCategory, byTerritory: v.byTerritory }])),
  };
  services.repos.events.purge(eventId, aggregates, today(now));
}

/** After the purge is committed: the WAL's old pages go, phones are signed out, screens are told. */
function afterPurge(services: Services, eventId: string): void {
  services.db.pragma('wal_checkpoint(TRUNCATE)');
  signOutPhones(services, eventId);
  toOtherProcesses(services.io, 'local:purged', eventId);
  services.io.to(rooms.event(eventId)).emit('retention:updated', retentionOf(services, eventId));
  services.logger.info('event purged', { eventId });
}

/** The participants' sockets connected to this process are closed: their tokens are gone. */
export function signOutPhones(services: Services, eventId: string): void {
  for (const id of services.io.sockets.adapter.rooms.get(rooms.event(eventId)) ?? []) {
    const socket = services.io.sockets.sockets.get(id);
    if (socket?.data.actor.kind === 'participant') socket.disconnect(true);
  }
}

/** Purges every event whose day has come; run at start and every hour. */
export function purgeDue(services: Services): number {
  const now = services.clock.now();
  const due = services.repos.events.duePurges(today(now));
  let purged = 0;
  for (const eventId of due) {
    // Under the write lock (see server/commands.ts), and only if another process sharing the file
    // has not purged it a moment ago: a second purge would freeze figures from erased profiles.
    const done = services.db
      .transaction(() => {
        if (!services.repos.events.duePurges(today(now)).includes(eventId)) return false;
        purge(services, eventId, now);
        return true;
      })
      .immediate();
    if (!done) continue;
    afterPurge(services, eventId);
    purged++;
  }
  return purged;
}

export function schedulePurges(services: Services): () => void {
  const run = () => {
    try {
      purgeDue(services);
    } catch (err) {
      services.logger.error('scheduled purge failed', { error: err instanceof Error ? err.message : 'unknown' });
    }
  };
  run();
  const timer = setInterval(run, CHECK_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}

export const retentionHandlers: Pick<Handlers, 'event:retention' | 'event:purge'> = {
  'event:retention'(ctx, { eventId, purgeOn }) {
    if (!ctx.services.repos.events.get(eventId)) return fail('event_not_found');
    if (purgeOn !== null && purgeOn <= today(ctx.now)) return fail('purge_date_past');
    ctx.services.repos.events.setPurgeOn(eventId, purgeOn);
    const retention = retentionOf(ctx.services, eventId);
    ctx.after(() => ctx.services.io.to(rooms.event(eventId)).emit('retention:updated', retention));
    return ok(retention);
  },

  'event:purge'(ctx, { eventId, confirm }) {
    const stored = ctx.services.repos.events.get(eventId);
    if (!stored) return fail('event_not_found');
    if (normalizeJoinCode(confirm) !== stored.info.joinCode) return fail('purge_not_confirmed');
    purge(ctx.services, eventId, ctx.now);
    ctx.after(() => afterPurge(ctx.services, eventId));
    return ok(retentionOf(ctx.services, eventId));
  },
};
