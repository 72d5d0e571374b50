import { en, type Dictionary, type MessageKey } from './en';
import { es } from './es';

export type Language = 'es' | 'en';
const DICTIONARIES: Record<Language, Dictionary> = { es, en };
export const LANGUAGES: readonly Language[] = ['es', 'en'];

/**
 * `?lang=es|en` wins; otherwise the first of the browser's languages that we speak (es-MX is
 * Spanish, en-GB English); otherwise Spanish, the product's own language.
 */
export function pickLanguage(search: string, browserLanguages: readonly string[]): Language {
  const asked = new URLSearchParams(search).get('lang')?.toLowerCase();
  if (asked === 'es' || asked === 'en') return asked;
  for (const l of browserLanguages) {
    const base = l.toLowerCase().split('-')[0];
    if (base === 'es' || base === 'en') return base;
  }
  return 'es';
}

/** `{name}` filled in from `vars`; a name without a value stays as it is. */
export function fillIn(s: string, vars?: Record<string, string | number>): string {
  return vars ? s.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m)) : s;
}

export interface I18n {
  lang: Language;
  /** The locale dates and lists are written in: the browser's own when it is of this language. */
  locale: string;
  t(key: MessageKey, vars?: Record<string, string | number>): string;
  /** A key built at run time (a status, an event type) that may have no string: falls back to the raw value. */
  tOr(key: string, fallback: string, vars?: Record<string, string | number>): string;
  /** A date and time in the user's locale; `precise` adds the seconds (attempts, the timeline). */
  /** `${key}.one` / `${key}.other`... chosen by the language's plural rules for `n` (filled in as {n}). */
  plural(key: string, n: number, vars?: Record<string, string | number>): string;
  /** A number in the user's locale ("2,1" in Spanish). */
  number(n: number, maximumFractionDigits?: number): string;
  date(iso: string | null | undefined, precise?: 'precise'): string;
  list(items: string[]): string;
}

export function createI18n(lang: Language, browserLanguages: readonly string[] = []): I18n {
  const dict = DICTIONARIES[lang];
  const locale = browserLanguages.find((l) => l.toLowerCase().split('-')[0] === lang) ?? lang;
  const fill = fillIn;
  const dates = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const preciseDates = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' });
  const lists = new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' });
  const plurals = new Intl.PluralRules(locale);
  const tOr = (key: string, fallback: string, vars?: Record<string, string | number>) =>
    fill((dict as Record<string, string>)[key] ?? fallback, vars);
  return {
    lang,
    locale,
    t: (key, vars) => fill(dict[key] ?? en[key] ?? key, vars),
    tOr,
    plural: (key, n, vars) => {
      const other = tOr(`${key}.other`, key, { n, ...vars });
      return tOr(`${key}.${plurals.select(n)}`, other, { n, ...vars });
    },
    number: (n, maximumFractionDigits = 1) => new Intl.NumberFormat(locale, { maximumFractionDigits }).format(n),
    date: (iso, precise) => (iso ? (precise ? preciseDates : dates).format(new Date(iso)) : ''),
    list: (items) => lists.format(items),
  };
}
