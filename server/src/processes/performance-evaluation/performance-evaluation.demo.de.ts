import type { MeasureDemoWords } from './performance-evaluation.demo.ts';

/** The demo organisation's manual measure (phishing simulation) in German. */
export const de: MeasureDemoWords = {
  name: 'Klickrate der Phishing-Simulation',
  informationNeed: 'Erkennen die Beschäftigten Phishing-E-Mails?',
  object: 'Beschäftigte, die die monatliche Phishing-Simulation erhalten',
  attribute: 'Hat auf den simulierten Link geklickt',
  baseMeasures: 'Anzahl zugestellter simulierter E-Mails; Anzahl der Klicks',
  derivedMeasure: 'Anteil der Empfänger, die geklickt haben',
  formula: 'Klicks / zugestellte E-Mails × 100',
  breachComment: 'Neue Kampagne, die den Paketdienst imitiert; der Vertrieb hat am häufigsten geklickt.',
  monthlyComment: 'Monatliche Simulation',
};
