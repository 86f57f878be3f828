import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The web client's catalogs (web/src/i18n/<lang>/<namespace>.json) against the code: every key that code passes to `t`
 * exists in the English catalog, every catalog file is valid JSON, and every other language has exactly English's keys.
 */
const webSrc = path.resolve(import.meta.dirname, '../../../web/src');
const catalogDir = path.join(webSrc, 'i18n');
const defaultNamespace = 'common';
const pluralSuffix = /_(zero|one|two|few|many|other)$/;

type Catalogs = Map<string, Map<string, Set<string>>>; // language → namespace → flattened keys
type Texts = Map<string, Map<string, Map<string, string>>>; // language → namespace → flattened key → text

function flatten(value: unknown, prefix: string, out: Set<string>, texts?: Map<string, string>): void {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out, texts);
  } else {
    out.add(prefix);
    texts?.set(prefix, typeof value === 'string' ? value : JSON.stringify(value));
  }
}

/** The interpolation parameters of a text: `{{name}}`, `{{date, date}}` → name, date (sorted, once each). */
export function paramsOf(text: string): string[] {
  return [...new Set([...text.matchAll(/\{\{\s*([\w.-]+)[^}]*\}\}/g)].map((m) => m[1] as string))].sort();
}

/**
 * Keys whose parameters differ between English and another language. A singular plural form (`_one`, `_zero`) may
 * leave out `{{count}}` ("Jeden Monat" for "Every {{count}} month"); every other parameter must be kept.
 */
export function paramDifferences(en: Map<string, string>, other: Map<string, string>, label: string): string[] {
  const out: string[] = [];
  for (const [key, text] of other) {
    const english = en.get(key);
    if (english === undefined) continue;
    const want = paramsOf(english);
    const have = paramsOf(text);
    const optional = /_(zero|one)$/.test(key) ? ['count'] : [];
    const missing = want.filter((p) => !have.includes(p) && !optional.includes(p));
    const extra = have.filter((p) => !want.includes(p));
    if (missing.length > 0 || extra.length > 0) {
      out.push(
        `${label} ${key}: ${[...missing.map((p) => `lacks {{${p}}}`), ...extra.map((p) => `has {{${p}}}, English has not`)].join(', ')}`,
      );
    }
  }
  return out;
}

function loadCatalogs(): { catalogs: Catalogs; texts: Texts; invalid: string[] } {
  const catalogs: Catalogs = new Map();
  const texts: Texts = new Map();
  const invalid: string[] = [];
  for (const lang of fs.readdirSync(catalogDir, { withFileTypes: true })) {
    if (!lang.isDirectory()) continue;
    const namespaces = new Map<string, Set<string>>();
    const namespaceTexts = new Map<string, Map<string, string>>();
    catalogs.set(lang.name, namespaces);
    texts.set(lang.name, namespaceTexts);
    for (const file of fs.readdirSync(path.join(catalogDir, lang.name))) {
      if (!file.endsWith('.json')) continue;
      const keys = new Set<string>();
      const values = new Map<string, string>();
      try {
        const parsed: unknown = JSON.parse(fs.readFileSync(path.join(catalogDir, lang.name, file), 'utf8'));
        if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
        flatten(parsed, '', keys, values);
      } catch (e) {
        invalid.push(`${lang.name}/${file}: ${(e as Error).message}`);
      }
      namespaces.set(file.slice(0, -'.json'.length), keys);
      namespaceTexts.set(file.slice(0, -'.json'.length), values);
    }
  }
  return { catalogs, texts, invalid };
}

export interface UsedKey {
  namespace: string;
  key: string;
  /** a template literal's static start (`status.${s}` → `status.`): some key must begin with it */
  prefixOnly: boolean;
  where: string;
}

/**
 * Keys a source file passes to translation functions. A function is bound to a namespace by
 * `const { t } = useTranslation('ns')`, `const { t: tx } = useTranslation('ns')` or a parameter `t: TFunction<'ns'>`; `t`
 * without a binding and `i18n.t`
 * use the default namespace; a key `ns:key` names its namespace itself. Keys built at run time beyond a static
 * template start cannot be checked.
 */
