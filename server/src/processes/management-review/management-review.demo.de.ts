import type { ReviewDemoWords } from './management-review.demo.ts';

/** The demo organisation's management review in German. */
export const de: ReviewDemoWords = {
  title: 'Jährliche Managementbewertung des ISMS',
  issues: 'Das Unternehmen hat seine Kundendaten im Frühjahr zu einem Cloud-Anbieter verlagert; für zwei unserer Kunden gilt NIS2.',
  interestedParties: 'Kunden verlangen in ihren Lieferantenbewertungen inzwischen ein ISO-27001-Zertifikat.',
  feedback: 'In diesem Jahr ein Kundenaudit, keine Beschwerden zur Informationssicherheit.',
  leaversTitle: 'Zugänge ausscheidender Beschäftigter am letzten Arbeitstag entziehen',
  leaversDescription:
    'Die Personalabteilung meldet der IT jeden Austritt eine Woche im Voraus; die IT sperrt die Konten am letzten Arbeitstag.',
  cloudTitle: 'Cloud-Anbieter in den Geltungsbereich des ISMS aufnehmen',
  cloudDescription: 'Geltungsbereichsbeschreibung, Inventar der Werte und Maßnahmen zur Lieferantensteuerung aktualisieren.',
  discussion:
    'Das ISMS funktioniert wie vorgesehen. Die Zugänge ausgeschiedener Beschäftigter wurden zweimal zu spät entzogen (internes Audit): Eine Korrekturmaßnahme wird beschlossen. Die Verlagerung zum Cloud-Anbieter ändert den Geltungsbereich: Ein Änderungsantrag wird gestellt. Das Budget für das kommende Jahr bleibt wie geplant.',
};
