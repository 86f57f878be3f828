import { hasText, translate } from '../i18n/i18n.ts';
import { findProcessDefinition, type HandoffDefinition, type ProcessKey, processHandoffOutputs } from './process-model.ts';

/*
 * The process model's words in the reader's language: every API answer that names a process, describes it or says what
 * a hand-off carries words it here, from the server's `processes` catalog. The model (process-model.ts) keeps the
 * structure and the English defaults; a key no catalog has (a process the model does not know) stays as it is.
 */

const worded = (lang: string, key: string, fallback: string) => (hasText(key) ? translate(lang, key) : fallback);

/** A process's name ("Risikobeurteilung" for `risk-assessment` in German); an unknown key stays the key. */
export const processName = (lang: string, key: string): string =>
  worded(lang, `processes:name.${key}`, findProcessDefinition(key)?.name ?? key);

/** What a process does, in a sentence. */
export const processDescription = (lang: string, key: string): string =>
  worded(lang, `processes:description.${key}`, findProcessDefinition(key)?.description ?? '');

/** What a hand-off carries ("Prioritised risks with owners"). */
export const handoffOutput = (lang: string, h: Pick<HandoffDefinition, 'from' | 'outputKey' | 'output'>): string =>
  worded(lang, `processes:output.${h.from}.${h.outputKey}`, h.output);

/** A process as the API names it: its key and its name in the reader's language. */
export const processRef = (lang: string, key: string) => ({ key, name: processName(lang, key) });

/** The distinct inputs (what it receives) or outputs (what it sends) of a process, worded. */
export const processInputs = (lang: string, key: ProcessKey): string[] =>
  processHandoffOutputs(key, 'to').map((h) => handoffOutput(lang, h));
export const processOutputs = (lang: string, key: ProcessKey): string[] =>
  processHandoffOutputs(key, 'from').map((h) => handoffOutput(lang, h));
