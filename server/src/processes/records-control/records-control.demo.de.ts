import type { RecordsDemoWords } from './records-control.demo.ts';

/** The demo organisation's records in German. */
export const de: RecordsDemoWords = {
  policyTitle: 'Informationssicherheitsleitlinie mit Freigaben und Kenntnisnahmen',
  policyDescription: 'Die freigegebenen Fassungen der Leitlinie und die Liste, wer sie zur Kenntnis genommen hat.',
  personnelTitle: 'Personalakten und Arbeitsverträge',
  personnelDescription: 'Arbeitsverträge, Vertraulichkeitsvereinbarungen und Schulungsnachweise der Beschäftigten.',
  personnelLocation: 'Personalsystem, Personalaktenarchiv (verschlossener Schrank im Personalbüro für unterschriebene Originale)',
  incidentTitle: 'Vorfallakte: Kundenliste an falschen Empfänger gesendet',
  incidentDescription: 'Vorfallsmeldung, Entscheidung über die Meldung an die Aufsichtsbehörde und Schriftverkehr mit dem Empfänger.',
  legalHoldReason:
    'Die Datenschutzaufsichtsbehörde hat zu dem Vorfall nachgefragt; alle Unterlagen bleiben bis zum Abschluss des Verfahrens erhalten.',
};
