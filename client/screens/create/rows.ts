import type { EventSetupInput } from '../../../shared/schemas/event.ts';
import type { StepKind } from '../../../shared/schemas/step.ts';
import { isStepKind } from '../../components/stepKinds.ts';

/** Editable rows of the creation form; `id` keeps each row's inputs and labels together. */
export interface AxisRow {
  id: number;
  key?: string;
  title: string;
  subtitle: string;
}
export interface TerritoryRow {
  id: number;
  title: string;
}
export interface CategoryRow {
  id: number;
  key?: string;
  title: string;
}
export interface AgendaRow {
  id: number;
  kind: StepKind;
  title: string;
  minutes: number | null;
  start: string;
  notes: string;
}

export function axisRows(setup: EventSetupInput, id: () => number): AxisRow[] {
  return (setup.axes ?? []).map((a) => ({ id: id(), ...(a.key ? { key: a.key } : {}), title: a.title, subtitle: a.subtitle ?? '' }));
}

export function territoryRows(setup: EventSetupInput, id: () => number): TerritoryRow[] {
  return (setup.territories ?? []).map((title) => ({ id: id(), title }));
}

export function categoryRows(setup: EventSetupInput, id: () => number): CategoryRow[] {
  return (setup.categories ?? []).map((c) => ({ id: id(), ...(c.key ? { key: c.key } : {}), title: c.title }));
}

export function agendaRows(setup: EventSetupInput, id: () => number): AgendaRow[] {
  return (setup.agenda ?? []).map((s) => ({
    id: id(),
    kind: isStepKind(s.kind) ? s.kind : 'plenary',
    title: s.title,
    minutes: s.minutes ?? 15,
    start: s.start ?? '',
    notes: s.notes ?? '',
  }));
}
