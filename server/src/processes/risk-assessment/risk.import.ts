import type { Actor } from '../../auth/actor.ts';
import { toBool } from '../../db/column.ts';
import type { Executor } from '../../db/database.ts';
import type { Deps } from '../../shared/context.ts';
import { type ImportDeclaration, type ImportProgress, type ImportRequest, runImport } from '../../shared/import/import-engine.ts';
import {
  loadMembers,
  type Member,
  matchDay,
  matchScale,
  matchYesNo,
  memberMatcher,
  recordMatcher,
  sameSet,
  splitList,
} from '../../shared/import/import-matchers.ts';
import { threatTitle } from './bsi-elementary-threats.de.ts';
import { findCurrentMethod, findScopeProfile } from './risk-method.repository.ts';
import { defaultMethod, parseMethod, type RiskMethod } from './risk-method.ts';
import { methodIn } from './risk-method.texts.ts';
import { supportedLanguages } from '../../i18n/i18n.ts';
import type { RiskTable } from './risk-assessment.tables.ts';
import { type RiskImportField, type RiskImportReport, riskImportFields } from './risk.import.schemas.ts';
import { type CreateRiskInput, createRiskBody, scoringFields, type UpdateRiskInput, updateRiskBody } from './risk.schemas.ts';
import { createCheckedRiskTx, updateRiskTx } from './risk.service.ts';

/*
 * Spreadsheet import of the risk register on the import engine (shared/import/): the fields, the words that name them,
 * the matchers (owners among the members, threats by code or title — the BSI elementary threats G 0.x, by their English
 * or official German title, and the scope's own —, linked assets by reference or name, C/I/A as yes/no, likelihood and impact on the scope's current scales, the
 * review date), and the write: each row through the risk service (createCheckedRiskTx, updateRiskTx), so that levels,
 * ranks, status, hand-offs and audit entries are those of a risk entered in the form. A row updates the risk of its
 * reference, else creates one.
 */

const headerWords: Record<RiskImportField, string[]> = {
  reference: ['reference', 'ref', 'referenz', 'kennung', 'id', 'riskid', 'risikoid', 'nr', 'nummer'],
  title: ['title', 'risk', 'name', 'risktitle', 'titel', 'risiko', 'bezeichnung', 'szenario', 'scenario'],
  description: ['description', 'beschreibung', 'details', 'notes', 'notizen', 'bemerkung'],
  threat: ['threat', 'threatcode', 'gefährdung', 'gefaehrdung', 'bedrohung', 'elementargefährdung'],
  vulnerability: ['vulnerability', 'weakness', 'schwachstelle', 'verwundbarkeit'],
  owner: ['owner', 'owneremail', 'riskowner', 'responsible', 'risikoeigentümer', 'verantwortlich', 'verantwortlicher'],
  assets: ['assets', 'asset', 'affectedassets', 'zielobjekte', 'werte', 'betroffeneassets'],
  confidentiality: ['confidentiality', 'c', 'vertraulichkeit', 'v'],
  integrity: ['integrity', 'i', 'integrität', 'integritaet'],
  availability: ['availability', 'a', 'verfügbarkeit', 'verfuegbarkeit'],
  inherentLikelihood: [
    'inherentlikelihood',
    'grosslikelihood',
    'bruttowahrscheinlichkeit',
    'bruttoeintrittswahrscheinlichkeit',
    'inhärenteeintrittswahrscheinlichkeit',
  ],
  inherentImpact: ['inherentimpact', 'grossimpact', 'bruttoauswirkung', 'bruttoschadenshöhe', 'inhärenteauswirkung'],
  currentLikelihood: [
    'currentlikelihood',
    'likelihood',
    'wahrscheinlichkeit',
    'eintrittswahrscheinlichkeit',
    'aktuelleeintrittswahrscheinlichkeit',
  ],
  currentImpact: ['currentimpact', 'impact', 'auswirkung', 'schadenshöhe', 'schadenshoehe', 'aktuelleauswirkung'],
  targetLikelihood: ['targetlikelihood', 'zielwahrscheinlichkeit', 'zieleintrittswahrscheinlichkeit'],
  targetImpact: ['targetimpact', 'zielauswirkung', 'zielschadenshöhe'],
  nextReviewOn: [
    'nextreviewon',
    'nextreview',
    'reviewdate',
    'review',
    'nächsteprüfung',
    'nächsteüberprüfung',
    'überprüfung',
    'wiedervorlage',
  ],
};

