import i18n from 'i18next';
import resourcesToBackend from 'i18next-resources-to-backend';
import { initReactI18next } from 'react-i18next';
import * as catalogs from 'virtual:i18n-catalogs';

/**
 * The web client's one i18n mechanism. Every `./<lang>/<namespace>.json` file is a namespace of that language, so a new
 * area only adds its JSON file. Components use `const { t } = useTranslation('<namespace>')`; `common` is the default.
 *
 * Only the language shown is loaded: each language's catalogs are one chunk (`virtual:i18n-catalogs`, a small plugin
 * in vite.config.ts that reads `./<lang>/*.json`), which loads before the first page is drawn and, for another
 * language, when the language is switched.
 */
type Catalog = Record<string, unknown>;
const catalogsOf = new Map<string, Promise<Record<string, Catalog>>>();
/** A language's catalogs by namespace, fetched once. */
const loadLanguage = (lang: string) => {
  let loading = catalogsOf.get(lang);
  if (!loading) {
    loading = catalogs.load(lang).then((m) => m.default);
    // a failed fetch is tried again next time (e.g. after a reload brought the current chunk names)
    void loading.catch(() => catalogsOf.delete(lang));
    catalogsOf.set(lang, loading);
  }
  return loading;
};
const namespacesOf = new Map(Object.entries(catalogs.namespaces));

export const fallbackLanguage = 'en';
export const supportedLanguages = [...namespacesOf.keys()].sort();

/** The first of the browser's preferred languages that has a catalog (`de-AT` → `de`), else English. */
export function browserLanguage(): string {
  const preferred = typeof navigator === 'undefined' ? [] : (navigator.languages ?? [navigator.language]);
  for (const tag of preferred) {
    const lang = pickLanguage(tag);
    if (lang) return lang;
  }
  return fallbackLanguage;
}

/**
 * The language this browser showed last (a signed-in user's setting, kept on their account, decides; app/session.ts).
 * Remembered so that the next visit starts in it and loads that language's catalogs only, not the browser's first.
 */
const lastShownKey = 'praxis.language';

function storage(kind: 'localStorage' | 'sessionStorage' = 'localStorage'): Storage | undefined {
  try {
    return typeof globalThis[kind] === 'undefined' ? undefined : globalThis[kind];
  } catch {
    return undefined; // storage blocked by the browser's privacy settings
  }
}

/** The language to start in: the one this browser showed last, else the browser's. */
export function preferredLanguage(): string {
  return pickLanguage(storage()?.getItem(lastShownKey)) ?? browserLanguage();
}

/** A supported language for a BCP 47 tag, or undefined. */
export function pickLanguage(tag: string | null | undefined): string | undefined {
  if (!tag) return undefined;
  const lower = tag.toLowerCase();
  if (supportedLanguages.includes(lower)) return lower;
  const base = lower.split('-')[0] ?? '';
  return supportedLanguages.includes(base) ? base : undefined;
}

/**
 * Loaded when the language's catalogs are: main.tsx draws the first page then, so no key is ever drawn raw. Every
 * language has every key (server/src/shared/web-i18n-catalog.test.ts), so no fallback language is loaded beside the one
 * shown. (A promise rather than a top-level await, which would keep the bundler from merging small chunks.)
 */
export const i18nReady = i18n
  .use(
    resourcesToBackend(async (lang: string, namespace: string) => {
      const catalog = (await loadLanguage(lang))[namespace];
      if (!catalog) throw new Error(`no catalog ${lang}/${namespace}`);
      return catalog;
    }),
  )
  .use(initReactI18next)
  .init({
    lng: preferredLanguage(),
    fallbackLng: false,
    supportedLngs: supportedLanguages.length > 0 ? supportedLanguages : [fallbackLanguage],
    ns: namespacesOf.get(fallbackLanguage) ?? ['common'],
    defaultNS: 'common',
    fallbackNS: 'common',
    interpolation: { escapeValue: false }, // React escapes
    returnNull: false,
    react: { useSuspense: false },
  });

const applyDocumentLanguage = (lang: string) => {
  if (typeof document !== 'undefined') document.documentElement.lang = lang;
};
void i18nReady.then(() => applyDocumentLanguage(i18n.language));
i18n.on('languageChanged', applyDocumentLanguage);

const reloadedKey = 'praxis.language-reload';

