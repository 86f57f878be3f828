import type { PolicyDemoWords } from './policy-management.demo.ts';

/** The demo organisation's policies in German: the information security policy (Leitlinie) and the acceptable-use rules. */
export const de: PolicyDemoWords = {
  securityPolicyTitle: 'Informationssicherheitsleitlinie',
  securityPolicyDescription: 'Ausrichtung und Verpflichtung der Geschäftsführung zur Informationssicherheit.',
  securityPolicy: `# Informationssicherheitsleitlinie

## Zweck

Wir schützen die Vertraulichkeit, Integrität und Verfügbarkeit der Informationen unserer Kunden, Beschäftigten und
Partner. Diese Leitlinie legt die Ausrichtung der Informationssicherheit fest und verpflichtet die Geschäftsführung auf
das Informationssicherheitsmanagementsystem (ISMS) und seine fortlaufende Verbesserung.

## Geltungsbereich

Die Leitlinie gilt für alle Beschäftigten, externen Mitarbeitenden und Lieferanten, die mit unseren Informationen
arbeiten – am Hauptsitz, im Homeoffice und im Rechenzentrum – sowie für alle Systeme, die wir betreiben oder anmieten.

## Sicherheitsziele

| Ziel | Messgröße | Zielwert |
| --- | --- | --- |
| Kunden können jederzeit bestellen | Verfügbarkeit des Webshops pro Monat | mindestens 99,5 % |
| Keine personenbezogenen Daten gelangen an Unbefugte | Meldepflichtige Datenschutzverletzungen pro Jahr | keine |
| Beschäftigte erkennen Angriffe | Teilnahme an der jährlichen Sensibilisierungsschulung | mindestens 95 % |
| Daten lassen sich wiederherstellen | Erfolgreiche quartalsweise Wiederherstellungstests | in jedem Quartal |

## Verantwortlichkeiten

- Die Geschäftsführung gibt diese Leitlinie frei, stellt die erforderlichen Ressourcen bereit und bewertet das ISMS
  einmal im Jahr.
- Die Leitung IT-Betrieb koordiniert das ISMS und berichtet darüber.
- Wer für einen Wert oder ein Risiko verantwortlich ist, entscheidet im Rahmen der Risikoakzeptanzkriterien über
  dessen Schutz.
- Alle melden Sicherheitsereignisse und Schwachstellen unverzüglich über die Vorfallsmeldung in Praxis.

## Regeln für alle

1. Verwenden Sie nur Ihr eigenes Benutzerkonto, mit Multi-Faktor-Authentisierung, wo sie angeboten wird.
2. Stufen Sie Informationen ein und geben Sie sie nur an Personen weiter, die sie benötigen.
3. Sperren Sie Ihren Bildschirm, wenn Sie Ihren Arbeitsplatz verlassen.
4. Nehmen Sie jedes Jahr an der Sensibilisierungsschulung zur Informationssicherheit teil.

## Überprüfung

Die Leitlinie wird jährlich sowie nach wesentlichen Änderungen der Organisation, ihrer Systeme oder der
Bedrohungslage überprüft.
`,
  acceptableUseTitle: 'Richtlinie zur zulässigen Nutzung',
  acceptableUseDescription: 'Wie Beschäftigte die Informationen, Geräte und Dienste des Unternehmens nutzen.',
  acceptableUse: `# Zulässige Nutzung von Informationen und IT

## Zweck

Diese Richtlinie regelt, wie Beschäftigte die Informationen, Laptops, E-Mail und Cloud-Dienste des Unternehmens
nutzen dürfen, damit diese sicher bleiben und das Unternehmen seine Pflichten erfüllen kann.

## Geräte und Benutzerkonten des Unternehmens

- Vom Unternehmen bereitgestellte Laptops und Telefone sind für die dienstliche Nutzung bestimmt; gelegentliche private
  Nutzung ist erlaubt, solange sie keine Unternehmensinformationen gefährdet.
- Installieren Sie keine Software, die der IT-Helpdesk nicht freigegeben hat.
- Geben Sie Ihr Passwort oder Ihren zweiten Faktor niemals weiter, auch nicht an den IT-Helpdesk.

## Umgang mit Informationen

| Schutzklasse | Beispiele | Zulässige Ablage | Versand nach außen |
| --- | --- | --- | --- |
| Öffentlich | Produktbroschüren | beliebig | erlaubt |
| Intern | Verfahrensanweisungen, Preislisten | Systeme des Unternehmens | mit geschäftlichem Grund |
| Vertraulich | Kunden- und Personaldaten | Systeme des Unternehmens, verschlüsselte Laptops | verschlüsselt, an namentlich bekannte Empfänger |
| Streng vertraulich | Finanzberichte vor ihrer Veröffentlichung | nur in benannten Ordnern | nur mit Zustimmung der verantwortlichen Person |

## Wechseldatenträger und Ausdrucke

Kopieren Sie vertrauliche Informationen nur dann auf USB-Sticks, wenn es keinen anderen Weg gibt, und nur auf
verschlüsselte. Holen Sie Ausdrucke sofort ab und werfen Sie vertrauliche Unterlagen in die verschlossenen
Aktenvernichtungsbehälter.

## Protokollierung und Verstöße

Das Unternehmen protokolliert Zugriffe auf seine Systeme, um sie zu schützen. Verstöße gegen diese Richtlinie werden
der oder dem Vorgesetzten gemeldet und können arbeitsrechtliche Maßnahmen nach sich ziehen.
`,
  firstVersion: 'Erste Fassung',
  approved: 'Zur Veröffentlichung freigegeben.',
};
