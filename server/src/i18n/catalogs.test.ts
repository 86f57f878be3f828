import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fallbackLanguage, translate } from './i18n.ts';

/**
 * Every language of the server speaks every text: the catalogs of each language (`<lang>/<namespace>.json`) have the
 * same namespaces, the same keys (plural forms included) and, per key, the same parameters, formats and nested texts
 * (`{{dueOn, date}}`, `{{status, labels(of: …)}}`, `$t(tasks:regime.{{regime}})`).
 */
const root = import.meta.dirname;
const languages = readdirSync(root, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

type Catalog = { [key: string]: string | Catalog };
const read = (lang: string) =>
  Object.fromEntries(
    readdirSync(join(root, lang))
      .filter((f) => f.endsWith('.json'))
      .map((f) => [f.slice(0, -5), JSON.parse(readFileSync(join(root, lang, f), 'utf8')) as Catalog]),
  );

/** `namespace:a.b.c` → text, for every leaf of a language's catalogs */
function flatten(lang: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (prefix: string, node: Catalog) => {
    for (const [k, v] of Object.entries(node)) {
      const key = `${prefix}${k}`;
      if (typeof v === 'string') out.set(key, v);
      else walk(`${key}.`, v);
    }
  };
  for (const [ns, catalog] of Object.entries(read(lang))) walk(`${ns}:`, catalog);
  return out;
}

/** the parameters of a text, with their formats, and the texts it nests, sorted (white space inside ignored) */
function parametersOf(text: string): string[] {
  const found = [
    ...[...text.matchAll(/\{\{([^}]+)\}\}/g)].map((m) => `{{${m[1]!.replace(/\s+/g, '')}}}`),
    ...[...text.matchAll(/\$t\(([^,)]+)/g)].map((m) => `$t(${m[1]!.trim()})`),
  ];
  return found.sort();
}

describe('server catalogs', () => {
  it('has a second language next to English', () => {
    expect(languages).toContain(fallbackLanguage);
    expect(languages).toContain('de');
  });

  const english = flatten(fallbackLanguage);
  describe.each(languages.filter((l) => l !== fallbackLanguage))('%s', (lang) => {
    const other = flatten(lang);

    it('has the same namespaces as English', () => {
      expect(Object.keys(read(lang)).sort()).toEqual(Object.keys(read(fallbackLanguage)).sort());
    });

    it('has every key of the English catalogs, and no other', () => {
      expect([...english.keys()].filter((k) => !other.has(k))).toEqual([]);
      expect([...other.keys()].filter((k) => !english.has(k))).toEqual([]);
    });

    it('keeps the parameters, formats and nested texts of every key', () => {
      const differing = [...english]
        .filter(([key, text]) => other.has(key) && parametersOf(text).join(' ') !== parametersOf(other.get(key)!).join(' '))
        .map(([key, text]) => `${key}: ${parametersOf(text).join(' ')} ≠ ${parametersOf(other.get(key)!).join(' ')}`);
      expect(differing).toEqual([]);
    });

    it('has no empty text', () => {
      const empty = [...other].filter(([, text]) => !text.trim()).map(([key]) => key);
      expect(empty).toEqual([]);
    });
  });

  it('the parameter check sees a lost parameter, a changed format and a lost nested text', () => {
    expect(parametersOf('Review {{ref}} by {{dueOn, date}}')).toEqual(['{{dueOn,date}}', '{{ref}}']);
    expect(parametersOf('{{ref}} bis {{dueOn}}')).not.toEqual(parametersOf('Review {{ref}} by {{dueOn, date}}'));
    expect(parametersOf('$t(tasks:regime.{{regime}}) due')).toEqual(['$t(tasks:regime.{{regime}})', '{{regime}}']);
    expect(parametersOf('fällig')).not.toEqual(parametersOf('$t(tasks:regime.{{regime}}) due'));
  });

  it('renders German texts with their parameters, dates and nested texts', () => {
    expect(
      translate('de-AT', 'tasks:title.notify', {
        incidentRef: 'INC-0002',
        regime: 'nis2_early_warning',
        dueAt: '2026-03-28T14:05:00.000Z',
      }),
    ).toBe('INC-0002: Frühwarnung nach Art. 23 NIS2 (24 Stunden) fällig am 28.03.2026, 14:05 UTC');
    expect(translate('de', 'errors:thingNotFound', { thing: 'risk' })).toBe('Risiko nicht gefunden');
    expect(
      translate('de', 'errors:change.wrongStatus', { reference: 'CHG-0001', status: 'requested', expected: 'approved,implementing' }),
    ).toBe('CHG-0001 ist beantragt; dieser Schritt erfordert genehmigt oder in Umsetzung');
    expect(translate('de', 'errors:document.tooFewApprovers', { count: 2, eligible: 1 })).toBe(
      '2 Freigaben sind erforderlich, aber nur 1 andere freigebende Person als Sie benannt ist: benennen Sie zuerst weitere Freigebende',
    );
    expect(translate('de', 'validation:tooBig.string', { label: 'Titel', count: 200 })).toBe('Titel darf höchstens 200 Zeichen haben');
  });
});
