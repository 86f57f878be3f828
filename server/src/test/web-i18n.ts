import type { i18n as I18n } from 'i18next';
import { webTexts } from '../i18n/web-catalogs.ts';

export { webCatalogDir } from '../i18n/web-catalogs.ts';

/** The web client's catalogs of one language for a test or a browser journey (`webTexts`, read once per language). */
export async function webI18n(lang: string): Promise<I18n> {
  return webTexts(lang);
}