interface ExistingRisk {
  row: RiskTable;
  assetIds: string[];
}
interface Known {
  members: Member[];
  risks: Map<string, ExistingRisk>;
  threats: { id: string; reference: string; name: string }[];
  assets: { id: string; reference: string; name: string }[];
  method: RiskMethod;
}
type RiskRowInput = { create: CreateRiskInput } | { update: UpdateRiskInput };

async function loadKnown(db: Executor, _deps: Deps, scopeId: string): Promise<Known> {
  const [members, risks, links, threats, assets, method, profile] = await Promise.all([
    loadMembers(db, scopeId),
    db.selectFrom('risk').selectAll().where('scope_id', '=', scopeId).execute(),
    db
      .selectFrom('risk_asset')
      .innerJoin('risk', 'risk.id', 'risk_asset.risk_id')
      .select(['risk_asset.risk_id', 'risk_asset.asset_id'])
      .where('risk.scope_id', '=', scopeId)
      .execute(),
    db
      .selectFrom('threat')
      .select(['id', 'code', 'title', 'scope_id'])
      .where((eb) => eb.or([eb('scope_id', 'is', null), eb('scope_id', '=', scopeId)]))
      .execute(),
    db.selectFrom('asset').select(['id', 'reference', 'name']).where('scope_id', '=', scopeId).execute(),
    findCurrentMethod(db, scopeId),
    findScopeProfile(db, scopeId),
  ]);
  const assetIdsOf = new Map<string, string[]>();
  for (const l of links) assetIdsOf.set(l.risk_id, [...(assetIdsOf.get(l.risk_id) ?? []), l.asset_id]);
  return {
    members,
    risks: new Map(risks.map((r) => [r.reference.toUpperCase(), { row: r, assetIds: assetIdsOf.get(r.id) ?? [] }])),
    // "G 0.14", "g0.14" and "G 0.14 Interception of information" name one threat; a built-in one also by its title in
    // every language Praxis shows it ("Abfangen kompromittierender Strahlung": the official German title)
    threats: threats.flatMap((t) => {
      const reference = t.code.replace(/\s+/g, '');
      const titles = new Set([t.title]);
      if (t.scope_id === null) for (const lang of supportedLanguages) titles.add(threatTitle({ ...t, builtin: true }, lang));
      return [...titles].map((name) => ({ id: t.id, reference, name }));
    }),
    assets,
    method: method ? parseMethod(method.definition) : defaultMethod(profile ?? 'small'),
  };
}

/**
 * A value on one of the method's scales: its number or its label as stored, or a built-in label as any language shows
 * it (a German file says "Selten" where the default method stores "Rare").
 */
function matchScaleInAnyLanguage(value: string, method: RiskMethod, scale: 'likelihood' | 'impact') {
  const stored = matchScale(value, method[scale]);
  if (stored.ok) return stored;
  for (const lang of supportedLanguages) {
    const shown = matchScale(value, methodIn(method, lang)[scale]);
    if (shown.ok) return shown;
  }
  return stored;
}

const columnOfScoring = {
  inherentLikelihood: 'inherent_likelihood',
  inherentImpact: 'inherent_impact',
  currentLikelihood: 'current_likelihood',
  currentImpact: 'current_impact',
  targetLikelihood: 'target_likelihood',
  targetImpact: 'target_impact',
} as const;

