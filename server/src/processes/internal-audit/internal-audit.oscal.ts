import { type Actor, can } from '../../auth/actor.ts';
import { getScope } from '../../scopes/scope.service.ts';
import { isoNow } from '../../shared/clock.ts';
import type { Deps } from '../../shared/context.ts';
import { oscalDayStart, oscalText, oscalTimestamp, oscalToken, praxisProp as prop, uuidV5 } from '../../shared/oscal.ts';
import { findRisksOfRequirements } from './internal-audit.repository.ts';
import type { AuditDetailResponse, AuditResult, ChecklistItemResponse } from './internal-audit.schemas.ts';
import { getAudit } from './internal-audit.service.ts';

/** The words of a result, the same as the audit report's. */
const resultWords: Record<AuditResult, string> = {
  conforming: 'Conforming',
  major_nonconformity: 'Major nonconformity',
  minor_nonconformity: 'Minor nonconformity',
  observation: 'Observation',
  opportunity: 'Opportunity for improvement',
};
const nonconforming = (r: AuditResult | null) => r === 'major_nonconformity' || r === 'minor_nonconformity';

export interface AuditOscalData {
  audit: AuditDetailResponse;
  scope: { id: string; name: string };
  /** the risks that rely on the controls of requirements found nonconforming (empty for a reader without risk:read) */
  risks: Awaited<ReturnType<typeof findRisksOfRequirements>>;
  generatedAt: string;
}

/** What a checklist row assessed: its catalog requirement, else its ISO/IEC 27001 clause, else the row itself. */
function targetOf(i: ChecklistItemResponse) {
  if (i.requirement) return { id: oscalToken(i.requirement.identifier), title: `${i.requirement.identifier} ${i.requirement.title}` };
  if (i.clause) return { id: oscalToken(`iso27001-${i.clause}`), title: `ISO/IEC 27001 clause ${i.clause}` };
  return { id: oscalToken(`checklist-row-${i.position}`), title: i.title };
}

/**
 * An audit as OSCAL 1.0.4 assessment results: one result for the audit, its reviewed controls (the catalog requirements
 * of its criteria and checklist), one observation per checklist row, a finding per nonconformity and opportunity
 * for improvement (targeting the requirement or clause of its row), and the risks that rely on the controls of a
 * requirement found nonconforming. The audit plan (scope, criteria, team, dates) is a back-matter resource that
 * `import-ap` points to. UUIDs are derived from the records' ids, so every export of a record names it alike.
 */
