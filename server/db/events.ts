import type { Db } from './index.ts';
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
  facilitator_token: string;
  cofacilitator_token: string;
  projector_token: string;
  current_step_id: string | null;
  message_text: string | null;
  message_sent_at: number | null;
  projected_axis: string | null;
  created_at: number;
}

export interface StoredEvent {
  info: EventInfo;
  tokens: { facilitator: string; cofacilitator: string; projector: string };
  currentStepId: string | null;
  message: Broadcast | null;
  projectedAxis: string | null;
}

export interface NewEvent {
  info: EventInfo;
  tokens: StoredEvent['tokens'];
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
    tokens: { facilitator: r.facilitator_token, cofacilitator: r.cofacilitator_token, projector: r.projector_token },
    currentStepId: r.current_step_id,
    message: r.message_text === null ? null : { text: r.message_text, sentAt: r.message_sent_at ?? 0 },
    projectedAxis: r.projected_axis,
  };
}

export type TokenRole = 'facilitator' | 'cofacilitator' | 'projector';

export function eventsRepo(db: Db) {
  const insert = db.prepare(`INSERT INTO events (id, join_code, title, date, place, locale, axes, territories, categories,
    allow_named, facilitator_token, cofacilitator_token, projector_token, created_at)
    VALUES (@id, @joinCode, @title, @date, @place, @locale, @axes, @territories, @categories, @allowNamed,
    @facilitator, @cofacilitator, @projector, @createdAt)`);
  const byId = db.prepare<[string], EventRow>('SELECT * FROM events WHERE id = ?');
  const byCode = db.prepare<[string], EventRow>('SELECT * FROM events WHERE join_code = ?');
  const codeExists = db.prepare<[string], { n: number }>('SELECT 1 AS n FROM events WHERE join_code = ?');
  const byToken = db.prepare<[string, string, string], EventRow>(
    'SELECT * FROM events WHERE facilitator_token = ? OR cofacilitator_token = ? OR projector_token = ?',
  );
  const setCurrent = db.prepare<[string | null, string]>('UPDATE events SET current_step_id = ? WHERE id = ?');
  const setMessage = db.prepare<[string | null, number | null, string]>(
    'UPDATE events SET message_text = ?, message_sent_at = ? WHERE id = ?',
  );

  const setProjected = db.prepare<[string | null, string]>('UPDATE events SET projected_axis = ? WHERE id = ?');

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
        ...e.tokens,
        createdAt: e.createdAt,
      });
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
    byToken(token: string): { event: StoredEvent; role: TokenRole } | undefined {
      const r = byToken.get(token, token, token);
      if (!r) return undefined;
      const role: TokenRole =
        r.facilitator_token === token ? 'facilitator' : r.cofacilitator_token === token ? 'cofacilitator' : 'projector';
      return { event: toEvent(r), role };
    },
    setCurrentStep(eventId: string, stepId: string | null): void {
      setCurrent.run(stepId, eventId);
    },
    setProjectedAxis(eventId: string, axis: string | null): void {
      setProjected.run(axis, eventId);
    },
    setMessage(eventId: string, message: Broadcast | null): void {
      setMessage.run(message?.text ?? null, message?.sentAt ?? null, eventId);
    },
  };
}
