/**
 * The one translation layer, shared so that the server can write exports in the event's language.
 * Messages use ICU syntax (plurals, selects), formatted by intl-messageformat.
 */
import { IntlMessageFormat } from 'intl-messageformat';
import type { ErrorCode } from '../domain/errors.ts';
import type { Locale } from '../schemas/common.ts';
import { en } from './en.ts';
import { fr, type MessageKey } from './fr.ts';

export type { MessageKey };
export const LOCALES: readonly Locale[] = ['fr-CA', 'en-CA'];
const tables: Record<Locale, Record<MessageKey, string>> = { 'fr-CA': fr, 'en-CA': en };

export type Values = Record<string, string | number>;
export type Translate = (key: MessageKey, values?: Values) => string;

export function createTranslator(locale: Locale): Translate {
  const cache = new Map<MessageKey, IntlMessageFormat>();
  const table = tables[locale];
  return (key, values) => {
    let format = cache.get(key);
    if (!format) {
      format = new IntlMessageFormat(table[key], locale);
      cache.set(key, format);
    }
    return String(format.format(values));
  };
}

export function errorKey(code: ErrorCode): MessageKey {
  return `error.${code}`;
}

export function pickLocale(preferred: readonly string[]): Locale {
  for (const tag of preferred) if (tag.toLowerCase().startsWith('en')) return 'en-CA';
  return 'fr-CA';
}
