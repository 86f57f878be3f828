import type { AwarenessDemoWords } from './competence-awareness.demo.ts';

/** The demo organisation's competences, job roles, awareness course and quiz in German. */
export const de: AwarenessDemoWords = {
  questions: [
    {
      text: 'Eine E-Mail eines bekannten Lieferanten bittet Sie, seine Bankverbindung zu ändern. Was tun Sie?',
      options: [
        'Die Bankverbindung wie gewünscht ändern',
        'Den Lieferanten unter der Ihnen bereits bekannten Nummer anrufen',
        'Auf die E-Mail antworten und um Bestätigung bitten',
      ],
    },
    {
      text: 'Was davon dürfen Sie dem IT-Helpdesk mitteilen?',
      options: ['Ihr Passwort', 'Den Code aus Ihrer Authenticator-App', 'Ihren Benutzernamen und eine Beschreibung des Problems'],
    },
    {
      text: 'Sie bemerken, dass eine Kundenliste an eine falsche Adresse gesendet wurde. Wann melden Sie das?',
      options: ['Sofort, über die Vorfallsmeldung', 'In der nächsten Teambesprechung', 'Nur wenn sich der Empfänger beschwert'],
    },
  ],
  awareness: {
    name: 'Sicherheitsbewusstsein',
    description:
      'Erkennt Phishing und Social Engineering, kennt die Regeln der Informationssicherheitsleitlinie und weiß, wie Sicherheitsvorfälle gemeldet werden.',
  },
  admin: {
    name: 'Administration von Verzeichnisdienst und Datensicherung',
    description:
      'Verwaltet Benutzerkonten, Gruppen und privilegierte Zugänge im Verzeichnisdienst; führt Datensicherungen und Wiederherstellungen durch.',
  },
  secureDev: {
    name: 'Sichere Softwareentwicklung',
    description: 'Schreibt Code, der die üblichen Schwachstellen von Webanwendungen vermeidet, und hält Fremdbibliotheken aktuell.',
  },
  itAdmin: {
    name: 'IT-Administrator',
    description: 'Betreibt die Server, den Verzeichnisdienst, das Netzwerk und die Datensicherung.',
  },
  developer: {
    name: 'Softwareentwickler',
    description: 'Entwickelt und pflegt den Webshop für Kunden und die internen Werkzeuge.',
  },
  departments: { it: 'IT', dev: 'Softwareentwicklung', hr: 'Personal', staff: 'Vertrieb' },
  adminEvidence: 'Herstellerzertifizierung für den Verzeichnisdienst',
  secureDevEvidence: 'Workshop zu sicherer Programmierung, Teilnahmebescheinigung',
  course: {
    title: 'Grundlagen der Informationssicherheit',
    description:
      'Lesen Sie die Informationssicherheitsleitlinie und beantworten Sie dann drei Fragen zu Phishing, Passwörtern und zur Meldung von Vorfällen.',
  },
};
