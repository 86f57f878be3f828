import fs from 'node:fs';
import path from 'node:path';
import i18next, { type i18n as I18n } from 'i18next';

/** The web client's catalogs (`web/src/i18n/<lang>/<namespace>.json`). */
export const webCatalogDir = path.resolve(import.meta.dirname, '../../../web/src/i18n');

/**
 * An i18next instance over one language of the web client's catalogs, initialised as the web client initialises its own
 * (web/src/i18n/index.ts: `common` by default and as fallback namespace, no fallback language), so that a test or a
 * browser journey reads the words, plurals and parameters exactly as the pages show them.
 */
export async function webI18n(lang: string): Promise<I18n> {
  const dir = path.join(webCatalogDir, lang);
  const resources: Record<string, Record<string, unknown>> = {};
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    resources[file.slice(0, -'.json'.length)] = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  }
  const i18n = i18next.createInstance();
  await i18n.init({
    lng: lang,
    fallbackLng: false,
    resources: { [lang]: resources },
    ns: Object.keys(resources),
    defaultNS: 'common',
    fallbackNS: 'common',
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return i18n;
}
