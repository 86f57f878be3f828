import { textsVersion } from './i18n.ts';

/*
 * Words that many rows of a list share (a process's name, a risk level's label, a generated text with the same key and
 * parameters, in one language) worded once and kept until the catalogs change (`textsVersion`, bumped by addTexts), so
 * that a page does not ask i18next for the same sentence row after row. At most `limit` are kept; past it all are
 * worded again. The key must name everything the words depend on (the language, the text's key, its parameters).
 */
const kept = new Map<string, string>();
const limit = 5000;
let keptVersion = -1;

export function wordedOnce(cacheKey: string, word: () => string): string {
  if (keptVersion !== textsVersion() || kept.size >= limit) {
    kept.clear();
    keptVersion = textsVersion();
  }
  let text = kept.get(cacheKey);
  if (text === undefined) {
    text = word();
    kept.set(cacheKey, text);
  }
  return text;
}
