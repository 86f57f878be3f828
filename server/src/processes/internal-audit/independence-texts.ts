import { fallbackLanguage, readEnglish, translate } from '../../i18n/i18n.ts';
import { processDefinitions } from '../../isms/process-model.ts';
import { processName } from '../../isms/process-texts.ts';

/**
 * A conflict of independence (ISO 27001 9.2.2 c) in the reader's language. What an auditor owns among what an audit
 * examines: a process of the model or a control. The conflict's column keeps the English sentence Praxis has always
 * written ("Ada owns the process Risk assessment", "Carla owns control CTL-0003 Backups") and no key: the sentence is
 * read back into the person's name as recorded and what they own, and worded for each reader when shown.
 */
export type Owned = { kind: 'process'; key: string } | { kind: 'control'; reference: string; title: string };

/** What is owned as data, the same for the same process or control whatever its title: `process:risk-assessment`. */
export const ownedKey = (o: Owned): string => (o.kind === 'process' ? `process:${o.key}` : `control:${o.reference}`);

/** The sentence in `lang`: "Ada ist für den Prozess Risikobeurteilung verantwortlich". */
export function conflictSentence(lang: string, name: string, owned: Owned): string {
  return owned.kind === 'process'
    ? translate(lang, 'exports:audit.independence.ownsProcess', { name, process: processName(lang, owned.key) })
    : translate(lang, 'exports:audit.independence.ownsControl', { name, reference: owned.reference, title: owned.title });
}

const readProcess = readEnglish('exports:audit.independence.ownsProcess', ['name', 'process']);
const readControl = readEnglish('exports:audit.independence.ownsControl', ['name', 'reference', 'title']);

/**
 * A recorded conflict read back from its English sentence: who (by name, as recorded) owns what. A process is known by
 * its English name; a control by its reference (no spaces) and title. A sentence that reads as neither is null.
 */
export function readConflict(stored: string): { name: string; owned: Owned } | null {
  const p = readProcess(stored);
  const def = p && processDefinitions.find((d) => processName(fallbackLanguage, d.key) === p.process);
  if (p && def) return { name: p.name ?? '', owned: { kind: 'process', key: def.key } };
  const c = readControl(stored);
  if (c?.reference) {
    return { name: c.name ?? '', owned: { kind: 'control', reference: c.reference, title: c.title ?? '' } };
  }
  return null;
}

/**
 * A recorded conflict as the reader reads it: in their language, with the person's current name (the recorded one when
 * the account is gone); a sentence that does not read back stays as stored.
 */
export function shownConflict(lang: string, stored: string, currentName: string | null): string {
  const read = readConflict(stored);
  return read ? conflictSentence(lang, currentName || read.name, read.owned) : stored;
}
