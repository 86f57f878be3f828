import type { TreatmentDemoWords } from './risk-treatment.demo.ts';

/** The demo organisation's controls, evidence, risk treatment, acceptance and SoA justification in German. */
export const de: TreatmentDemoWords = {
  controls: {
    backup: {
      title: 'Offline-Datensicherung mit quartalsweisen Wiederherstellungstests',
      description:
        'Nächtliche Sicherung der Server und Datenbanken; eine wöchentliche Kopie wird offline aufbewahrt. Jedes Quartal wird eine Wiederherstellung getestet.',
    },
    mfa: {
      title: 'Multi-Faktor-Authentisierung für E-Mail und Fernzugang',
      description: 'Ein zweiter Faktor (Authenticator-App) für E-Mail aus dem Internet, das VPN und jede Administratoranmeldung.',
    },
    awareness: {
      title: 'Sensibilisierungsschulung zur Informationssicherheit für alle Beschäftigten',
      description: 'Ein jährlicher Online-Kurs mit kurzem Quiz für alle; Phishing-Beispiele im Newsletter für die Beschäftigten.',
    },
    patching: {
      title: 'Prüfung und Aktualisierung der Abhängigkeiten des Webshops',
      description:
        'Die Fremdbibliotheken des Webshops werden bei jedem Build geprüft; bekannte Schwachstellen werden innerhalb von 14 Tagen behoben.',
    },
    physical: {
      title: 'Zutrittskontrolle zum Serverraum',
      description: 'Ausweisleser mit persönlichen Ausweisen nur für das IT-Team; Besucher werden begleitet und eingetragen.',
    },
    policy: {
      title: 'Informationssicherheitsleitlinie verabschiedet und bekannt gemacht',
      description: 'Die Informationssicherheitsleitlinie ist freigegeben, allen Beschäftigten bekannt gemacht und von ihnen bestätigt.',
    },
  },
  restoreReportTitle: 'Bericht zum Wiederherstellungstest, letztes Quartal',
  restoreReportDescription: 'Die ERP-Datenbank wurde in 3 Stunden 40 Minuten aus der Offline-Kopie auf dem Testsystem wiederhergestellt.',
  badgeReviewTitle: 'Überprüfung der Ausweisliste und des Zutrittsprotokolls für den Serverraum',
  badgeReviewDescription:
    'Jährliche Überprüfung, wer einen Ausweis für den Serverraum besitzt; das Zutrittsprotokoll des letzten Quartals wurde kontrolliert.',
  ransomwareRationale:
    'Ohne seine Daten lässt sich das ERP-System nicht wieder aufbauen; eine Offline-Kopie und der Schutz vor Schadsoftware senken das Risiko.',
  ransomwareObjectives: [
    'Das ERP-System ist innerhalb eines Arbeitstages wiederhergestellt',
    'Keine Datensicherung ist aus dem Produktionsnetz erreichbar',
  ],
  ransomwareAction: 'Offline-Sicherungsplatten wöchentlich tauschen',
  phishingRationale:
    'Ein gestohlenes Passwort allein darf E-Mail und VPN nicht mehr öffnen; die Beschäftigten lernen, Phishing zu erkennen.',
  phishingObjectives: ['Jede Anmeldung aus dem Internet nutzt einen zweiten Faktor'],
  phishingAction: 'Alle Beschäftigten für die Authenticator-App registrieren',
  powerRationale:
    'Der Anbieter betreibt ein Notstromaggregat, und eine zweite Stromzuführung kostet mehr als ein kurzer Ausfall; das Risikoniveau liegt innerhalb der Risikoakzeptanzkriterien.',
  webshopRationale:
    'Bekannte Schwachstellen in Bibliotheken sind der wahrscheinlichste Angriffsweg; eine Prüfung bei jedem Build findet sie früh.',
  webshopObjectives: ['Keine bekannte kritische Schwachstelle bleibt länger als 14 Tage in der Produktion'],
  acceptanceJustification:
    'Das Notstromaggregat des Anbieters überbrückt einen Ausfall von einigen Stunden; eine zweite Stromzuführung kostet mehr als der zu erwartende Schaden.',
  managementAgreed: 'Für ein Jahr akzeptiert.',
  notOutsourced: 'Sämtliche Software wird im eigenen Haus entwickelt; es wird keine Entwicklung ausgelagert.',
  soaTitle: 'Erklärung zur Anwendbarkeit: ISO/IEC 27001:2022 Anhang A',
};
