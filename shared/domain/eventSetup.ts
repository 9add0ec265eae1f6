import type { EventInfo, EventSetup } from '../schemas/event.ts';

/** "Approche systémique" → "approche-systemique". */
export function slugify(title: string): string {
  const slug = title
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return slug || 'x';
}

/** Keys stay stable for exports and later steps: given keys are kept, missing ones derived, clashes numbered. */
function withKeys<T extends { key?: string | undefined; title: string }>(items: readonly T[]): (T & { key: string })[] {
  const seen = new Set<string>();
  return items.map((item) => {
    const base = item.key ?? slugify(item.title);
    let key = base;
    for (let n = 2; seen.has(key); n++) key = `${base.slice(0, 36)}-${n}`;
    seen.add(key);
    return { ...item, key };
  });
}

/** [EV1] The event as stored: keyed axes and categories, territories without duplicates. */
export function normalizeSetup(setup: EventSetup, id: string, joinCode: string): EventInfo {
  return {
    id,
    joinCode,
    title: setup.title,
    date: setup.date ?? null,
    place: setup.place || null,
    locale: setup.locale,
    axes: withKeys(setup.axes).map((a) => ({ key: a.key, title: a.title, subtitle: a.subtitle || null })),
    territories: [...new Set(setup.territories)],
    categories: withKeys(setup.categories).map((c) => ({ key: c.key, title: c.title })),
    allowNamedContributions: setup.allowNamedContributions,
  };
}
