import { readdirSync, readFileSync } from 'node:fs';
import { createInstance, type TOptions } from 'i18next';
import Negotiator from 'negotiator';

/**
 * The server's texts as keys (`<namespace>:<key>`, e.g. `tasks:title.triage`) with parameters, rendered for the reader.
 * Every `./<lang>/<namespace>.json` file is a namespace of that language, so an area only adds its JSON file; English
 * is the fallback. Stored texts keep their key and parameters (e.g. a task's `title_key` + `title_params`), so that each
 * reader gets them in their own language.
 */
export type TextParams = Record<string, string | number | null>;
/** A text as stored: its key and the parameters it is rendered with. */
export interface Text {
  key: string;
  params?: TextParams | undefined;
}
/**
 * A parameter that may be a text of its own (a key with its parameters, e.g. the reason an acceptance ended inside the
 * note of the task it settled, or the title of the task an escalation is about): worded in the reader's language before
 * it goes into the sentence, and stored as it is (JSON) beside the key.
 */
export type TextParam = string | number | null | ComposedText;
/** A text some of whose parameters are texts of their own; every `Text` is one. */
export interface ComposedText {
  key: string;
  params?: Record<string, TextParam> | undefined;
}

/** Whether a parameter is a text of its own (an object with a key) rather than a value. */
const isText = (value: unknown): value is ComposedText =>
  typeof value === 'object' && value !== null && typeof (value as { key?: unknown }).key === 'string';

export const fallbackLanguage = 'en';

type Catalog = Record<string, unknown>;
const root = new URL('.', import.meta.url);
const resources: Record<string, Record<string, Catalog>> = {};
for (const lang of readdirSync(root, { withFileTypes: true })) {
  if (!lang.isDirectory()) continue;
  for (const file of readdirSync(new URL(`${lang.name}/`, root))) {
    const match = /^(.+)\.json$/.exec(file);
    if (!match) continue;
    resources[lang.name] ??= {};
    resources[lang.name]![match[1]!] = JSON.parse(readFileSync(new URL(`${lang.name}/${file}`, root), 'utf8')) as Catalog;
  }
}

export const supportedLanguages = Object.keys(resources).sort();
export const namespaces = [...new Set(Object.values(resources).flatMap((r) => Object.keys(r)))].sort();

const i18n = createInstance();
void i18n.init({
  resources,
  lng: fallbackLanguage,
  fallbackLng: fallbackLanguage,
  ns: namespaces,
  defaultNS: false,
  nsSeparator: ':',
  initAsync: false,
  // plain text, not HTML: values are shown as they are
  interpolation: { escapeValue: false },
  returnNull: false,
});

// dates in texts are words in the reader's language, not ISO strings: `{{dueOn, date}}` takes a date (YYYY-MM-DD),
// `{{dueAt, instant}}` an ISO instant shown in UTC
const asDate = (value: unknown) => {
  const v = String(value ?? '');
  const d = new Date(v.length === 10 ? `${v}T00:00:00Z` : v);
  return Number.isNaN(d.getTime()) ? null : d;
};
i18n.services.formatter?.add('date', (value, lng) => {
  const d = asDate(value);
  return d ? new Intl.DateTimeFormat(lng, { dateStyle: 'medium', timeZone: 'UTC' }).format(d) : String(value ?? '');
});
i18n.services.formatter?.add('instant', (value, lng) => {
  const d = asDate(value);
  return d
    ? new Intl.DateTimeFormat(lng, { dateStyle: 'medium', timeStyle: 'short', hourCycle: 'h23', timeZone: 'UTC' }).format(d)
    : String(value ?? '');
});
// codes in texts are their labels in the reader's language: `{{status, labels(of: errors:status.change)}}` words one
// code; a comma-separated list (`draft,in_review`) becomes "draft or in review" (`labels(of: …; join: and)` for "and");
// `code=3` words a code with a count (`controls=3` → "3 controls")
i18n.services.formatter?.add('labels', (value, lng, options: { of?: string; join?: string }) => {
  const words = String(value ?? '')
    .split(',')
    .filter(Boolean)
    .map((item) => {
      const [code = '', count] = item.split('=');
      const key = `${options.of ?? ''}.${code}`;
      return i18n.t(key, { lng, defaultValue: code, ...(count !== undefined && { count: Number(count) }) }) as string;
    });
  return new Intl.ListFormat(lng, { type: options.join === 'and' ? 'conjunction' : 'disjunction' }).format(words);
});

/** A supported language for a BCP 47 tag (`de-AT` → `de` when there is a German catalog), else English. */
export function pickLanguage(tag: string | null | undefined): string {
  const lower = (tag ?? '').toLowerCase();
  if (supportedLanguages.includes(lower)) return lower;
  const base = lower.split('-')[0] ?? '';
  return supportedLanguages.includes(base) ? base : fallbackLanguage;
}

