import { bsiElementaryThreats } from './bsi-elementary-threats.ts';

/**
 * The official German titles of the BSI elementary threats (IT-Grundschutz-Kompendium, "Elementare Gefährdungen"),
 * G 0.1 – G 0.47 in number order. The built-in threats are stored with their English titles (migration 0006); German
 * readers get these when a threat is presented.
 */
export const bsiElementaryThreatTitlesDe: readonly string[] = [
  'Feuer',
  'Ungünstige klimatische Bedingungen',
  'Wasser',
  'Verschmutzung, Staub, Korrosion',
  'Naturkatastrophen',
  'Katastrophen im Umfeld',
  'Großereignisse im Umfeld',
  'Ausfall oder Störung der Stromversorgung',
  'Ausfall oder Störung von Kommunikationsnetzen',
  'Ausfall oder Störung von Versorgungsnetzen',
  'Ausfall oder Störung von Dienstleistern',
  'Elektromagnetische Störstrahlung',
  'Abfangen kompromittierender Strahlung',
  'Ausspähen von Informationen (Spionage)',
  'Abhören',
  'Diebstahl von Geräten, Datenträgern oder Dokumenten',
  'Verlust von Geräten, Datenträgern oder Dokumenten',
  'Fehlplanung oder fehlende Anpassung',
  'Offenlegung schützenswerter Informationen',
  'Informationen oder Produkte aus unzuverlässiger Quelle',
  'Manipulation von Hard- oder Software',
  'Manipulation von Informationen',
  'Unbefugtes Eindringen in IT-Systeme',
  'Zerstörung von Geräten oder Datenträgern',
  'Ausfall von Geräten oder Systemen',
  'Fehlfunktion von Geräten oder Systemen',
  'Ressourcenmangel',
  'Software-Schwachstellen oder -Fehler',
  'Verstoß gegen Gesetze oder Regelungen',
  'Unberechtigte Nutzung oder Administration von Geräten und Systemen',
  'Fehlerhafte Nutzung oder Administration von Geräten und Systemen',
  'Missbrauch von Berechtigungen',
  'Personalausfall',
  'Anschlag',
  'Nötigung, Erpressung oder Korruption',
  'Identitätsdiebstahl',
  'Abstreiten von Handlungen',
  'Missbrauch personenbezogener Daten',
  'Schadprogramme',
  'Verhinderung von Diensten (Denial of Service)',
  'Sabotage',
  'Social Engineering',
  'Einspielen von Nachrichten',
  'Unbefugtes Eindringen in Räumlichkeiten',
  'Datenverlust',
  'Integritätsverlust schützenswerter Informationen',
  'Schädliche Seiteneffekte IT-gestützter Angriffe',
];

const germanByCode = new Map(bsiElementaryThreats.map((t, i) => [t.code, bsiElementaryThreatTitlesDe[i]!]));

/**
 * A threat's title for a reader: a built-in BSI threat in German for German readers; a scope's own threat as written.
 * Without `builtin`, the code decides: the codes "G 0.n" belong to the built-in threats (a scope's threat cannot take one).
 */
export function threatTitle(threat: { code: string; title: string; builtin?: boolean }, lang: string): string {
  if (threat.builtin === false || lang !== 'de') return threat.title;
  return germanByCode.get(threat.code) ?? threat.title;
}
