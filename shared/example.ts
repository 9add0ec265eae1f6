import scenario from './scenario/forum-bsl.json' with { type: 'json' };
import type { EventSetupInput } from './schemas/event.ts';
import { STEP_KINDS, type StepKind } from './schemas/step.ts';

function isStepKind(kind: string): kind is StepKind {
  return (STEP_KINDS as readonly string[]).includes(kind);
}

/** The Forum des Alliances pour la solidarité du Bas-Saint-Laurent, as an event to create. */
export function exampleSetup(): EventSetupInput {
  return {
    title: scenario.event.title,
    date: scenario.event.date,
    place: scenario.event.place,
    locale: 'fr-CA',
    axes: scenario.axes.map((a) => ({ key: a.key, title: a.title, subtitle: a.subtitle })),
    territories: scenario.territories,
    categories: scenario.colleges.map((c) => ({ key: c.key, title: c.title })),
    agenda: scenario.agenda.map((s) => ({
      kind: isStepKind(s.kind) ? s.kind : 'plenary',
      title: s.title,
      minutes: s.minutes,
      start: s.start,
      ...('note' in s && typeof s.note === 'string' ? { notes: s.note } : {}),
      // The afternoon's idea boards are written at tables of 8, one board per axis and table.
      ...(s.kind === 'board' ? { breakout: { mode: 'balanced' as const, size: 8 } } : {}),
      ...(s.kind === 'breakout' ? { breakout: { mode: 'balanced' as const, size: 7 } } : {}),
    })),
    allowNamedContributions: false,
  };
}
