import { createTranslator, type MessageKey, type Translate, type Values } from '../shared/i18n/index.ts';
import type { Locale } from '../shared/schemas/common.ts';
import { readJson, writeJson } from './storage.ts';

const STORAGE_KEY = 'concerto.locale';

function initialLocale(): Locale {
  const saved = readJson(STORAGE_KEY);
  // French is the default: English only when the person chose it here.
  return saved === 'en-CA' ? 'en-CA' : 'fr-CA';
}

/** The interface language. French first; the choice is kept on the device. */
class I18n {
  locale = $state<Locale>(initialLocale());
  #translate: Translate = $derived(createTranslator(this.locale));

  constructor() {
    this.#applyToDocument();
  }

  t = (key: MessageKey, values?: Values): string => this.#translate(key, values);

  /** The other language, for the switch. */
  get other(): Locale {
    return this.locale === 'fr-CA' ? 'en-CA' : 'fr-CA';
  }

  setLocale(locale: Locale): void {
    this.locale = locale;
    writeJson(STORAGE_KEY, locale);
    this.#applyToDocument();
  }

  toggle(): void {
    this.setLocale(this.other);
  }

  /** "19 novembre 2024" / "November 19, 2024", from an ISO date kept as a calendar day. */
  date(iso: string): string {
    const [y, m, d] = iso.split('-').map(Number);
    if (!y || !m || !d) return iso;
    return new Intl.DateTimeFormat(this.locale, { dateStyle: 'long', timeZone: 'UTC' }).format(Date.UTC(y, m - 1, d));
  }

  /** "09:20" → "9 h 20" / "9:20 a.m.". */
  clock(hhmm: string): string {
    const [h, m] = hhmm.split(':').map(Number);
    if (h === undefined || m === undefined || Number.isNaN(h) || Number.isNaN(m)) return hhmm;
    return new Intl.DateTimeFormat(this.locale, { hour: 'numeric', minute: '2-digit', timeZone: 'UTC' }).format(Date.UTC(2000, 0, 1, h, m));
  }

  number(n: number): string {
    return new Intl.NumberFormat(this.locale).format(n);
  }

  #applyToDocument(): void {
    if (typeof document !== 'undefined') document.documentElement.lang = this.locale;
  }
}

export const i18n = new I18n();
export const t = i18n.t;
