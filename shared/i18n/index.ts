/**
 * The one translation layer, shared so that the server can write exports in the event's language.
 * Messages use ICU syntax (plurals, selects), formatted by intl-messageformat.
 */
import { IntlMessageFormat } from 'intl-messageformat';
import type { ErrorCode } from '../domain/errors.ts';
import type { Locale } from '../schemas/common.ts';
import { en } from './en.ts';
import { fr, type MessageKey } from './fr.ts';
import { documentsEn } from './documents.en.ts';
import { documentsFr, type DocumentKey } from './documents.fr.ts';

export type { MessageKey };
export const LOCALES: readonly Locale[] = ['fr-CA', 'en-CA'];
const tables: Record<Locale, Record<MessageKey, string>> = { 'fr-CA': fr, 'en-CA': en };

export type Values = Record<string, string | number>;
export type Translate = (key: MessageKey, values?: Values) => string;

export type { DocumentKey };
const documentTables: Record<Locale, Record<MessageKey | DocumentKey, string>> = {
  'fr-CA': { ...fr, ...documentsFr },
  'en-CA': { ...en, ...documentsEn },
};
export type DocumentTranslate = (key: MessageKey | DocumentKey, values?: Values) => string;

export function createTranslator(locale: Locale): Translate {
  return translator<MessageKey>(tables[locale], locale);
}

/** For documents the server writes: the screens' messages and the documents' own. */
export function createDocumentTranslator(locale: Locale): DocumentTranslate {
  return translator<MessageKey | DocumentKey>(documentTables[locale], locale);
}

function translator<K extends string>(table: Record<K, string>, locale: Locale): (key: K, values?: Values) => string {
  const cache = new Map<K, IntlMessageFormat>();
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
