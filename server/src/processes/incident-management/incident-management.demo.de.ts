import type { IncidentDemoWords } from './incident-management.demo.ts';

/** The demo organisation's incidents, change request and improvement items in German. */
export const de: IncidentDemoWords = {
  phishTitle: 'Verdächtige E-Mail fordert zur Bestätigung einer Zahlung auf',
  phishDescription: 'Eine E-Mail von einer Lieferantenadresse forderte dazu auf, die Bankverbindung zu ändern.',
  phishAffected: 'Postfach der Kreditorenbuchhaltung',
  breachTitle: 'Kundenliste an falschen Empfänger gesendet',
  breachDescription: 'Eine Tabelle mit 240 Kundenkontakten wurde versehentlich per E-Mail an eine externe Adresse geschickt.',
  breachAffected: 'Kundenstammdaten',
  outageTitle: 'Webshop nach Speicherausfall nicht erreichbar',
  outageDescription: '50 Minuten lang konnten keine Bestellungen aufgegeben werden.',
  outageAffected: 'Webshop für Kunden',
  failoverStarted: 'Umschaltung auf das Ersatzsystem eingeleitet',
  switchedOver: 'Datenbank auf den Standby-Knoten umgeschaltet',
  shopBack: 'Webshop wieder erreichbar',
  changeTitle: 'Multi-Faktor-Authentisierung für den Fernzugang einführen',
  changeDescription: 'Alle Anmeldungen am VPN und alle Administratoranmeldungen erfordern einen zweiten Faktor.',
  changeReason: 'Risikobehandlung gegen den Diebstahl von Zugangsdaten',
  changeTarget: 'AST-0006 Unternehmensnetz',
  ncTitle: 'Quartalsweise Überprüfungen der Zugriffsrechte wurden nicht durchgeführt',
  ncDescription: 'Für die letzten beiden Quartale gibt es keine Nachweise über Überprüfungen der Zugriffsrechte im ERP-System.',
  ncRequirement: 'ISO/IEC 27001 Anhang A 5.18',
  actionTitle: 'Quartalsweise Überprüfung der Zugriffsrechte mit Erinnerungen einplanen',
  opportunityTitle: 'Single Sign-on für alle Geschäftsanwendungen',
  opportunityBenefit: 'Weniger Passwörter, schnellerer Austrittsprozess',
};
