import type { FaqEntry } from '../../shared/schemas/question.ts';
import type { Formatter } from './format.ts';

/** FAQ entries by theme: the axes' order first, then other themes, then entries without one. */
export function byThemeGroups(axes: { key: string; title: string }[], entries: readonly FaqEntry[]): { title: string | null; entries: FaqEntry[] }[] {
  const groups = new Map<string | null, FaqEntry[]>();
  for (const e of entries) groups.set(e.theme, [...(groups.get(e.theme) ?? []), e]);
  const rank = (theme: string | null) => (theme === null ? 1e6 : axes.findIndex((a) => a.key === theme) + 1 || 1e3);
  return [...groups.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || String(a).localeCompare(String(b)))
    .map(([theme, list]) => ({ title: theme === null ? null : (axes.find((a) => a.key === theme)?.title ?? theme), entries: list }));
}

/**
 * [HR-MD] Text people typed, as literal Markdown: every character Markdown or HTML could read as
 * markup is escaped, so an anonymous question can neither inject HTML nor a link into the file.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~&]/g, '\\$&');
}

/** The FAQ as Markdown. */
export function faqMarkdown(f: Formatter, title: string, axes: { key: string; title: string }[], entries: readonly FaqEntry[]): string {
  const lines = [`# ${f.t('report.faqTitle')} : ${escapeMarkdown(title)}`, ''];
  if (entries.length === 0) lines.push(f.t('faq.empty'), '');
  for (const group of byThemeGroups(axes, entries)) {
    lines.push(`## ${group.title ? escapeMarkdown(group.title) : f.t('faq.otherTheme')}`, '');
    for (const e of group.entries) {
      lines.push(`### ${escapeMarkdown(e.question)}`, '');
      if (e.answer) lines.push(escapeMarkdown(e.answer), '');
      lines.push(`*${f.t('faq.counts', { asked: e.asked, supports: e.supports })}*`, '');
    }
  }
  return lines.join('\n');
}
