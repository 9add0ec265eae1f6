import type { Locale } from '../../shared/schemas/common.ts';
import { createDocumentTranslator, type DocumentTranslate } from '../../shared/i18n/index.ts';

/** Numbers, dates and messages in the event's language (fr-CA by default). */
export interface Formatter {
  locale: Locale;
  t: DocumentTranslate;
  number(n: number): string;
  percent(share: number | null): string;
  /** An ISO date (YYYY-MM-DD) as a long date. */
  date(iso: string): string;
  today(now: number): string;
}

export function formatter(locale: Locale): Formatter {
  const numbers = new Intl.NumberFormat(locale);
  const percents = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
  const dates = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' });
  const days = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'America/Toronto' });
  return {
    locale,
    t: createDocumentTranslator(locale),
    number: (n) => numbers.format(n),
    percent: (share) => (share === null ? '—' : percents.format(share)),
    date: (iso) => {
      const [y, m, d] = iso.split('-').map(Number);
      return dates.format(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1));
    },
    today: (now) => days.format(now),
  };
}

/** A name for files: the event's title without accents or spaces, and the document's kind. */
export function fileName(title: string, kind: string, ext: string): string {
  const slug = title
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
  return `${slug || 'concerto'}-${kind}.${ext}`;
}
