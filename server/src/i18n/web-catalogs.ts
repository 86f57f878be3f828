import fs from 'node:fs';
import path from 'node:path';
import { createInstance, type i18n as I18n } from 'i18next';
import { pickLanguage } from './i18n.ts';

/**
 * The web client's catalogs (`web/src/i18n/<lang>/<namespace>.json`) on the server: they ship with the server's sources,
 * and the server words with them what a page would word the same way (the readable audit trail), as the tests and
 * browser journeys read the words, plurals and parameters exactly as the pages show them.
 */
export const webCatalogDir = path.resolve(import.meta.dirname, '../../../web/src/i18n');

const instances = new Map<string, I18n>();

/**
 * An i18next instance over one language of the web client's catalogs, read once per language and initialised as the web
 * client initialises its own (web/src/i18n/index.ts: `common` by default and as fallback namespace, no fallback language).
 */
export function webTexts(language: string): I18n {
  const lang = pickLanguage(language);
  const known = instances.get(lang);
  if (known) return known;
  const dir = path.join(webCatalogDir, lang);
  const resources: Record<string, Record<string, unknown>> = {};
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    resources[file.slice(0, -'.json'.length)] = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  }
  const i18n = createInstance();
  void i18n.init({
    lng: lang,
    fallbackLng: false,
    resources: { [lang]: resources },
    ns: Object.keys(resources),
    defaultNS: 'common',
    fallbackNS: 'common',
    initAsync: false,
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  instances.set(lang, i18n);
  return i18n;
}
