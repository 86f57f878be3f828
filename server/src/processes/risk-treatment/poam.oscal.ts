import { type Actor, requireScopePermission } from '../../auth/actor.ts';
import { getScope } from '../../scopes/scope.service.ts';
import { isoNow } from '../../shared/clock.ts';
import type { Deps } from '../../shared/context.ts';
import { oscalDayStart, oscalText, oscalTimestamp, oscalToken, PRAXIS_OSCAL_NS, praxisProp as prop, uuidV5 } from '../../shared/oscal.ts';
import { findOpenNonconformities, findScopeSoa, findTreatmentsUnderWay } from './poam.repository.ts';

export interface PoamData {
  scope: { id: string; name: string };
  soa: Awaited<ReturnType<typeof findScopeSoa>>;
  nonconformities: Awaited<ReturnType<typeof findOpenNonconformities>>;
  treatments: Awaited<ReturnType<typeof findTreatmentsUnderWay>>;
  generatedAt: string;
}

const optionWords = { modify: 'Modify the risk', retain: 'Retain the risk', avoid: 'Avoid the risk', share: 'Share the risk' } as const;
const severityWords = { minor: 'Minor nonconformity', major: 'Major nonconformity', observation: 'Observation' } as const;
/** OSCAL's risk states: a nonconformity whose corrective actions are under way, or being checked, is remediating */
const ncRiskStatus = { open: 'open', in_progress: 'remediating', effectiveness_check: 'remediating' } as const;
const open = (status: string) => status === 'open' || status === 'in_progress';
const parseList = (json: string) => {
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.trim() !== '') : [];
  } catch {
    return [];
  }
};
/** the latest due date among the given actions still open, as an OSCAL deadline */
const deadlineOf = (actions: { status: string; due_on: string | null }[]) => {
  const due = actions
    .filter((a) => open(a.status) && a.due_on)
    .map((a) => a.due_on!)
    .sort()
    .at(-1);
  return due ? { deadline: oscalDayStart(due) } : {};
};

/**
 * The scope's plan of action and milestones as OSCAL 1.0.4: a POA&M item for every nonconformity not closed (with its
 * observation, finding and risk, the corrective actions as the tasks of its remediation) and for every risk whose
 * treatment is decided and under way (the treatment plan as the remediation, its actions as tasks with their due dates).
 * `import-ssp` points to a back-matter resource naming the scope's Statement of Applicability, whose OSCAL SSP export
 * it links. UUIDs are derived from the records' ids, so every export names a record alike.
 */
