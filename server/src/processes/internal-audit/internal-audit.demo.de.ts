import type { AuditDemoWords } from './internal-audit.demo.ts';

/** The demo organisation's internal audits in German. */
export const de: AuditDemoWords = {
  title: 'Zugriffssteuerung sowie Audit- und Verbesserungsprozess',
  scope: 'Hauptsitz: Benutzer- und Berechtigungsverwaltung, Datensicherung, internes Audit und Korrekturmaßnahmen.',
  minorNotes:
    'Die Zugriffsrechte von zwei ausgeschiedenen Beschäftigten wurden erst Wochen nach dem Austritt entzogen; die quartalsweise Überprüfung der Zugriffsrechte ist nicht dokumentiert.',
  conformingNotes: 'Die Stichproben waren vollständig und aktuell.',
  observationTitle: 'Die Auditcheckliste könnte die Nachweise jeder Maßnahme direkt verlinken',
  observationNotes: 'Die Auditoren suchten Nachweise zunächst in gemeinsamen Ordnern.',
  conclusion:
    'Das ISMS ist in den auditierten Bereichen konform, mit einer geringfügigen Abweichung bei der Überprüfung der Zugriffsrechte.',
  nextTitle: 'Kontext, Führung und Risikomanagement',
  nextScope: 'Geltungsbereich des ISMS, Leitlinie, Rollen, Risikobeurteilung und Risikobehandlung.',
};
