import { ANNEX_A_KEY, annexAThemes } from './iso27001-annex-a.ts';

/**
 * ISO/IEC 27001:2022 Annex A in the words of its German edition (DIN EN ISO/IEC 27001:2024, Anhang A): the four themes
 * and the 93 control titles, in the order of `annexAThemes` (titles only: the standard's text is copyrighted). The
 * built-in catalog is stored in English (migration 0008); German readers get these titles when it is presented.
 */
export const annexAThemesDe: Record<string, { title: string; controls: readonly string[] }> = {
  '5': {
    title: 'Organisatorische Maßnahmen',
    controls: [
      'Informationssicherheitsrichtlinien',
      'Informationssicherheitsrollen und -verantwortlichkeiten',
      'Aufgabentrennung',
      'Verantwortlichkeiten der Leitung',
      'Kontakt mit Behörden',
      'Kontakt mit speziellen Interessengruppen',
      'Informationen über die Bedrohungslage',
      'Informationssicherheit im Projektmanagement',
      'Inventar der Informationen und anderen damit verbundenen Werten',
      'Zulässiger Gebrauch von Informationen und anderen damit verbundenen Werten',
      'Rückgabe von Werten',
      'Klassifizierung von Informationen',
      'Kennzeichnung von Informationen',
      'Informationsübertragung',
      'Zugangssteuerung',
      'Identitätsmanagement',
      'Informationen zur Authentifizierung',
      'Zugangsrechte',
      'Informationssicherheit in Lieferantenbeziehungen',
      'Behandlung von Informationssicherheit in Lieferantenvereinbarungen',
      'Umgang mit der Informationssicherheit in der IKT-Lieferkette',
      'Überwachung, Überprüfung und Änderungsmanagement von Lieferantendienstleistungen',
      'Informationssicherheit für die Nutzung von Cloud-Diensten',
      'Planung und Vorbereitung der Handhabung von Informationssicherheitsvorfällen',
      'Beurteilung und Entscheidung über Informationssicherheitsereignisse',
      'Reaktion auf Informationssicherheitsvorfälle',
      'Erkenntnisse aus Informationssicherheitsvorfällen',
      'Sammeln von Beweismaterial',
      'Informationssicherheit bei Störungen',
      'IKT-Bereitschaft für Business-Continuity',
      'Juristische, gesetzliche, regulatorische und vertragliche Anforderungen',
      'Geistige Eigentumsrechte',
      'Schutz von Aufzeichnungen',
      'Datenschutz und Schutz personenbezogener Daten (PII)',
      'Unabhängige Überprüfung der Informationssicherheit',
      'Einhaltung von Richtlinien, Vorschriften und Normen für die Informationssicherheit',
      'Dokumentierte Betriebsabläufe',
    ],
  },
  '6': {
    title: 'Personenbezogene Maßnahmen',
    controls: [
      'Sicherheitsüberprüfung',
      'Beschäftigungs- und Vertragsbedingungen',
      'Informationssicherheitsbewusstsein, -ausbildung und -schulung',
      'Maßregelungsprozess',
      'Verantwortlichkeiten bei Beendigung oder Änderung der Beschäftigung',
      'Vertraulichkeits- oder Geheimhaltungsvereinbarungen',
      'Remote-Arbeit',
      'Meldung von Informationssicherheitsereignissen',
    ],
  },
  '7': {
    title: 'Physische Maßnahmen',
    controls: [
      'Physische Sicherheitsperimeter',
      'Physischer Zutritt',
      'Sichern von Büros, Räumen und Einrichtungen',
      'Physische Sicherheitsüberwachung',
      'Schutz vor physischen und umweltbedingten Bedrohungen',
      'Arbeiten in Sicherheitsbereichen',
      'Aufgeräumte Arbeitsumgebung und Bildschirmsperren',
      'Platzierung und Schutz von Geräten und Betriebsmitteln',
      'Sicherheit von Werten außerhalb der Räumlichkeiten',
      'Speichermedien',
      'Versorgungseinrichtungen',
      'Sicherheit der Verkabelung',
      'Instandhaltung von Geräten und Betriebsmitteln',
      'Sichere Entsorgung oder Wiederverwendung von Geräten und Betriebsmitteln',
    ],
  },
  '8': {
    title: 'Technologische Maßnahmen',
    controls: [
      'Endpunktgeräte des Benutzers',
      'Privilegierte Zugangsrechte',
      'Informationszugangsbeschränkung',
      'Zugriff auf den Quellcode',
      'Sichere Authentifizierung',
      'Kapazitätssteuerung',
      'Schutz gegen Schadsoftware',
      'Handhabung von technischen Schwachstellen',
      'Konfigurationsmanagement',
      'Löschung von Informationen',
      'Datenmaskierung',
      'Verhinderung von Datenlecks',
      'Sicherung von Informationen',
      'Redundanz von informationsverarbeitenden Einrichtungen',
      'Protokollierung',
      'Überwachung von Aktivitäten',
      'Uhrensynchronisation',
      'Gebrauch von Hilfsprogrammen mit privilegierten Rechten',
      'Installation von Software auf Systemen im Betrieb',
      'Netzwerksicherheit',
      'Sicherheit von Netzwerkdiensten',
      'Trennung von Netzwerken',
      'Webfilterung',
      'Verwendung von Kryptographie',
      'Lebenszyklus einer sicheren Entwicklung',
      'Anforderungen an die Anwendungssicherheit',
      'Sichere Systemarchitektur und Entwicklungsgrundsätze',
      'Sichere Codierung',
      'Sicherheitsprüfung bei Entwicklung und Abnahme',
      'Ausgegliederte Entwicklung',
      'Trennung von Entwicklungs-, Test- und Produktionsumgebungen',
      'Änderungssteuerung',
      'Testinformationen',
      'Schutz der Informationssysteme während Audittests',
    ],
  },
};