/**
 * Shows a language: its catalogs load first (one chunk), then the pages are drawn again in it, and this browser
 * remembers it for the next visit. When that chunk cannot be fetched (Praxis was updated since this tab loaded it, and
 * the old chunk is gone), the page reloads once and starts in that language, rather than drawing keys instead of words.
 */
export async function showLanguage(lang: string): Promise<void> {
  storage()?.setItem(lastShownKey, lang);
  if (i18n.language === lang) return;
  await i18n.loadLanguages(lang);
  if (i18n.hasResourceBundle(lang, 'common')) {
    await i18n.changeLanguage(lang);
    return;
  }
  const session = storage('sessionStorage');
  if (typeof window === 'undefined' || session?.getItem(reloadedKey) === lang) return; // once: the network may be down
  session?.setItem(reloadedKey, lang);
  window.location.reload();
}

/**
 * A label (a status, a column, a role) used inside a sentence: lowercased in English ("sort by owner"), kept as it is in
 * German, whose nouns keep their capital letter ("nach Verantwortlich sortieren", "Sie unterschreiben als Risikoeigentümer").
 */
export function inSentence(label: string): string {
  const lang = i18n.resolvedLanguage ?? i18n.language ?? fallbackLanguage;
  return lang === 'de' ? label : label.toLocaleLowerCase(lang);
}

/** A language's name in that language ("Deutsch", "English"), for a language picker. */
export function languageName(lang: string): string {
  try {
    const name = new Intl.DisplayNames([lang], { type: 'language' }).of(lang) ?? lang;
    return name.charAt(0).toLocaleUpperCase(lang) + name.slice(1);
  } catch {
    return lang;
  }
}

/**
 * The locale dates and numbers are formatted in: the current i18n language, with the browser's region when the browser
 * prefers that language (`en` with `en-GB` gives "7 Dec 2026", with `en-US` "Dec 7, 2026").
 */
export function currentLocale(): string {
  const lang = i18n.resolvedLanguage ?? i18n.language ?? fallbackLanguage;
  const preferred = typeof navigator === 'undefined' ? [] : (navigator.languages ?? [navigator.language]);
  return preferred.find((tag) => tag.toLowerCase().split('-')[0] === lang) ?? lang;
}

const dateOnly = /^\d{4}-\d{2}-\d{2}$/;
const toDate = (value: string | Date) => (value instanceof Date ? value : new Date(dateOnly.test(value) ? `${value}T00:00:00Z` : value));

/** "7 Dec 2026" / "7. Dez. 2026"; a YYYY-MM-DD date is shown as that calendar day, whatever the time zone. */
export function formatDate(value: string | Date | null | undefined, empty = '—'): string {
  if (!value) return empty;
  const d = toDate(value);
  if (Number.isNaN(d.getTime())) return empty;
  return new Intl.DateTimeFormat(currentLocale(), {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    ...(typeof value === 'string' && dateOnly.test(value) && { timeZone: 'UTC' }),
  }).format(d);
}

/** "7 Dec 2026, 14:05" in the current language. */
export function formatDateTime(value: string | Date | null | undefined, empty = '—'): string {
  if (!value) return empty;
  const d = toDate(value);
  if (Number.isNaN(d.getTime())) return empty;
  return new Intl.DateTimeFormat(currentLocale(), { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

/** "today", "tomorrow", "in 3 days", "2 days ago" for a calendar day (YYYY-MM-DD or an ISO timestamp's day). */
export function formatRelativeDay(value: string | null | undefined, now = new Date()): string | null {
  if (!value) return null;
  const today = Date.UTC(now.getFullYear(), now.getMonth(), now.getDate());
  const day = Date.parse(`${value.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(day)) return null;
  const days = Math.round((day - today) / 86_400_000);
  return new Intl.RelativeTimeFormat(currentLocale(), { numeric: 'auto' }).format(days, 'day');
}

/** "1,234.5" / "1.234,5" in the current language. */
export function formatNumber(value: number | null | undefined, options?: Intl.NumberFormatOptions, empty = '—'): string {
  if (value === null || value === undefined || Number.isNaN(value)) return empty;
  return new Intl.NumberFormat(currentLocale(), options).format(value);
}

/** "a and b", "a, b and c" in the current language. */
export function formatList(items: readonly string[], type: 'conjunction' | 'disjunction' = 'conjunction'): string {
  return new Intl.ListFormat(currentLocale(), { type }).format(items);
}

/** The name the cadences and other areas import. */
export const relativeDay = formatRelativeDay;

export default i18n;
