import type { Actor } from '../../auth/actor.ts';
import type { Executor } from '../../db/database.ts';
import type { Deps } from '../../shared/context.ts';
import { type ImportDeclaration, type ImportProgress, type ImportRequest, runImport } from '../../shared/import/import-engine.ts';
import {
  loadMembers,
  type Member,
  type Matched,
  matchDay,
  matchWord,
  memberMatcher,
  recordMatcher,
  sameSet,
  splitList,
} from '../../shared/import/import-matchers.ts';
import type { ControlTable } from './control-implementation.tables.ts';
import { type ControlImportField, type ControlImportReport, controlImportFields } from './control.import.schemas.ts';
import {
  type ControlEffectiveness,
  type ControlStatus,
  type CreateControlInput,
  controlEffectiveness,
  controlStatuses,
  createControlBody,
  type UpdateControlInput,
  updateControlBody,
} from './control.schemas.ts';
import { createControlTx, updateControlTx } from './control.service.ts';

/*
 * Spreadsheet import of the control library on the import engine (shared/import/): the fields, the words that name
 * them, the matchers (owners among the members, catalog requirements by identifier — Annex A's A.5.1 or an imported
 * catalog's —, risks by reference or title, status and effectiveness in English or German, amounts, dates), and the
 * write: each row through the control service (createControlTx, updateControlTx), so that the date rules, the day of
 * implementation, the first verification, the hand-over of implementation tasks and the audit entries are those of the
 * form. A row updates the control of its reference, else creates one.
 */

const headerWords: Record<ControlImportField, string[]> = {
  reference: ['reference', 'ref', 'referenz', 'kennung', 'id', 'controlid', 'nr', 'nummer'],
  title: ['title', 'control', 'name', 'controltitle', 'titel', 'maßnahme', 'massnahme', 'bezeichnung'],
  description: ['description', 'beschreibung', 'details', 'notes', 'notizen', 'bemerkung', 'umsetzung'],
  owner: ['owner', 'owneremail', 'controlowner', 'responsible', 'verantwortlich', 'verantwortlicher'],
  status: ['status', 'implementationstatus', 'umsetzungsstatus', 'stand'],
  effectiveness: ['effectiveness', 'wirksamkeit', 'effektivität'],
  costEstimate: ['costestimate', 'cost', 'costs', 'kosten', 'kostenschätzung', 'geschätztekosten', 'aufwand'],
  dueOn: ['dueon', 'due', 'duedate', 'fällig', 'fälligam', 'frist', 'termin'],
  implementedOn: ['implementedon', 'implemented', 'implementationdate', 'umgesetztam', 'umsetzungsdatum'],
  nextVerificationOn: [
    'nextverificationon',
    'nextverification',
    'verification',
    'nächsteverifizierung',
    'nächsteprüfung',
    'prüfung',
    'wirksamkeitsprüfung',
  ],
  requirements: ['requirements', 'requirement', 'annexa', 'anhanga', 'controls', 'anforderungen', 'anforderung', 'referenzmaßnahmen'],
  risks: ['risks', 'risk', 'risiken', 'risiko'],
};

const statusWords: Record<string, ControlStatus> = {
  geplant: 'planned',
  open: 'planned',
  offen: 'planned',
  inprogress: 'in_progress',
  inumsetzung: 'in_progress',
  inbearbeitung: 'in_progress',
  begonnen: 'in_progress',
  done: 'implemented',
  umgesetzt: 'implemented',
  implementiert: 'implemented',
  geprüft: 'verified',
  verifiziert: 'verified',
  na: 'not_applicable',
  notapplicable: 'not_applicable',
  nichtanwendbar: 'not_applicable',
  entbehrlich: 'not_applicable',
};
const effectivenessWords: Record<string, ControlEffectiveness> = {
  notassessed: 'not_assessed',
  nichtbewertet: 'not_assessed',
  unwirksam: 'ineffective',
  nichtwirksam: 'ineffective',
  partiallyeffective: 'partially_effective',
  partly: 'partially_effective',
  teilweisewirksam: 'partially_effective',
  teilweise: 'partially_effective',
  wirksam: 'effective',
};