export function buildAuditOscal(d: AuditOscalData) {
  const a = d.audit;
  const key = (name: string) => uuidV5(`internal_audit:${a.id}:${name}`);
  const party = (userId: string) => uuidV5(`app_user:${userId}`);
  const observationOf = (itemId: string) => uuidV5(`internal_audit_item:${itemId}:observation`);
  const riskUuid = (riskId: string) => uuidV5(`internal_audit:${a.id}:risk:${riskId}`);
  const planResource = key('plan');
  const reportResource = key('report');
  const reference = `${a.reference} ${a.title}`;

  const people = new Map<string, { name: string; email: string }>();
  if (a.leadAuditor) people.set(a.leadAuditor.id, { name: a.leadAuditor.name, email: a.leadAuditor.email });
  for (const m of a.team) if (!people.has(m.id)) people.set(m.id, { name: m.name, email: m.email });
  const parties = [...people].map(([id, p]) => ({
    uuid: party(id),
    type: 'person',
    name: oscalText(p.name, 'A member'),
    ...(p.email.trim() && { 'email-addresses': [p.email.trim()] }),
  }));
  const assessors = a.team.filter((m) => m.id !== a.leadAuditor?.id).map((m) => party(m.id));

  const requirements = new Map<string, string>();
  for (const r of a.criteria.requirements) requirements.set(oscalToken(r.identifier), `${r.identifier} ${r.title}`);
  for (const i of a.checklist)
    if (i.requirement) requirements.set(oscalToken(i.requirement.identifier), `${i.requirement.identifier} ${i.requirement.title}`);
  const clauses = a.criteria.clauses.map((c) => `${c.clause} ${c.title}`.trim());

  const risksByRequirement = new Map<string, string[]>();
  const risks = new Map<string, AuditOscalData['risks'][number] & { controls: string[] }>();
  for (const r of d.risks) {
    risksByRequirement.set(r.requirement_id, [...new Set([...(risksByRequirement.get(r.requirement_id) ?? []), r.id])]);
    const known = risks.get(r.id);
    if (known) known.controls = [...new Set([...known.controls, r.control_reference])];
    else risks.set(r.id, { ...r, controls: [r.control_reference] });
  }

  const start = oscalDayStart(a.plannedStart);
  const observations = a.checklist.map((i) => ({
    uuid: observationOf(i.id),
    title: oscalText(`Checklist row ${i.position}: ${i.title}`, `Checklist row ${i.position}`),
    description: oscalText(
      i.notes,
      i.result ? `${resultWords[i.result]}: ${targetOf(i).title}.` : `Not assessed yet: ${targetOf(i).title}.`,
    ),
    props: [
      prop('checklist-position', String(i.position)),
      prop('row-kind', i.kind),
      prop('result', i.result ?? 'not-recorded'),
      ...(i.clause ? [prop('iso27001-clause', i.clause)] : []),
      ...(i.requirement ? [prop('requirement', i.requirement.identifier)] : []),
      ...(i.followUpOf ? [prop('follow-up-of', i.followUpOf.reference)] : []),
    ],
    methods: ['EXAMINE'],
    ...(i.sampledEvidence.length > 0 && {
      'relevant-evidence': i.sampledEvidence.map((e) => ({
        description: oscalText(`${e.reference} ${e.title}`, e.reference),
        props: [prop('evidence-reference', e.reference)],
      })),
    }),
    collected: i.recordedAt ? oscalTimestamp(i.recordedAt) : start,
    ...(i.recordedBy && { remarks: `Recorded by ${i.recordedBy}.` }),
  }));

  const findings = a.checklist
    .filter((i) => nonconforming(i.result) || i.result === 'opportunity')
    .map((i) => {
      const target = targetOf(i);
      const related = nonconforming(i.result) && i.requirement ? (risksByRequirement.get(i.requirement.id) ?? []) : [];
      return {
        uuid: uuidV5(`internal_audit_item:${i.id}:finding`),
        title: oscalText(`${resultWords[i.result!]}: ${i.title}`, resultWords[i.result!]),
        description: oscalText(i.notes, `${resultWords[i.result!]} against ${target.title}.`),
        props: [
          prop('result', i.result!),
          ...(i.finding
            ? [
                prop('improvement-record', i.finding.reference),
                prop('improvement-record-type', i.finding.type),
                prop('improvement-status', i.finding.status),
              ]
            : []),
        ],
        target: {
          type: 'objective-id',
          'target-id': target.id,
          title: oscalText(target.title, target.id),
          // an opportunity for improvement finds the requirement met, with room to do better
          status: { state: nonconforming(i.result) ? 'not-satisfied' : 'satisfied' },
        },
        'related-observations': [{ 'observation-uuid': observationOf(i.id) }],
        ...(related.length > 0 && { 'related-risks': related.map((id) => ({ 'risk-uuid': riskUuid(id) })) }),
      };
    });

  const oscalRisks = [...risks.values()].map((r) => ({
    uuid: riskUuid(r.id),
    title: oscalText(`${r.reference} ${r.title}`, r.reference),
    description: oscalText(r.description, r.title),
    statement: `The risk relies on ${r.controls.join(', ')}, whose requirement was found nonconforming in ${reference}.`,
    props: [
      prop('risk-reference', r.reference),
      prop('risk-status', r.status),
      ...(r.current_level ? [prop('current-level', r.current_level)] : []),
    ],
    status: r.status === 'closed' ? 'closed' : 'open',
  }));

  const planDescription = [
    `Audit ${reference} of ${d.scope.name}, planned from ${a.plannedStart} to ${a.plannedEnd}.`,
    a.scope.trim() && `Scope: ${a.scope.trim()}`,
    clauses.length > 0 && `ISO/IEC 27001 clauses: ${clauses.join('; ')}.`,
    requirements.size > 0 && `Requirements: ${[...requirements.values()].join('; ')}.`,
    a.criteria.processes.length > 0 && `Processes: ${a.criteria.processes.join(', ')}.`,
    a.leadAuditor && `Lead auditor: ${a.leadAuditor.name}.`,
    a.team.length > 0 && `Audit team: ${a.team.map((m) => m.name).join(', ')}.`,
  ]
    .filter(Boolean)
    .join('\n');

  return {
    'assessment-results': {
      uuid: key('assessment-results'),
      metadata: {
        title: `Assessment results: ${reference}`,
        ...(a.closedAt && { published: oscalTimestamp(a.closedAt) }),
        'last-modified': oscalTimestamp(a.closedAt ?? d.generatedAt),
        version: String(a.version),
        'oscal-version': '1.0.4',
        props: [
          prop('audit-reference', a.reference),
          prop('audit-status', a.status),
          prop('audit-source', a.source),
          ...(a.externalParty ? [prop('external-party', a.externalParty)] : []),
        ],
        ...(parties.length > 0 && {
          roles: [
            { id: 'lead-assessor', title: 'Lead auditor' },
            { id: 'assessor', title: 'Auditor' },
          ],
          parties,
          'responsible-parties': [
            ...(a.leadAuditor ? [{ 'role-id': 'lead-assessor', 'party-uuids': [party(a.leadAuditor.id)] }] : []),
            ...(assessors.length > 0 ? [{ 'role-id': 'assessor', 'party-uuids': assessors }] : []),
          ],
        }),
        remarks: `Internal audit (ISO/IEC 27001 9.2) of ${d.scope.name}, exported by Praxis on ${oscalTimestamp(d.generatedAt)}.`,
      },
      // the audit plan is described in this document's back matter
      'import-ap': { href: `#${planResource}`, remarks: `The audit plan of ${reference}.` },
      results: [
        {
          uuid: key('result'),
          title: oscalText(reference, a.reference),
          description: oscalText(a.scope, `The audit ${reference}.`),
          start,
          ...(a.closedAt && { end: oscalTimestamp(a.closedAt) }),
          props: [prop('audit-status', a.status), prop('planned-end', a.plannedEnd)],
          'reviewed-controls': {
            description: oscalText(
              clauses.length ? `ISO/IEC 27001 clauses ${clauses.join('; ')}` : '',
              requirements.size
                ? 'The catalog requirements of the audit criteria and checklist.'
                : 'No catalog requirement is in the audit criteria.',
            ),
            'control-selections': [
              requirements.size > 0
                ? { 'include-controls': [...requirements.keys()].map((id) => ({ 'control-id': id })) }
                : { description: 'No catalog requirement was selected; the audit covers ISO/IEC 27001 clauses or processes only.' },
            ],
          },
          ...(observations.length > 0 && { observations }),
          ...(oscalRisks.length > 0 && { risks: oscalRisks }),
          ...(findings.length > 0 && { findings }),
          ...(a.conclusion.trim() && { remarks: a.conclusion.trim() }),
        },
      ],
      'back-matter': {
        resources: [
          {
            uuid: planResource,
            title: `Audit plan: ${reference}`,
            description: planDescription,
            props: [prop('audit-reference', a.reference), prop('planned-start', a.plannedStart), prop('planned-end', a.plannedEnd)],
            rlinks: [{ href: `/api/scopes/${d.scope.id}/audits/${a.id}`, 'media-type': 'application/json' }],
          },
          {
            uuid: reportResource,
            title: `Audit report: ${reference}`,
            description: `The audit report of ${reference}, as a PDF.`,
            rlinks: [{ href: `/api/scopes/${d.scope.id}/audits/${a.id}/report.pdf`, 'media-type': 'application/pdf' }],
          },
        ],
      },
    },
  };
}

export const auditOscalFileName = (a: AuditDetailResponse) => `${a.reference}-assessment-results.oscal.json`;

/**
 * The OSCAL assessment results of an audit, for a reader of the audit (audit-programme:read); the risks it bears on
 * only for a reader who may read risks.
 */
export async function exportAuditOscal(deps: Deps, actor: Actor, scopeId: string, id: string) {
  const audit = await getAudit(deps, actor, scopeId, id);
  const scope = await getScope(deps, actor, scopeId);
  const requirementIds = [
    ...new Set(audit.checklist.filter((i) => nonconforming(i.result) && i.requirement).map((i) => i.requirement!.id)),
  ];
  const risks = can(actor, scopeId, 'risk:read') ? await findRisksOfRequirements(deps.db, scopeId, requirementIds) : [];
  const document = buildAuditOscal({ audit, scope: { id: scope.id, name: scope.name }, risks, generatedAt: isoNow(deps.clock) });
  return { fileName: auditOscalFileName(audit), document };
}