export function usedKeys(source: string, file: string): UsedKey[] {
  const bindings = new Map<string, string>([['t', defaultNamespace]]);
  const binding = /\{\s*t(?:\s*:\s*(\w+))?\s*(?:,[^}]*)?\}\s*=\s*useTranslation\(\s*(?:\[\s*)?['"]([\w-]+)['"]/g;
  for (const m of source.matchAll(binding)) bindings.set(m[1] ?? 't', m[2] as string);
  // a translation function handed in as a typed parameter: `(t: TFunction<'ns'>)`
  for (const m of source.matchAll(/\b(\w+)\s*:\s*TFunction<\s*'([\w-]+)'/g)) bindings.set(m[1] as string, m[2] as string);
  const keys: UsedKey[] = [];
  for (const [fn, namespace] of bindings) {
    const call = new RegExp(`(?<![\\w$])${fn}\\(\\s*(?:'([^'\\n]+)'|"([^"\\n]+)"|\`([^\`\\n]*)\`)`, 'g');
    for (const m of source.matchAll(call)) {
      const literal = m[1] ?? m[2];
      const template = m[3];
      const line = source.slice(0, m.index).split('\n').length;
      const where = `${file}:${line}`;
      const raw = literal ?? (template as string).split('${')[0] ?? '';
      const prefixOnly = literal === undefined && (template as string).includes('${');
      if (prefixOnly && !raw.replace(/^[\w-]+:/, '')) continue; // nothing static to check
      const colon = raw.indexOf(':');
      const explicit = colon > 0 && /^[\w-]+$/.test(raw.slice(0, colon));
      keys.push({
        namespace: explicit ? raw.slice(0, colon) : namespace,
        key: explicit ? raw.slice(colon + 1) : raw,
        prefixOnly,
        where,
      });
    }
  }
  // labels for codes (web/src/app/labels.ts): labelsOf('ns:prefix', ['a', 'b']) reads ns:prefix.a and ns:prefix.b
  for (const m of source.matchAll(/labelsOf\(\s*'(?:([\w-]+):)?([\w.-]+)'\s*,\s*\[([^\]]*)\]/g)) {
    const line = source.slice(0, m.index).split('\n').length;
    for (const value of (m[3] as string).matchAll(/'([^']+)'/g)) {
      keys.push({ namespace: m[1] ?? defaultNamespace, key: `${m[2]}.${value[1]}`, prefixOnly: false, where: `${file}:${line}` });
    }
  }
  for (const m of source.matchAll(/i18nKey=["']([^"']+)["']/g)) {
    const raw = m[1] as string;
    const colon = raw.indexOf(':');
    keys.push({
      namespace: colon > 0 ? raw.slice(0, colon) : (bindings.get('t') ?? defaultNamespace),
      key: colon > 0 ? raw.slice(colon + 1) : raw,
      prefixOnly: false,
      where: `${file}:${source.slice(0, m.index).split('\n').length}`,
    });
  }
  return keys;
}

/** Whether a key resolves: in its namespace or (as i18next's fallbackNS) in `common`, itself or as plural forms. */
export function missingKeys(used: UsedKey[], english: Map<string, Set<string>>): string[] {
  const has = (namespace: string, key: string, prefixOnly: boolean) => {
    const keys = english.get(namespace);
    if (!keys) return false;
    if (prefixOnly) return [...keys].some((k) => k.startsWith(key));
    return keys.has(key) || [...keys].some((k) => pluralSuffix.test(k) && k.replace(pluralSuffix, '') === key);
  };
  return used
    .filter((u) => !has(u.namespace, u.key, u.prefixOnly) && !has(defaultNamespace, u.key, u.prefixOnly))
    .map((u) => `${u.where}: ${u.namespace}:${u.key}${u.prefixOnly ? '…' : ''}`);
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

describe('web i18n catalogs', () => {
  const { catalogs, texts, invalid } = loadCatalogs();
  const english = catalogs.get('en') ?? new Map<string, Set<string>>();

  it('are valid JSON objects', () => {
    expect(invalid).toEqual([]);
    expect(english.has(defaultNamespace)).toBe(true);
  });

  it('hold every key the code uses in English', () => {
    const used = sourceFiles(webSrc).flatMap((file) => usedKeys(fs.readFileSync(file, 'utf8'), path.relative(webSrc, file)));
    expect(used.length).toBeGreaterThan(0);
    expect(missingKeys(used, english)).toEqual([]);
  });

  it('have the same keys in every language as in English', () => {
    const differences: string[] = [];
    for (const [lang, namespaces] of catalogs) {
      if (lang === 'en') continue;
      for (const namespace of new Set([...english.keys(), ...namespaces.keys()])) {
        const en = english.get(namespace) ?? new Set<string>();
        const other = namespaces.get(namespace) ?? new Set<string>();
        for (const k of en) if (!other.has(k)) differences.push(`${lang}/${namespace}.json lacks ${k}`);
        for (const k of other) if (!en.has(k)) differences.push(`${lang}/${namespace}.json has ${k}, English has not`);
      }
    }
    expect(differences).toEqual([]);
  });

  it('include German, with a text for every English key', () => {
    // the web client ships complete English and German catalogs; the test above then holds German to English's keys
    expect([...catalogs.keys()].sort()).toEqual(expect.arrayContaining(['de', 'en']));
    const empty = [...(texts.get('de') ?? new Map<string, Map<string, string>>())].flatMap(([namespace, values]) =>
      [...values].filter(([, text]) => text.trim() === '').map(([key]) => `de/${namespace}.json ${key}`),
    );
    expect(empty).toEqual([]);
  });

  it('keep every interpolation parameter of English in every language', () => {
    const englishTexts = texts.get('en') ?? new Map<string, Map<string, string>>();
    const differences: string[] = [];
    for (const [lang, namespaces] of texts) {
      if (lang === 'en') continue;
      for (const [namespace, values] of namespaces) {
        differences.push(...paramDifferences(englishTexts.get(namespace) ?? new Map(), values, `${lang}/${namespace}.json`));
      }
    }
    expect(differences).toEqual([]);
  });

  it('finds parameters a translation lost or invented (the check itself)', () => {
    const en = new Map([
      ['a', 'Hello {{name}}'],
      ['b_one', 'Every {{count}} month'],
      ['c_other', '{{count}} items of {{total}}'],
      ['d', 'Due {{date, date}}'],
    ]);
    const de = new Map([
      ['a', 'Hallo {{nmae}}'],
      ['b_one', 'Jeden Monat'],
      ['c_other', '{{total}} Einträge'],
      ['d', 'Fällig {{date}}'],
    ]);
    expect(paramDifferences(en, de, 'de/x.json')).toEqual([
      'de/x.json a: lacks {{name}}, has {{nmae}}, English has not',
      'de/x.json c_other: lacks {{count}}',
    ]);
  });

  it('finds keys missing from a catalog (the check itself)', () => {
    const source = [
      "const { t } = useTranslation('assets');",
      "const { t: tc } = useTranslation('common'); const f = (tp: TFunction<'risks'>) => tp('gone');",
      "t('list.title'); t('list.missing'); tc('actions.save'); t('common:nothing.here');",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: source text under test
      't(`status.${s}`); t(`gone.${s}`); t("count", { count: 2 });',
      "labelsOf('status', ['open', 'shut']); labelsOf('assets:kind', ['x']);",
    ].join('\n');
    const catalog = new Map([
      ['assets', new Set(['list.title', 'status.open', 'count_one', 'count_other'])],
      ['common', new Set(['actions.save', 'status.open'])],
    ]);
    expect(missingKeys(usedKeys(source, 'x.tsx'), catalog)).toEqual([
      'x.tsx:3: assets:list.missing',
      'x.tsx:3: common:nothing.here',
      'x.tsx:4: assets:gone.…',
      'x.tsx:2: risks:gone',
      'x.tsx:5: common:status.shut',
      'x.tsx:5: assets:kind.x',
    ]);
  });
});
