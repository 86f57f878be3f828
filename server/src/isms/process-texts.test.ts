import { describe, expect, it } from 'vitest';
import { hasText, supportedLanguages, translate } from '../i18n/i18n.ts';
import { handoffDefinitions, processDefinitions, processHandoffOutputs } from './process-model.ts';
import { handoffOutput, processDescription, processInputs, processName, processOutputs } from './process-texts.ts';

/**
 * The model's words live in the `processes` catalog: in English the same as the model says, and in every other language
 * a text of its own for each process name, description and hand-off output.
 */
describe('the process model’s words', () => {
  const keys = [
    ...processDefinitions.flatMap((p) => [
      { key: `processes:name.${p.key}`, english: p.name },
      { key: `processes:description.${p.key}`, english: p.description },
    ]),
    ...handoffDefinitions.map((h) => ({ key: `processes:output.${h.from}.${h.outputKey}`, english: h.output })),
  ];

  it('are in the English catalog as the model says them', () => {
    for (const { key, english } of keys) {
      expect(hasText(key), key).toBe(true);
      expect(translate('en', key), key).toBe(english);
    }
  });

  it.each(supportedLanguages.filter((l) => l !== 'en'))('are all translated into %s', (lang) => {
    for (const { key, english } of keys) expect(translate(lang, key), key).not.toBe(english);
  });

  it('name one output once: the same output key always carries the same English words', () => {
    const words = new Map<string, string>();
    for (const h of handoffDefinitions) {
      const id = `${h.from}.${h.outputKey}`;
      expect(words.get(id) ?? h.output, id).toBe(h.output);
      words.set(id, h.output);
    }
    // and different outputs of one process have different keys
    const byWords = new Map<string, string>();
    for (const h of handoffDefinitions) {
      const wordsId = `${h.from}|${h.output}`;
      expect(byWords.get(wordsId) ?? h.outputKey, wordsId).toBe(h.outputKey);
      byWords.set(wordsId, h.outputKey);
    }
  });

  it('are worded for a reader, and an unknown process stays its key', () => {
    expect(processName('de', 'risk-assessment')).toBe('Risikobeurteilung');
    expect(processName('en', 'risk-assessment')).toBe('Risk assessment');
    expect(processName('de', 'no-such-process')).toBe('no-such-process');
    expect(processDescription('de', 'internal-audit')).toBe(
      'Plant und führt interne Audits durch und berichtet die Feststellungen (ISO 27001 9.2).',
    );
    const handoff = handoffDefinitions.find((h) => h.from === 'risk-assessment' && h.to === 'risk-treatment')!;
    expect(handoffOutput('de', handoff)).toBe('Priorisierte Risiken mit Risikoeigentümern');
    expect(handoffOutput('en', handoff)).toBe('Prioritised risks with owners');
    // risk treatment sends two outputs, and its inputs and outputs are each listed once
    expect(processOutputs('de', 'risk-treatment')).toEqual(['Ausgewählte Maßnahmen, Behandlungs- und Umsetzungsplan', 'Änderungsanträge']);
    expect(processHandoffOutputs('risk-assessment', 'from')).toHaveLength(1);
    expect(processInputs('en', 'improvement')).toEqual([
      'Supplier assessments and audit results',
      'Incidents and lessons learned',
      'Measurements and findings',
      'Audit findings (nonconformities, observations)',
      'Decisions on improvement and resources',
    ]);
  });
});