/**
 * The reader's language from an `Accept-Language` header (`de-AT,de;q=0.9,en;q=0.8`): the supported language they
 * prefer most, else English.
 */
export function languageOf(acceptLanguage: string | string[] | undefined): string {
  if (!acceptLanguage) return fallbackLanguage;
  const preferred = new Negotiator({ headers: { 'accept-language': acceptLanguage } }).language(supportedLanguages);
  return preferred ?? fallbackLanguage;
}

let catalogsVersion = 0;

/** A number that changes whenever addTexts changes the catalogs: texts worded once and kept are worded again after it changed. */
export const textsVersion = (): number => catalogsVersion;

/**
 * Adds (or extends) a namespace of a language at run time, e.g. a catalog that ships outside this folder; the
 * language becomes supported. Tests use it to read a text in a second language.
 */
export function addTexts(lang: string, namespace: string, texts: Catalog): void {
  i18n.addResourceBundle(lang, namespace, texts, true, true);
  catalogsVersion++;
  if (!supportedLanguages.includes(lang)) {
    supportedLanguages.push(lang);
    supportedLanguages.sort();
  }
}

/** Whether a key (`<namespace>:<key>`) has an English text (with plural forms or without). */
export function hasText(key: string): boolean {
  // a text with plural forms (`key_one`, `key_other`) exists as `key`
  return i18n.exists(key, { lng: fallbackLanguage }) || i18n.exists(key, { lng: fallbackLanguage, count: 2 });
}

/** Renders a key with its parameters in `lang` (falling back to English). */
export function translate(lang: string, key: string, params: Record<string, TextParam> = {}): string {
  return i18n.t(key, { ...(inLanguage(lang, params) as TOptions), lng: pickLanguage(lang) }) as string;
}

/**
 * Parameters with their nested texts worded in `lang` (a nested text without a catalog text reads as its key): what a
 * client that words a text itself gets beside its key (an error's `params`).
 */
export function inLanguage(lang: string, params: Record<string, TextParam>): TextParams {
  const out: Record<string, string | number | null> = {};
  for (const [name, value] of Object.entries(params)) out[name] = isText(value) ? translate(lang, value.key, value.params) : value;
  return out;
}

/** Renders a stored text (key + parameters) in `lang`. */
export const render = (lang: string, text: ComposedText): string => translate(lang, text.key, text.params);

/** The English rendering, stored beside the key for search and for readers of older rows. */
export const english = (text: ComposedText): string => render(fallbackLanguage, text);

/** A text's parameters as stored beside its key (JSON text), or null when it has none. */
export const storedParams = (text: ComposedText): string | null => (text.params ? JSON.stringify(text.params) : null);

/**
 * A stored text in the reader's language: its key with its parameters (JSON text) when it has one, else the text as
 * stored (typed by someone, an older row that could not be read as a key, or a key no catalog has). The columns follow the task title's
 * pattern: `<column>` holds the English rendering, `<column>_key` and `<column>_params` the key and its parameters.
 */
export function renderStored(lang: string, text: string, key: string | null, params: string | null): string {
  if (!key || !hasText(key)) return text;
  try {
    return translate(lang, key, params ? (JSON.parse(params) as Record<string, TextParam>) : {});
  } catch {
    return text;
  }
}

/**
 * A stored text as a parameter of another text (e.g. the title of the task an escalation is about): its key with its
 * parameters when it has a catalog text, so that it is worded in the reader's language with the text around it; else
 * its words as stored.
 */
export function storedText(text: string, key: string | null, params: string | null): TextParam {
  if (!key || !hasText(key)) return text;
  try {
    return { key, params: params ? (JSON.parse(params) as Record<string, TextParam>) : {} };
  } catch {
    return text;
  }
}

/**
 * Reads a text back from its English rendering: the English text of `key` as a pattern in which each `{{param}}` of
 * `params` is a group (as short as the text allows), and the function that returns the parameters of a text that reads
 * as it, or null. For texts Praxis stored as English sentences without their key (an SoA's pre-filled justification, an
 * audit's conflict of independence), so that they can be worded for each reader when shown.
 */
export function readEnglish(key: string, params: readonly string[]): (text: string) => Record<string, string> | null {
  const marks = Object.fromEntries(params.map((p) => [p, `⟦${p}⟧`]));
  const order: string[] = [];
  const source = translate(fallbackLanguage, key, marks)
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/⟦(\w+)⟧/g, (_, p: string) => {
      order.push(p);
      return '([\\s\\S]*?)';
    });
  const re = new RegExp(`^${source}$`);
  return (text) => {
    const m = re.exec(text);
    return m ? Object.fromEntries(order.map((p, i) => [p, m[i + 1] ?? ''])) : null;
  };
}
