import type { Db } from './index.ts';
import { hashSecret, sameHash, seal } from '../security.ts';
import type { EventInfo } from '../../shared/schemas/event.ts';
import type { Locale } from '../../shared/schemas/common.ts';
import type { Broadcast } from '../../shared/schemas/message.ts';

interface EventRow {
  id: string;
  join_code: string;
  title: string;
  date: string | null;
  place: string | null;
  locale: string;
  axes: string;
  territories: string;
  categories: string;
  allow_named: number;
  facilitator_hash: string;
  cofacilitator_hash: string;
  projector_hash: string;
  sealed_links: string | null;
  current_step_id: string | null;
  message_text: string | null;
  message_sent_at: number | null;
  projected_axis: string | null;
  created_at: number;
  purge_on: string | null;
  purged_on: string | null;
}

export interface StoredEvent {
  info: EventInfo;
  /** The co-facilitator and projector secrets, sealed with the lead facilitator's (see security.ts). */
  sealedLinks: string | null;
  currentStepId: string | null;
  message: Broadcast | null;
  projectedAxis: string | null;
  retention: { purgeOn: string | null; purgedOn: string | null };
}

export interface NewEvent {
  info: EventInfo;
  /** The secrets of the three staff links, in clear here only: hashes are stored. */
  tokens: { facilitator: string; cofacilitator: string; projector: string };
  createdAt: number;
}

function toEvent(r: EventRow): StoredEvent {
  return {
    info: {
      id: r.id,
      joinCode: r.join_code,
      title: r.title,
      date: r.date,
      place: r.place,
      locale: r.locale as Locale,
      axes: JSON.parse(r.axes) as EventInfo['axes'],
      territories: JSON.parse(r.territories) as string[],
      categories: JSON.parse(r.categories) as EventInfo['categories'],
      allowNamedContributions: r.allow_named === 1,
    },
    sealedLinks: r.sealed_links,
    currentStepId: r.current_step_id,
    message: r.message_text === null ? null : { text: r.message_text, sentAt: r.message_sent_at ?? 0 },
    projectedAxis: r.projected_axis,
    retention: { purgeOn: r.purge_on, purgedOn: r.purged_on },
  };
}

export type TokenRole = 'facilitator' | 'cofacilitator' | 'projector';