export function buildPoamOscal(d: PoamData) {
  const key = (name: string) => uuidV5(`poam:${d.scope.id}:${name}`);
  const party = (userId: string) => uuidV5(`app_user:${userId}`);
  const sspResource = key('ssp');

  const people = new Map<string, string>();
  const person = (id: string | null, name: string | null) => {
    if (id && name) people.set(id, name);
    return id && name ? party(id) : null;
  };
  const responsible = (roleId: string, id: string | null, name: string | null) => {
    const p = person(id, name);
    return p ? { 'responsible-roles': [{ 'role-id': roleId, 'party-uuids': [p] }] } : {};
  };

  const observations: object[] = [];
  const findings: object[] = [];
  const risks: object[] = [];
  const items: object[] = [];

  for (const n of d.nonconformities) {
    const observation = uuidV5(`nonconformity:${n.id}:observation`);
    const finding = uuidV5(`nonconformity:${n.id}:finding`);
    const risk = uuidV5(`nonconformity:${n.id}:risk`);
    const title = oscalText(`${n.reference} ${n.title}`, n.reference);
    const rootCause = parseList(n.root_cause);
    observations.push({
      uuid: observation,
      title,
      description: oscalText(n.description, n.title),
      props: [prop('source', n.source), ...(n.source_record_ref ? [prop('source-record', n.source_record_ref)] : [])],
      methods: ['EXAMINE'],
      collected: oscalTimestamp(n.created_at),
    });
    findings.push({
      uuid: finding,
      title,
      description: oscalText(n.description, `${severityWords[n.severity]}: ${n.title}.`),
      props: [prop('nonconformity-reference', n.reference), prop('severity', n.severity), prop('nonconformity-status', n.status)],
      target: {
        type: 'objective-id',
        'target-id': oscalToken(n.requirement.trim() ? n.requirement : `nonconformity-${n.reference}`),
        title: oscalText(n.requirement, 'The requirement is not named.'),
        status: { state: 'not-satisfied' },
      },
      'related-observations': [{ 'observation-uuid': observation }],
      'related-risks': [{ 'risk-uuid': risk }],
    });
    risks.push({
      uuid: risk,
      title,
      description: oscalText(n.description, n.title),
      statement: oscalText(
        rootCause.length ? `Root cause: ${rootCause.join(' → ')}` : '',
        `${severityWords[n.severity]}; its root cause is not recorded yet.`,
      ),
      props: [prop('nonconformity-reference', n.reference), prop('nonconformity-status', n.status)],
      status: ncRiskStatus[n.status as keyof typeof ncRiskStatus] ?? 'open',
      ...deadlineOf(n.actions),
      ...(n.actions.length > 0 && {
        remediations: [
          {
            uuid: uuidV5(`nonconformity:${n.id}:corrective-actions`),
            lifecycle: 'planned',
            title: `Corrective actions of ${n.reference}`,
            description: oscalText(
              n.immediate_correction ? `Immediate correction: ${n.immediate_correction}` : '',
              'Corrective actions (ISO/IEC 27001 10.2).',
            ),
            tasks: n.actions.map((a) => ({
              uuid: uuidV5(`task:${a.id}`),
              type: 'action',
              title: oscalText(`${a.reference} ${a.title}`, a.reference),
              props: [prop('task-reference', a.reference), prop('status', a.status)],
              ...(a.due_on && { timing: { 'on-date': { date: oscalDayStart(a.due_on) } } }),
              ...responsible('action-owner', a.assignee_id, a.assignee_name),
            })),
          },
        ],
      }),
    });
    person(n.owner_id, n.owner_name);
    items.push({
      uuid: uuidV5(`nonconformity:${n.id}:poam-item`),
      title,
      description: oscalText(
        `${severityWords[n.severity]}. ${n.actions.filter((a) => open(a.status)).length} of ${n.actions.length} corrective actions open.`,
        title,
      ),
      props: [
        prop('kind', 'nonconformity'),
        prop('nonconformity-reference', n.reference),
        prop('status', n.status),
        ...(n.owner_name ? [prop('owner', n.owner_name)] : []),
        ...(n.effectiveness_due_on ? [prop('effectiveness-check-due', n.effectiveness_due_on)] : []),
      ],
      'related-findings': [{ 'finding-uuid': finding }],
      'related-observations': [{ 'observation-uuid': observation }],
      'related-risks': [{ 'risk-uuid': risk }],
    });
  }

  for (const t of d.treatments) {
    const risk = uuidV5(`risk:${t.risk_id}`);
    const title = oscalText(`${t.risk_reference} ${t.risk_title}`, t.risk_reference);
    const objectives = parseList(t.objectives);
    person(t.risk_owner_id, t.risk_owner_name);
    risks.push({
      uuid: risk,
      title,
      description: oscalText(t.risk_description, t.risk_title),
      statement: oscalText(t.rationale, `${optionWords[t.option]} (${t.reference}).`),
      props: [
        prop('risk-reference', t.risk_reference),
        prop('risk-status', t.risk_status),
        ...(t.current_level ? [prop('current-level', t.current_level)] : []),
        ...(t.target_level ? [prop('target-level', t.target_level)] : []),
        ...(t.risk_owner_name ? [prop('risk-owner', t.risk_owner_name)] : []),
      ],
      status: 'remediating',
      ...deadlineOf(t.actions),
      remediations: [
        {
          uuid: uuidV5(`risk_treatment:${t.id}:plan`),
          lifecycle: 'planned',
          title: `Treatment ${t.reference}: ${optionWords[t.option]}`,
          description: oscalText(objectives.length ? `Control objectives: ${objectives.join('; ')}` : '', optionWords[t.option]),
          props: [
            prop('treatment-reference', t.reference),
            prop('option', t.option),
            ...(t.decided_at ? [prop('decided-at', oscalTimestamp(t.decided_at))] : []),
          ],
          ...(t.actions.length > 0 && {
            tasks: t.actions.map((a) => ({
              uuid: uuidV5(`treatment_action:${a.id}`),
              type: 'action',
              title: oscalText(a.title, 'Action'),
              props: [
                prop('status', a.status),
                ...(a.cost_estimate !== null ? [prop('cost-estimate', String(Number(a.cost_estimate)))] : []),
              ],
              ...(a.due_on && { timing: { 'on-date': { date: oscalDayStart(a.due_on) } } }),
              ...responsible('action-owner', a.owner_id, a.owner_name),
            })),
          }),
        },
      ],
    });
    items.push({
      uuid: uuidV5(`risk_treatment:${t.id}:poam-item`),
      title,
      description: `${optionWords[t.option]} (${t.reference}): ${t.actions.filter((a) => open(a.status)).length} of ${t.actions.length} actions open.`,
      props: [prop('kind', 'risk-treatment'), prop('treatment-reference', t.reference), prop('risk-reference', t.risk_reference)],
      'related-risks': [{ 'risk-uuid': risk }],
    });
  }

  const soaHref = d.soa
    ? `/api/scopes/${d.scope.id}/soa/${d.soa.id}/export.json${d.soa.approved_number !== null ? `?version=${d.soa.approved_number}` : ''}`
    : null;
  const parties = [...people].map(([id, name]) => ({ uuid: party(id), type: 'person', name: oscalText(name, 'A member') }));
  return {
    'plan-of-action-and-milestones': {
      uuid: key('poam'),
      metadata: {
        title: `Plan of action and milestones — ${d.scope.name}`,
        'last-modified': oscalTimestamp(d.generatedAt),
        version: oscalTimestamp(d.generatedAt),
        'oscal-version': '1.0.4',
        ...(parties.length > 0 && { roles: [{ id: 'action-owner', title: 'Owner of an action' }], parties }),
        remarks: `Open corrective actions (ISO/IEC 27001 10.2) and risk treatment plans under way (6.1.3, 8.3) of ${d.scope.name}, exported by Praxis on ${oscalTimestamp(d.generatedAt)}.`,
      },
      // the system security plan is the scope's Statement of Applicability, described in this document's back matter
      'import-ssp': { href: `#${sspResource}`, remarks: `The Statement of Applicability of ${d.scope.name}.` },
      'system-id': { 'identifier-type': PRAXIS_OSCAL_NS, id: d.scope.id },
      ...(observations.length > 0 && { observations }),
      ...(risks.length > 0 && { risks }),
      ...(findings.length > 0 && { findings }),
      'poam-items': items,
      'back-matter': {
        resources: [
          {
            uuid: sspResource,
            title: d.soa
              ? oscalText(`${d.soa.reference} ${d.soa.title}`, d.soa.reference)
              : `Statement of Applicability of ${d.scope.name}`,
            description: d.soa
              ? `The Statement of Applicability of ${d.scope.name}${d.soa.approved_number !== null ? `, approved version ${d.soa.approved_number}` : ', not approved yet'}, as an OSCAL system security plan.`
              : `The scope ${d.scope.name} has no Statement of Applicability yet.`,
            ...(soaHref && { rlinks: [{ href: soaHref, 'media-type': 'application/json' }] }),
          },
        ],
      },
    },
  };
}

export const poamFileName = (generatedAt: string) => `poam-${generatedAt.slice(0, 10)}.oscal.json`;

/**
 * The POA&M of a scope, for a reader of both what it holds: nonconformities (improvement:read) and risks with their
 * treatment (risk:read).
 */
export async function exportPoamOscal(deps: Deps, actor: Actor, scopeId: string) {
  requireScopePermission(actor, scopeId, 'risk:read');
  requireScopePermission(actor, scopeId, 'improvement:read');
  const scope = await getScope(deps, actor, scopeId);
  const [soa, nonconformities, treatments] = await Promise.all([
    findScopeSoa(deps.db, scopeId),
    findOpenNonconformities(deps.db, scopeId),
    findTreatmentsUnderWay(deps.db, scopeId),
  ]);
  const generatedAt = isoNow(deps.clock);
  const document = buildPoamOscal({ scope: { id: scope.id, name: scope.name }, soa, nonconformities, treatments, generatedAt });
  return { fileName: poamFileName(generatedAt), document };
}
