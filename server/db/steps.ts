import type { Db } from './index.ts';
import type { BreakoutSpec } from '../../shared/schemas/breakout.ts';
import type { Step, StepKind } from '../../shared/schemas/step.ts';
import type { TimerState } from '../../shared/domain/timer.ts';

interface StepRow {
  id: string;
  kind: string;
  title: string;
  notes: string;
  minutes: number;
  start: string | null;
  axes: string | null;
  breakout: string | null;
  timer: string;
}

function toStep(r: StepRow): Step {
  return {
    id: r.id,
    kind: r.kind as StepKind,
    title: r.title,
    notes: r.notes,
    minutes: r.minutes,
    start: r.start,
    axes: r.axes === null ? null : (JSON.parse(r.axes) as string[]),
    breakout: r.breakout === null ? null : (JSON.parse(r.breakout) as BreakoutSpec),
    timer: JSON.parse(r.timer) as TimerState,
  };
}

export function stepsRepo(db: Db) {
  const list = db.prepare<[string], StepRow>(
    'SELECT id, kind, title, notes, minutes, start, axes, breakout, timer FROM steps WHERE event_id = ? ORDER BY position',
  );
  const one = db.prepare<[string, string], StepRow>(
    'SELECT id, kind, title, notes, minutes, start, axes, breakout, timer FROM steps WHERE id = ? AND event_id = ?',
  );
  const insert = db.prepare(`INSERT INTO steps (id, event_id, position, kind, title, notes, minutes, start, axes, breakout, timer)
    VALUES (@id, @eventId, @position, @kind, @title, @notes, @minutes, @start, @axes, @breakout, @timer)`);
  const update = db.prepare(`UPDATE steps SET kind = @kind, title = @title, notes = @notes, minutes = @minutes,
    start = @start, axes = @axes, breakout = @breakout, timer = @timer WHERE id = @id AND event_id = @eventId`);
  const setPosition = db.prepare<[number, string]>('UPDATE steps SET position = ? WHERE id = ?');
  const remove = db.prepare<[string, string]>('DELETE FROM steps WHERE id = ? AND event_id = ?');

  return {
    list(eventId: string): Step[] {
      return list.all(eventId).map(toStep);
    },
    get(eventId: string, id: string): Step | undefined {
      const r = one.get(id, eventId);
      return r && toStep(r);
    },
    /** Writes the whole run sheet order: positions are 0..n-1 in the order given. */
    reorder(order: readonly string[]): void {
      order.forEach((id, i) => setPosition.run(i, id));
    },
    insert(eventId: string, step: Step, position: number): void {
      insert.run({
        ...step,
        eventId,
        position,
        axes: step.axes && JSON.stringify(step.axes),
        breakout: step.breakout && JSON.stringify(step.breakout),
        timer: JSON.stringify(step.timer),
      });
    },
    save(eventId: string, step: Step): void {
      update.run({
        ...step,
        eventId,
        axes: step.axes && JSON.stringify(step.axes),
        breakout: step.breakout && JSON.stringify(step.breakout),
        timer: JSON.stringify(step.timer),
      });
    },
    remove(eventId: string, id: string): void {
      remove.run(id, eventId);
    },
  };
}
