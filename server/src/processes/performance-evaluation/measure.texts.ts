import { fallbackLanguage, type TextParam } from '../../i18n/i18n.ts';
import { recommendedMeasuresIn } from './measure.live.ts';

/**
 * A recommended measure becomes the scope's own record, worded once in the adding user's language. Measures a scope
 * added before the catalogue spoke other languages hold its English texts: a text that is still exactly the built-in
 * English one is shown in the reader's language (`measures:recommended.<live key>.<field>`), like other built-in
 * content; a text someone typed, or worded in another language when added, is shown as stored. Nothing is rewritten.
 */

const wordedFields = ['name', 'informationNeed', 'object', 'attribute', 'baseMeasures', 'derivedMeasure', 'formula'] as const;
type Worded = (typeof wordedFields)[number];
type Texts = Map<string, Record<Worded, string>>;

const byLanguage = new Map<string, Texts>();
/** The recommended measures' texts in `lang`, by live key (read once per language). */
function textsIn(lang: string): Texts {
  let texts = byLanguage.get(lang);
  if (!texts) {
    texts = new Map(recommendedMeasuresIn(lang).map((d) => [d.liveKey!, d]));
    byLanguage.set(lang, texts);
  }
  return texts;
}

/** A stored text of a measure for a reader: the built-in English text of its live key in the reader's language. */
export function measureTextIn(lang: string, liveKey: string | null, field: Worded, stored: string): string {
  if (!liveKey || lang === fallbackLanguage || !stored) return stored;
  if (textsIn(fallbackLanguage).get(liveKey)?.[field] !== stored) return stored;
  return textsIn(lang).get(liveKey)?.[field] || stored;
}

/**
 * A text a reader sends back for a measure: what they were shown for a stored built-in English text is that text again,
 * so that saving a form unchanged changes nothing (and starts no new definition version).
 */
export function measureTextFrom(lang: string, liveKey: string | null, field: Worded, sent: string, stored: string): string {
  return sent !== stored && sent === measureTextIn(lang, liveKey, field, stored) ? stored : sent;
}

/**
 * A measure's name inside a text Praxis stores (a breach task's title): the built-in English name as its catalog key, so
 * that each reader sees it in their language; any other name as stored.
 */
export function measureNameParam(liveKey: string | null, stored: string): TextParam {
  return liveKey && stored && textsIn(fallbackLanguage).get(liveKey)?.name === stored
    ? { key: `measures:recommended.${liveKey}.name` }
    : stored;
}

const shownNames = new Map<string, { liveKey: string; stored: string; shown: string }[]>();
/**
 * The built-in measures whose name a reader of `lang` sees in other words than the stored English one: live key, the
 * stored (English) name and the name shown. Empty for English readers. The list searches and sorts by these (`measure.repository.ts`).
 */
export function builtInNamesIn(lang: string): readonly { liveKey: string; stored: string; shown: string }[] {
  if (lang === fallbackLanguage) return [];
  let names = shownNames.get(lang);
  if (!names) {
    const english = textsIn(fallbackLanguage);
    names = [...textsIn(lang)]
      .map(([liveKey, texts]) => ({ liveKey, stored: english.get(liveKey)?.name ?? '', shown: texts.name }))
      .filter((n) => n.stored && n.shown && n.shown !== n.stored);
    shownNames.set(lang, names);
  }
  return names;
}

type WordedMeasure = { liveKey: string | null; name: string } & Partial<Record<Exclude<Worded, 'name'>, string>> & {
    versions?: { formula: string }[];
  };

/** A measure (list row or detail) in the reader's words: its built-in English texts in their language. */
export function measureIn<M extends WordedMeasure>(lang: string, m: M): M {
  if (!m.liveKey || lang === fallbackLanguage) return m;
  const out: M = { ...m };
  for (const field of wordedFields) {
    const stored = m[field];
    if (typeof stored === 'string') (out as Record<Worded, string>)[field] = measureTextIn(lang, m.liveKey, field, stored);
  }
  if (m.versions) out.versions = m.versions.map((v) => ({ ...v, formula: measureTextIn(lang, m.liveKey, 'formula', v.formula) }));
  return out;
}

export { wordedFields as measureWordedFields };