/** German title by identifier (`A.5.1` → "Informationssicherheitsrichtlinien", `A.5` → "Organisatorische Maßnahmen"). */
const germanByIdentifier = new Map<string, string>();
for (const theme of annexAThemes) {
  const de = annexAThemesDe[theme.id];
  if (!de) continue;
  germanByIdentifier.set(`A.${theme.id}`, de.title);
  de.controls.forEach((title, i) => {
    germanByIdentifier.set(`A.${theme.id}.${i + 1}`, title);
  });
}

/**
 * The title of a requirement of a catalog for a reader: the built-in Annex A catalog speaks German to German readers;
 * every other catalog (imported ones) keeps its own words.
 */
export function annexATitle(catalogKey: string | null | undefined, identifier: string, title: string, lang: string): string {
  if (catalogKey !== ANNEX_A_KEY || lang !== 'de') return title;
  return germanByIdentifier.get(identifier) ?? title;
}

/**
 * The identifiers of the built-in Annex A catalog whose title, as a reader of `lang` sees it, contains `needle` (case
 * ignored), so that a search finds the words on the page ("Schadsoftware" → A.8.7); null when the reader sees the
 * stored titles (English), which the database searches itself.
 */
export function annexAIdentifiersTitled(catalogKey: string | null | undefined, needle: string, lang: string): string[] | null {
  if (catalogKey !== ANNEX_A_KEY || lang !== 'de') return null;
  const wanted = needle.toLocaleLowerCase(lang);
  return [...germanByIdentifier].filter(([, title]) => title.toLocaleLowerCase(lang).includes(wanted)).map(([identifier]) => identifier);
}

/** The built-in catalog's own title as German texts name it (the German demo's SoA and the catalogs page say so too). */
const annexACatalogTitleDe = 'ISO/IEC 27001:2022 Anhang A';

/**
 * A catalog's title for a reader: the built-in Annex A catalog is "ISO/IEC 27001:2022 Anhang A" to German readers;
 * every other catalog (imported ones) keeps its own title.
 */
export function annexACatalogTitle(catalogKey: string | null | undefined, title: string, lang: string): string {
  return catalogKey === ANNEX_A_KEY && lang === 'de' ? annexACatalogTitleDe : title;
}

/** A presented catalog with its title for the reader (see `annexACatalogTitle`). */
export function catalogIn<C extends { key: string; title: string }>(catalog: C, lang: string): C {
  const title = annexACatalogTitle(catalog.key, catalog.title, lang);
  return title === catalog.title ? catalog : { ...catalog, title };
}