/** The risk register's import: fields, matchers, and each row through the risk service. */
export const riskImport: ImportDeclaration<RiskImportField, Known, RiskRowInput> = {
  kind: 'risks',
  permission: 'risk:write',
  fields: riskImportFields,
  headerWords,
  identifiedBy: ['title', 'reference'],
  referenceField: 'reference',
  texts: 'riskImport',
  load: loadKnown,
  fieldOfApi: { ownerId: 'owner', threatId: 'threat', assetIds: 'assets', consequences: 'confidentiality' },

  planRow(row, known) {
    const { values, given } = row;
    const existing = values.reference ? known.risks.get(values.reference.toUpperCase()) : undefined;
    const input: Record<string, unknown> = {};
    if (given('title')) input.title = values.title;
    if (given('description')) input.description = values.description;
    if (given('vulnerability')) input.vulnerability = values.vulnerability;
    if (given('owner')) input.ownerId = row.match('owner', memberMatcher(known.members)(values.owner!));
    if (given('threat')) {
      const match = recordMatcher(known.threats, { unknown: 'unknownThreat', ambiguous: 'ambiguousThreat' });
      input.threatId = row.match('threat', match(codeOrTitle(values.threat!, known.threats)));
    }
    if (given('assets')) {
      const match = recordMatcher(known.assets, { unknown: 'unknownAsset', ambiguous: 'ambiguousAsset' });
      const ids = splitList(values.assets!).map((a) => row.match('assets', match(a)));
      if (ids.every((id) => id !== undefined)) input.assetIds = [...new Set(ids as string[])];
    }
    const cia = (['confidentiality', 'integrity', 'availability'] as const).filter((c) => given(c));
    if (cia.length) {
      const before = existing
        ? {
            confidentiality: toBool(existing.row.consequences_c),
            integrity: toBool(existing.row.consequences_i),
            availability: toBool(existing.row.consequences_a),
          }
        : { confidentiality: false, integrity: false, availability: false };
      const consequences = { ...before };
      for (const c of cia) {
        const v = row.match(c, matchYesNo(values[c]!));
        if (v !== undefined) consequences[c] = v;
      }
      input.consequences = consequences;
    }
    for (const f of scoringFields) {
      if (!given(f)) continue;
      input[f] = row.match(f, matchScaleInAnyLanguage(values[f]!, known.method, f.endsWith('Likelihood') ? 'likelihood' : 'impact'));
    }
    if (given('nextReviewOn')) input.nextReviewOn = row.match('nextReviewOn', matchDay(values.nextReviewOn!));

    // a title cell with a formula is refused as such
    const formulaTitle = row.mapped('title') && values.title === undefined;
    if (!existing && !input.title && !formulaTitle) row.refuse('title', 'required', { column: row.column('title') });
    const name = (input.title as string | undefined) ?? existing?.row.title ?? null;
    const plan = (risk: RiskRowInput, unchanged = false) => ({
      existing: existing ? { id: existing.row.id, reference: existing.row.reference, version: existing.row.version } : null,
      name,
      input: risk,
      unchanged,
    });
    if (row.refused()) return plan({ create: input as CreateRiskInput });

    if (!existing) {
      const parsed = createRiskBody.safeParse(input);
      if (parsed.success) return plan({ create: parsed.data });
      row.refuseIssues(parsed.error.issues);
      return plan({ create: input as CreateRiskInput });
    }
    // an update sends only what differs from the stored risk
    const r = existing.row;
    const changed: Record<string, unknown> = {};
    const differs = (key: string, stored: unknown) => input[key] !== undefined && input[key] !== stored;
    if (differs('title', r.title)) changed.title = input.title;
    if (differs('description', r.description)) changed.description = input.description;
    if (differs('vulnerability', r.vulnerability)) changed.vulnerability = input.vulnerability;
    if (differs('ownerId', r.owner_id)) changed.ownerId = input.ownerId;
    if (differs('threatId', r.threat_id)) changed.threatId = input.threatId;
    if (differs('nextReviewOn', r.next_review_on)) changed.nextReviewOn = input.nextReviewOn;
    for (const f of scoringFields) if (differs(f, r[columnOfScoring[f]])) changed[f] = input[f];
    const c = input.consequences as Record<string, boolean> | undefined;
    if (
      c &&
      (c.confidentiality !== toBool(r.consequences_c) ||
        c.integrity !== toBool(r.consequences_i) ||
        c.availability !== toBool(r.consequences_a))
    )
      changed.consequences = c;
    if (input.assetIds && !sameSet(input.assetIds as string[], existing.assetIds)) changed.assetIds = input.assetIds;
    const parsed = updateRiskBody.safeParse({ ...changed, version: r.version });
    if (parsed.success) return plan({ update: parsed.data }, Object.keys(changed).length === 0);
    row.refuseIssues(parsed.error.issues);
    return plan({ create: input as CreateRiskInput });
  },

  async writeRow(tx, deps, actor, scopeId, row) {
    if ('create' in row.input) return (await createCheckedRiskTx(tx, deps, actor, scopeId, row.input.create)).reference;
    return (await updateRiskTx(tx, deps, actor, scopeId, row.id, row.input.update)).reference;
  },
};

/** "G 0.14 Interception of information" → "G0.14" when it starts with a known code; else the value as given. */
function codeOrTitle(value: string, threats: Known['threats']): string {
  const first = value.trim().split(/\s+/).slice(0, 2).join('');
  return threats.some((t) => t.reference.toLowerCase() === first.toLowerCase()) ? first : value.trim();
}

export type RiskImportRequest = ImportRequest<RiskImportField>;

/** Dry run or import of a risk spreadsheet into a scope (see runImport). */
export function importRisks(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  request: RiskImportRequest,
  lang = 'en',
  onProgress?: ImportProgress,
): Promise<RiskImportReport> {
  return runImport(riskImport, deps, actor, scopeId, request, lang, onProgress);
}