export function eventsRepo(db: Db) {
  const insert = db.prepare(`INSERT INTO events (id, join_code, title, date, place, locale, axes, territories, categories,
    allow_named, facilitator_hash, cofacilitator_hash, projector_hash, sealed_links, created_at)
    VALUES (@id, @joinCode, @title, @date, @place, @locale, @axes, @territories, @categories, @allowNamed,
    @facilitator, @cofacilitator, @projector, @sealedLinks, @createdAt)`);
  const byId = db.prepare<[string], EventRow>('SELECT * FROM events WHERE id = ?');
  const byCode = db.prepare<[string], EventRow>('SELECT * FROM events WHERE join_code = ?');
  const codeExists = db.prepare<[string], { n: number }>('SELECT 1 AS n FROM events WHERE join_code = ?');
  const byToken = db.prepare<[string, string, string], EventRow>(
    'SELECT * FROM events WHERE facilitator_hash = ? OR cofacilitator_hash = ? OR projector_hash = ?',
  );
  const setCurrent = db.prepare<[string | null, string]>('UPDATE events SET current_step_id = ? WHERE id = ?');
  const setMessage = db.prepare<[string | null, number | null, string]>('UPDATE events SET message_text = ?, message_sent_at = ? WHERE id = ?');

  const setProjected = db.prepare<[string | null, string]>('UPDATE events SET projected_axis = ? WHERE id = ?');
  const setPurgeOn = db.prepare<[string | null, string]>('UPDATE events SET purge_on = ? WHERE id = ?');
  const setSecrets = db.prepare<[string, string, string, string, string]>(
    'UPDATE events SET facilitator_hash = ?, cofacilitator_hash = ?, projector_hash = ?, sealed_links = ? WHERE id = ?',
  );
  const due = db.prepare<[string], { id: string }>('SELECT id FROM events WHERE purge_on IS NOT NULL AND purge_on <= ? AND purged_on IS NULL');
  const getAggregates = db.prepare<[string], { data: string }>('SELECT data FROM event_aggregates WHERE event_id = ?');
  const putAggregates = db.prepare<[string, string]>(
    'INSERT INTO event_aggregates (event_id, data) VALUES (?, ?) ON CONFLICT (event_id) DO UPDATE SET data = excluded.data',
  );
  // Personal data of the event's people: names, profiles, tokens and shared-device keys.
  const forgetPeople = db.prepare<[string]>(
    'UPDATE participants SET display_name = NULL, consent = NULL, profile = NULL, token_hash = NULL, device_group = NULL WHERE event_id = ?',
  );
  const forgetNames = db.prepare<[string]>('UPDATE questions SET name = NULL WHERE event_id = ?');
  const dropReceipts = db.prepare<[string]>('DELETE FROM command_receipts WHERE event_id = ?');
  const dropAnonymousReceipts = db.prepare<[string]>('DELETE FROM anonymous_receipts WHERE event_id = ?');
  const markPurged = db.prepare<[string, string]>('UPDATE events SET purged_on = ? WHERE id = ?');

  return {
    insert(e: NewEvent): void {
      insert.run({
        id: e.info.id,
        joinCode: e.info.joinCode,
        title: e.info.title,
        date: e.info.date,
        place: e.info.place,
        locale: e.info.locale,
        axes: JSON.stringify(e.info.axes),
        territories: JSON.stringify(e.info.territories),
        categories: JSON.stringify(e.info.categories),
        allowNamed: e.info.allowNamedContributions ? 1 : 0,
        facilitator: hashSecret(e.tokens.facilitator),
        cofacilitator: hashSecret(e.tokens.cofacilitator),
        projector: hashSecret(e.tokens.projector),
        sealedLinks: seal(e.tokens.facilitator, JSON.stringify({ cofacilitator: e.tokens.cofacilitator, projector: e.tokens.projector })),
        createdAt: e.createdAt,
      });
    },
    /** New staff secrets (a link rotated): their hashes, and the other links sealed with the lead's again. */
    setStaffSecrets(eventId: string, tokens: { facilitator: string; cofacilitator: string; projector: string }): void {
      const sealed = seal(tokens.facilitator, JSON.stringify({ cofacilitator: tokens.cofacilitator, projector: tokens.projector }));
      setSecrets.run(hashSecret(tokens.facilitator), hashSecret(tokens.cofacilitator), hashSecret(tokens.projector), sealed, eventId);
    },
    get(id: string): StoredEvent | undefined {
      const r = byId.get(id);
      return r && toEvent(r);
    },
    byJoinCode(code: string): StoredEvent | undefined {
      const r = byCode.get(code);
      return r && toEvent(r);
    },
    joinCodeTaken(code: string): boolean {
      return codeExists.get(code) !== undefined;
    },
    /** [SEC-HASH] Found by the secret's hash, and the hash compared again in constant time. */
    byToken(token: string): { event: StoredEvent; role: TokenRole } | undefined {
      const hash = hashSecret(token);
      const r = byToken.get(hash, hash, hash);
      if (!r) return undefined;
      const role: TokenRole | null = sameHash(r.facilitator_hash, hash)
        ? 'facilitator'
        : sameHash(r.cofacilitator_hash, hash)
          ? 'cofacilitator'
          : sameHash(r.projector_hash, hash)
            ? 'projector'
            : null;
      return role ? { event: toEvent(r), role } : undefined;
    },
    setCurrentStep(eventId: string, stepId: string | null): void {
      setCurrent.run(stepId, eventId);
    },
    setProjectedAxis(eventId: string, axis: string | null): void {
      setProjected.run(axis, eventId);
    },
    setPurgeOn(eventId: string, day: string | null): void {
      setPurgeOn.run(day, eventId);
    },
    /** Events whose purge day has come (YYYY-MM-DD, compared as text) and that are not purged yet. */
    duePurges(today: string): string[] {
      return due.all(today).map((r) => r.id);
    },
    aggregates(eventId: string): unknown {
      const r = getAggregates.get(eventId);
      return r ? (JSON.parse(r.data) as unknown) : null;
    },
    /** The purge itself (the caller holds the transaction): only anonymous content and aggregates stay. */
    purge(eventId: string, aggregates: unknown, today: string): void {
      putAggregates.run(eventId, JSON.stringify(aggregates));
      forgetPeople.run(eventId);
      forgetNames.run(eventId);
      dropReceipts.run(eventId);
      dropAnonymousReceipts.run(eventId);
      markPurged.run(today, eventId);
    },
    setMessage(eventId: string, message: Broadcast | null): void {
      setMessage.run(message?.text ?? null, message?.sentAt ?? null, eventId);
    },
  };
}
