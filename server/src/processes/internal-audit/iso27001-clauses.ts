import { clauseGroupTitleIn, clauseTitleIn } from '../../catalogs/iso27001-clauses.de.ts';
import { fallbackLanguage } from '../../i18n/i18n.ts';

/** The clauses of ISO/IEC 27001:2022 that an ISMS is audited against (4.1–10.2), with their titles. */
export const iso27001Clauses: readonly { clause: string; title: string }[] = [
  { clause: '4.1', title: 'Understanding the organization and its context' },
  { clause: '4.2', title: 'Understanding the needs and expectations of interested parties' },
  { clause: '4.3', title: 'Determining the scope of the information security management system' },
  { clause: '4.4', title: 'Information security management system' },
  { clause: '5.1', title: 'Leadership and commitment' },
  { clause: '5.2', title: 'Policy' },
  { clause: '5.3', title: 'Organizational roles, responsibilities and authorities' },
  { clause: '6.1', title: 'Actions to address risks and opportunities' },
  { clause: '6.2', title: 'Information security objectives and planning to achieve them' },
  { clause: '6.3', title: 'Planning of changes' },
  { clause: '7.1', title: 'Resources' },
  { clause: '7.2', title: 'Competence' },
  { clause: '7.3', title: 'Awareness' },
  { clause: '7.4', title: 'Communication' },
  { clause: '7.5', title: 'Documented information' },
  { clause: '8.1', title: 'Operational planning and control' },
  { clause: '8.2', title: 'Information security risk assessment' },
  { clause: '8.3', title: 'Information security risk treatment' },
  { clause: '9.1', title: 'Monitoring, measurement, analysis and evaluation' },
  { clause: '9.2', title: 'Internal audit' },
  { clause: '9.3', title: 'Management review' },
  { clause: '10.1', title: 'Continual improvement' },
  { clause: '10.2', title: 'Nonconformity and corrective action' },
];

/** The clause groups 4–10 (ISO/IEC 27001:2022), with their titles. */
export const iso27001ClauseGroups: Readonly<Record<string, string>> = {
  '4': 'Context of the organization',
  '5': 'Leadership',
  '6': 'Planning',
  '7': 'Support',
  '8': 'Operation',
  '9': 'Performance evaluation',
  '10': 'Improvement',
};

/** A clause's title in the reader's language (the German edition's for German readers: catalogs/iso27001-clauses.de.ts). */
export function clauseTitle(clause: string, lang: string = fallbackLanguage): string | null {
  const english = iso27001Clauses.find((c) => c.clause === clause)?.title;
  return english === undefined ? null : clauseTitleIn(lang, clause, english);
}

/** A clause group's title in the reader's language (`4` → "Context of the organization"). */
export function clauseGroupTitle(group: string, lang: string = fallbackLanguage): string {
  const english = iso27001ClauseGroups[group] ?? '';
  return clauseGroupTitleIn(lang, group, english);
}
