import type { RiskDemoWords } from './risk-assessment.demo.ts';

/** The demo organisation's risks in German (the threats' titles come from the BSI catalog). */
export const de: RiskDemoWords = {
  ransomware: {
    title: 'Ransomware verschlüsselt das ERP-System und seine Datensicherungen',
    vulnerability: 'Die Sicherungen liegen auf einer Freigabe, die die ERP-Server erreichen; es gibt keine Offline-Kopie.',
    description:
      'Schadsoftware gelangt per E-Mail oder über einen kompromittierten Fernzugang ins Netz und breitet sich auf die Server im Rechenzentrum aus.',
  },
  phishing: {
    title: 'Phishing verschafft Angreifern die Zugangsdaten von Beschäftigten',
    vulnerability: 'Anmeldung am E-Mail-Postfach aus dem Internet nur mit einem Faktor.',
    description:
      'Gezieltes Phishing nach Zugangsdaten gegen Vertrieb und Buchhaltung; mit den Konten lassen sich E-Mail, Dateien und das ERP öffnen.',
  },
  webshop: {
    title: 'Schwachstelle im Webshop wird ausgenutzt',
    vulnerability: 'Fremdbibliotheken werden unregelmäßig aktualisiert; es gibt keine Prüfung der Abhängigkeiten.',
    description: 'Ein Angreifer nutzt eine bekannte Schwachstelle, um Kundendaten auszulesen oder manipulierte Bestellungen aufzugeben.',
  },
  laptop: {
    title: 'Gestohlener Laptop legt Kundendaten offen',
    vulnerability: 'Beschäftigte im Vertrieb speichern Exporte der Kundenliste auf ihren Laptops.',
    description: 'Die Laptops sind verschlüsselt, die Exporte werden aber auch auf USB-Sticks kopiert.',
  },
  power: {
    title: 'Stromausfall im Colocation-Rechenzentrum',
    vulnerability: 'Das Rack hat nur eine Stromzuführung.',
    description: 'Der Anbieter betreibt ein Notstromaggregat; das Rack hat keine zweite Einspeisung.',
  },
  payroll: {
    title: 'Ausfall des Lohnabrechnungsdienstleisters verzögert die Gehaltszahlungen',
    vulnerability: 'Für einen ausgefallenen Abrechnungslauf ist kein Ausweichverfahren vereinbart.',
    description: 'Der Dienstleister war bisher zuverlässig; fiele ein Lauf aus, müssten die Gehälter manuell überwiesen werden.',
  },
  legacy: {
    title: 'Alter Dateiserver läuft ohne Sicherheitsupdates',
    vulnerability: 'Das Betriebssystem wird vom Hersteller nicht mehr unterstützt.',
    description: 'Bei der Migration in das Dokumentenmanagementsystem erkannt; noch nicht analysiert.',
  },
};