interface ExistingControl {
  row: ControlTable;
  requirementIds: string[];
  riskIds: string[];
}
interface Known {
  members: Member[];
  controls: Map<string, ExistingControl>;
  /** a requirement's label, identifier and "catalog-key label" (lower case, spaces collapsed) → its ids */
  requirements: Map<string, string[]>;
  risks: { id: string; reference: string; name: string }[];
}
type ControlRowInput = { create: CreateControlInput } | { update: UpdateControlInput };

const key = (s: string) => s.trim().toLowerCase().replace(/\s+/g, ' ');

async function loadKnown(db: Executor, _deps: Deps, scopeId: string): Promise<Known> {
  const [members, controls, requirementLinks, riskLinks, requirements, risks] = await Promise.all([
    loadMembers(db, scopeId),
    db.selectFrom('control').selectAll().where('scope_id', '=', scopeId).execute(),
    db
      .selectFrom('control_requirement')
      .innerJoin('control', 'control.id', 'control_requirement.control_id')
      .select(['control_requirement.control_id', 'control_requirement.requirement_id'])
      .where('control.scope_id', '=', scopeId)
      .execute(),
    db
      .selectFrom('control_risk')
      .innerJoin('control', 'control.id', 'control_risk.control_id')
      .select(['control_risk.control_id', 'control_risk.risk_id'])
      .where('control.scope_id', '=', scopeId)
      .execute(),
    db
      .selectFrom('catalog_requirement')
      .innerJoin('catalog', 'catalog.id', 'catalog_requirement.catalog_id')
      .select(['catalog_requirement.id', 'catalog_requirement.identifier', 'catalog_requirement.label', 'catalog.key'])
      .where('catalog_requirement.kind', '=', 'control')
      .where((eb) => eb.or([eb('catalog.scope_id', 'is', null), eb('catalog.scope_id', '=', scopeId)]))
      .execute(),
    db.selectFrom('risk').select(['id', 'reference', 'title as name']).where('scope_id', '=', scopeId).execute(),
  ]);
  const linksOf = (links: { control_id: string; target: string }[]) => {
    const out = new Map<string, string[]>();
    for (const l of links) out.set(l.control_id, [...(out.get(l.control_id) ?? []), l.target]);
    return out;
  };
  const reqs = linksOf(requirementLinks.map((l) => ({ control_id: l.control_id, target: l.requirement_id })));
  const rsks = linksOf(riskLinks.map((l) => ({ control_id: l.control_id, target: l.risk_id })));
  const byKey = new Map<string, string[]>();
  const add = (k: string, id: string) => {
    const ids = byKey.get(key(k)) ?? [];
    if (!ids.includes(id)) byKey.set(key(k), [...ids, id]);
  };
  for (const r of requirements) {
    for (const k of new Set([r.label, r.identifier])) {
      add(k, r.id);
      add(`${r.key} ${k}`, r.id);
    }
  }
  return {
    members,
    controls: new Map(
      controls.map((c) => [c.reference.toUpperCase(), { row: c, requirementIds: reqs.get(c.id) ?? [], riskIds: rsks.get(c.id) ?? [] }]),
    ),
    requirements: byKey,
    risks,
  };
}

function matchRequirement(requirements: Known['requirements'], value: string): Matched<string> {
  const ids = requirements.get(key(value)) ?? [];
  if (ids.length === 1) return { ok: true, value: ids[0]! };
  return { ok: false, refusal: { key: ids.length ? 'ambiguousRequirement' : 'unknownRequirement', params: { value } } };
}

function matchCost(value: string): Matched<number> {
  const n = Number(value.replace(/\s/g, '').replace(/[€$]/g, '').replace(',', '.'));
  return Number.isFinite(n) && n >= 0 ? { ok: true, value: n } : { ok: false, refusal: { key: 'badCost', params: { value } } };
}

