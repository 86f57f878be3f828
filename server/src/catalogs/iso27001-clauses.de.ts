/**
 * The clauses of ISO/IEC 27001:2022 that an ISMS is audited against (4–10), in the words of its German edition
 * (DIN EN ISO/IEC 27001:2024): the seven clause groups and the 23 clause titles 4.1–10.2 (titles only: the standard's
 * text is copyrighted). The English titles are in processes/internal-audit/iso27001-clauses.ts; German readers get
 * these, as they get Annex A's (iso27001-annex-a.de.ts).
 */
export const iso27001ClauseGroupTitlesDe: Readonly<Record<string, string>> = {
  '4': 'Kontext der Organisation',
  '5': 'Führung',
  '6': 'Planung',
  '7': 'Unterstützung',
  '8': 'Betrieb',
  '9': 'Bewertung der Leistung',
  '10': 'Verbesserung',
};

export const iso27001ClauseTitlesDe: Readonly<Record<string, string>> = {
  '4.1': 'Verstehen der Organisation und ihres Kontextes',
  '4.2': 'Verstehen der Erfordernisse und Erwartungen interessierter Parteien',
  '4.3': 'Festlegen des Anwendungsbereichs des Informationssicherheitsmanagementsystems',
  '4.4': 'Informationssicherheitsmanagementsystem',
  '5.1': 'Führung und Verpflichtung',
  '5.2': 'Politik',
  '5.3': 'Rollen, Verantwortlichkeiten und Befugnisse in der Organisation',
  '6.1': 'Maßnahmen zum Umgang mit Risiken und Chancen',
  '6.2': 'Informationssicherheitsziele und Planung zu deren Erreichung',
  '6.3': 'Planung von Änderungen',
  '7.1': 'Ressourcen',
  '7.2': 'Kompetenz',
  '7.3': 'Bewusstsein',
  '7.4': 'Kommunikation',
  '7.5': 'Dokumentierte Information',
  '8.1': 'Betriebliche Planung und Steuerung',
  '8.2': 'Informationssicherheitsrisikobeurteilung',
  '8.3': 'Informationssicherheitsrisikobehandlung',
  '9.1': 'Überwachung, Messung, Analyse und Bewertung',
  '9.2': 'Internes Audit',
  '9.3': 'Managementbewertung',
  '10.1': 'Fortlaufende Verbesserung',
  '10.2': 'Nichtkonformität und Korrekturmaßnahmen',
};

const byLanguage: Readonly<Record<string, { clauses: Readonly<Record<string, string>>; groups: Readonly<Record<string, string>> }>> = {
  de: { clauses: iso27001ClauseTitlesDe, groups: iso27001ClauseGroupTitlesDe },
};

/** A clause's title for a reader (`4.1` in German → "Verstehen der Organisation und ihres Kontextes"), else the English one. */
export function clauseTitleIn(lang: string, clause: string, english: string): string {
  return byLanguage[lang]?.clauses[clause] ?? english;
}

/** A clause group's title for a reader (`4` in German → "Kontext der Organisation"), else the English one. */
export function clauseGroupTitleIn(lang: string, group: string, english: string): string {
  return byLanguage[lang]?.groups[group] ?? english;
}
