import type { EventInfo } from '../../shared/schemas/event.ts';

/** A theme's title: an axis's title when it is an axis key, else the theme as typed. */
export function themeTitle(axes: readonly { key: string; title: string }[], theme: string | null): string | null {
  if (!theme) return null;
  return axes.find((a) => a.key === theme)?.title ?? theme;
}

/** Entries grouped by theme, in the order of the axes, then other themes, then those without one. */
export function byTheme<E extends { theme: string | null }>(
  axes: EventInfo['axes'] | { key: string; title: string }[],
  entries: readonly E[],
): { theme: string | null; title: string | null; entries: E[] }[] {
  const groups = new Map<string | null, E[]>();
  for (const e of entries) groups.set(e.theme, [...(groups.get(e.theme) ?? []), e]);
  const rank = (theme: string | null) => {
    if (theme === null) return 1e6;
    const i = axes.findIndex((a) => a.key === theme);
    return i >= 0 ? i : 1e3;
  };
  return [...groups.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || String(a).localeCompare(String(b)))
    .map(([theme, list]) => ({ theme, title: themeTitle(axes, theme), entries: list }));
}

/** A theme as typed: an axis's title (any case) is stored as that axis's key; empty is no theme. */
export function themeFromInput(axes: readonly { key: string; title: string }[], typed: string): string | null {
  const trimmed = typed.trim();
  if (!trimmed) return null;
  return axes.find((a) => a.title.toLowerCase() === trimmed.toLowerCase())?.key ?? trimmed;
}
