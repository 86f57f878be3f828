import { fallbackLanguage, supportedLanguages, translate } from '../../i18n/i18n.ts';
import type { RiskMethod } from './risk-method.ts';

/**
 * The built-in texts of the default risk methods (risk-method.ts `defaultMethod`) in the reader's language.
 *
 * A method is stored as written: the default one with the English texts of the `risk-method` catalog. A text that is
 * still a built-in one — a scale's label or description, or a level's label under its built-in key — is shown in the
 * reader's language; a text someone typed stays as typed. Saving a method turns a built-in text shown in any language
 * back into its English form, so that a German reader who saves the method unchanged keeps it built-in for everyone.
 */

type Group = 'likelihood' | 'likelihoodDescription' | 'impact' | 'impactDescription';

/** the keys of each group of the `risk-method` catalog (its English texts are the default methods' texts) */
const groups: Record<Group, readonly string[]> = {
  likelihood: ['rare', 'unlikely', 'possible', 'likely', 'almostCertain'],
  likelihoodDescription: [
    'notExpected',
    'everyFewYears',
    'yearly',
    'lessThanOnceInTenYears',
    'threeToTenYears',
    'oneToThreeYears',
    'severalTimesAYear',
    'monthly',
  ],
  impact: ['negligible', 'limited', 'noticeable', 'considerable', 'existential'],
  impactDescription: ['hardlyNoticeable', 'limited', 'noticeable', 'considerable', 'existential'],
};
/** the keys of the default methods' risk levels, each with its built-in label */
export const builtInLevelKeys = ['low', 'medium', 'high', 'critical'] as const;

const groupKey = (group: Group, key: string) => `risk-method:${group}.${key}`;
const levelKey = (key: string) => `risk-method:level.${key}`;

/** the catalog key of a built-in text of a group (matched in the given languages), or undefined for a typed one */
function keyOf(group: Group, text: string, languages: readonly string[]): string | undefined {
  for (const key of groups[group]) {
    if (languages.some((lang) => translate(lang, groupKey(group, key)) === text)) return groupKey(group, key);
  }
  return undefined;
}
const isBuiltInLevel = (key: string): boolean => (builtInLevelKeys as readonly string[]).includes(key);

/** A level's label in the reader's language when it is the built-in label of its key; else as typed. */
export function levelLabelIn(key: string, label: string, lang: string): string {
  if (lang === fallbackLanguage || !isBuiltInLevel(key) || translate(fallbackLanguage, levelKey(key)) !== label) return label;
  return translate(lang, levelKey(key));
}

/** A scale's text in the reader's language when it is a built-in one; else as typed. */
function scaleTextIn(group: Group, text: string, lang: string): string {
  if (lang === fallbackLanguage) return text;
  const key = keyOf(group, text, [fallbackLanguage]);
  return key ? translate(lang, key) : text;
}

/** The method with its built-in texts in the reader's language (a copy; the scoring parts are the same). */
export function methodIn<M extends RiskMethod>(m: M, lang: string): M {
  if (lang === fallbackLanguage) return m;
  const scale = (levels: RiskMethod['likelihood'], label: Group, description: Group) =>
    levels.map((l) => ({ ...l, label: scaleTextIn(label, l.label, lang), description: scaleTextIn(description, l.description, lang) }));
  return {
    ...m,
    likelihood: scale(m.likelihood, 'likelihood', 'likelihoodDescription'),
    impact: scale(m.impact, 'impact', 'impactDescription'),
    levels: m.levels.map((l) => ({ ...l, label: levelLabelIn(l.key, l.label, lang) })),
  };
}

/** A method as a reader saves it: a built-in text shown in any language is stored in its English form again. */
export function methodAsStored<M extends RiskMethod>(m: M): M {
  const english = (group: Group, text: string) => {
    const key = keyOf(group, text, supportedLanguages);
    return key ? translate(fallbackLanguage, key) : text;
  };
  const scale = (levels: RiskMethod['likelihood'], label: Group, description: Group) =>
    levels.map((l) => ({ ...l, label: english(label, l.label), description: english(description, l.description) }));
  return {
    ...m,
    likelihood: scale(m.likelihood, 'likelihood', 'likelihoodDescription'),
    impact: scale(m.impact, 'impact', 'impactDescription'),
    levels: m.levels.map((l) =>
      isBuiltInLevel(l.key) && supportedLanguages.some((lang) => translate(lang, levelKey(l.key)) === l.label)
        ? { ...l, label: translate(fallbackLanguage, levelKey(l.key)) }
        : l,
    ),
  };
}