/** The control library's import: fields, matchers, and each row through the control service. */
export const controlImport: ImportDeclaration<ControlImportField, Known, ControlRowInput> = {
  kind: 'controls',
  permission: 'control:write',
  fields: controlImportFields,
  headerWords,
  identifiedBy: ['title', 'reference'],
  referenceField: 'reference',
  texts: 'controlImport',
  load: loadKnown,
  fieldOfApi: { ownerId: 'owner', requirementIds: 'requirements', riskIds: 'risks' },

  planRow(row, known) {
    const { values, given } = row;
    const existing = values.reference ? known.controls.get(values.reference.toUpperCase()) : undefined;
    const input: Record<string, unknown> = {};
    if (given('title')) input.title = values.title;
    if (given('description')) input.description = values.description;
    if (given('owner')) input.ownerId = row.match('owner', memberMatcher(known.members)(values.owner!));
    if (given('status')) input.status = row.match('status', matchWord(values.status!, statusWords, controlStatuses, 'controlStatus'));
    if (given('effectiveness'))
      input.effectiveness = row.match(
        'effectiveness',
        matchWord(values.effectiveness!, effectivenessWords, controlEffectiveness, 'controlEffectiveness'),
      );
    if (given('costEstimate')) input.costEstimate = row.match('costEstimate', matchCost(values.costEstimate!));
    for (const f of ['dueOn', 'implementedOn', 'nextVerificationOn'] as const) if (given(f)) input[f] = row.match(f, matchDay(values[f]!));
    if (given('requirements')) {
      const ids = splitList(values.requirements!).map((r) => row.match('requirements', matchRequirement(known.requirements, r)));
      if (ids.every((id) => id !== undefined)) input.requirementIds = [...new Set(ids as string[])];
    }
    if (given('risks')) {
      const match = recordMatcher(known.risks, { unknown: 'unknownRisk', ambiguous: 'ambiguousRisk' });
      const ids = splitList(values.risks!).map((r) => row.match('risks', match(r)));
      if (ids.every((id) => id !== undefined)) input.riskIds = [...new Set(ids as string[])];
    }

    // a title cell with a formula is refused as such
    const formulaTitle = row.mapped('title') && values.title === undefined;
    if (!existing && !input.title && !formulaTitle) row.refuse('title', 'required', { column: row.column('title') });
    const name = (input.title as string | undefined) ?? existing?.row.title ?? null;
    const plan = (control: ControlRowInput, unchanged = false) => ({
      existing: existing ? { id: existing.row.id, reference: existing.row.reference, version: existing.row.version } : null,
      name,
      input: control,
      unchanged,
    });
    if (row.refused()) return plan({ create: input as CreateControlInput });

    if (!existing) {
      const parsed = createControlBody.safeParse(input);
      if (parsed.success) return plan({ create: parsed.data });
      row.refuseIssues(parsed.error.issues);
      return plan({ create: input as CreateControlInput });
    }
    // an update sends only what differs from the stored control
    const c = existing.row;
    const stored: Record<string, unknown> = {
      title: c.title,
      description: c.description,
      ownerId: c.owner_id,
      status: c.status,
      effectiveness: c.effectiveness,
      costEstimate: c.cost_estimate === null ? null : Number(c.cost_estimate),
      dueOn: c.due_on?.slice(0, 10) ?? null,
      implementedOn: c.implemented_on?.slice(0, 10) ?? null,
      nextVerificationOn: c.next_verification_on?.slice(0, 10) ?? null,
    };
    const changed: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(stored)) if (input[k] !== undefined && input[k] !== v) changed[k] = input[k];
    if (input.requirementIds && !sameSet(input.requirementIds as string[], existing.requirementIds))
      changed.requirementIds = input.requirementIds;
    if (input.riskIds && !sameSet(input.riskIds as string[], existing.riskIds)) changed.riskIds = input.riskIds;
    const parsed = updateControlBody.safeParse({ ...changed, version: c.version });
    if (parsed.success) return plan({ update: parsed.data }, Object.keys(changed).length === 0);
    row.refuseIssues(parsed.error.issues);
    return plan({ create: input as CreateControlInput });
  },

  async writeRow(tx, deps, actor, scopeId, row) {
    if ('create' in row.input) return (await createControlTx(tx, deps, actor, scopeId, row.input.create)).reference;
    return (await updateControlTx(tx, deps, actor, scopeId, row.id, row.input.update)).reference;
  },
};

export type ControlImportRequest = ImportRequest<ControlImportField>;

/** Dry run or import of a control spreadsheet into a scope (see runImport). */
export function importControls(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  request: ControlImportRequest,
  lang = 'en',
  onProgress?: ImportProgress,
): Promise<ControlImportReport> {
  return runImport(controlImport, deps, actor, scopeId, request, lang, onProgress);
}
