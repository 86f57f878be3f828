import type { TOptions } from 'i18next';
import { translate } from '../server/src/i18n/i18n.ts';
import { webI18n } from '../server/src/test/web-i18n.ts';

/**
 * The words a journey looks for, in the language it runs in. Every journey runs once in English and once in German
 * (`journeyLanguages`); it finds buttons, headings and messages by catalog key, read from the same catalogs the pages use
 * (`web/src/i18n/<lang>/<namespace>.json`, through i18next like the web client, so plurals and parameters come out the same),
 * and the server's messages from the server's catalogs. A key missing from a catalog fails the journey.
 */
export type JourneyLanguage = 'en' | 'de';
export const journeyLanguages: JourneyLanguage[] = ['en', 'de'];
/** The browser locale a journey's contexts use: the page follows it while the account has no language of its own. */
export const browserLocale: Record<JourneyLanguage, string> = { en: 'en-US', de: 'de-DE' };

export interface JourneyText {
  lang: JourneyLanguage;
  locale: string;
  /** A web client text: `t('risks:status.assessed')`, `t('save')` (namespace `common`), with i18next parameters. */
  t: (key: string, params?: TOptions) => string;
  /** A server text (an error, a task title): `server('errors:auth.badCredentials', { … })`. */
  server: (key: string, params?: Record<string, string | number>) => string;
  /** A date as the page shows it in this language (`Intl.DateTimeFormat` with the given options). */
  date: (value: Date | string, options?: Intl.DateTimeFormatOptions) => string;
}

export async function journeyText(lang: JourneyLanguage): Promise<JourneyText> {
  const i18n = await webI18n(lang);
  const locale = browserLocale[lang];
  return {
    lang,
    locale,
    t(key, params) {
      const [ns, rest] = key.includes(':') ? (key.split(':', 2) as [string, string]) : ['common', key];
      if (!i18n.exists(rest, { ns, ...params })) throw new Error(`journey text: no key ${key} in the ${lang} catalogs`);
      return i18n.t(rest, { ns, ...params }) as string;
    },
    server(key, params = {}) {
      const text = translate(lang, key, params);
      if (text === key) throw new Error(`journey text: no server key ${key} in the ${lang} catalogs`);
      return text;
    },
    date(value, options = { dateStyle: 'medium' }) {
      return new Intl.DateTimeFormat(locale, options).format(typeof value === 'string' ? new Date(value) : value);
    },
  };
}

/** A text taken literally in a regular expression. */
export const literally = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A catalog text as a regular expression, for a figure the journey cannot know exactly: the text taken literally, each
 * `{{name}}` in it matched by `params[name]` (a pattern such as `'\\d+'`). `text` renders the key with the parameters it
 * is given: `pattern((p) => t('cockpit:figures', p), { done: '\\d+', total: '\\d+' })`.
 */
export function pattern(text: (params: Record<string, string>) => string, params: Record<string, string>): RegExp {
  const marked = literally(text(Object.fromEntries(Object.keys(params).map((k) => [k, `⟦${k}⟧`]))));
  return new RegExp(`^${marked.replace(/⟦(\w+)⟧/g, (_, k: string) => params[k] ?? '')}$`);
}
