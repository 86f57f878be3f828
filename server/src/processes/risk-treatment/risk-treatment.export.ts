import { stringify } from 'csv-stringify/sync';
import { type Actor, requireScopePermission } from '../../auth/actor.ts';
import { longReads } from '../../db/long-reads.ts';
import { exportTexts } from '../../i18n/export-texts.ts';
import { fallbackLanguage } from '../../i18n/i18n.ts';
import type { Deps } from '../../shared/context.ts';
import { csvCell } from '../../shared/csv.ts';
import type { ExportTreatmentsQuery } from './risk-treatment.schemas.ts';
import * as repo from './risk-treatment.repository.ts';

const csvColumns = [
  'treatment',
  'risk',
  'risk_title',
  'option',
  'status',
  'decided_by',
  'decided_at',
  'objectives',
  'controls',
  'action',
  'action_owner',
  'action_due_on',
  'action_status',
  'cost_estimate',
] as const;

/**
 * The risk treatment plan as CSV (ISO 27001 6.1.3 e): one row per action of each matching treatment (a treatment without
 * actions is one row), in the order of the treatments' references. It reads in one ordered pass by keyset, three
 * statements per batch of treatments (the treatments with their risks, their controls, their actions) however many
 * rows; on SQLite the batches run off the main thread (db/long-reads.ts). The permission check runs at once, so a
 * refusal is still a clean 403/404. Headers and words speak `lang` (the English ones are the columns' and values' codes);
 * cells that spreadsheets would run as formulas are neutralised.
 */
export function exportTreatmentPlanCsv(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  filter: ExportTreatmentsQuery = {},
  lang: string = fallbackLanguage,
  /** rows read per batch (tests use small ones) */
  batch = 1000,
): AsyncIterable<string> {
  requireScopePermission(actor, scopeId, 'risk:read');
  const t = exportTexts(lang);
  const reads = longReads(deps.db);
  return (async function* () {
    yield stringify([csvColumns.map((c) => t(`treatment.column.${c}`))]);
    for await (const rows of repo.iterateTreatmentPlan(reads, scopeId, filter, batch)) {
      const ids = rows.map((r) => r.id);
      const controls = await repo.findControlsOfTreatments(reads, ids);
      const actions = await repo.findActionsOfTreatments(reads, ids);
      yield stringify(
        rows.flatMap((r) => {
          const head = [
            r.reference,
            r.risk_reference,
            r.risk_title,
            t(`treatment.option.${r.option}`),
            t(`treatment.status.${r.status}`),
            r.decided_by_name ?? '',
            r.decided_at ?? '',
            (JSON.parse(r.objectives) as string[]).join('; '),
            (controls.get(r.id) ?? [])
              .map((c) => c.control_reference ?? c.requirement_identifier ?? '')
              .filter(Boolean)
              .join('; '),
          ];
          const planned = actions.get(r.id) ?? [];
          const lines = planned.length
            ? planned.map((a) => [
                ...head,
                a.title,
                a.owner_name ?? '',
                a.due_on ?? '',
                t(`treatment.actionStatus.${a.status}`),
                a.cost_estimate === null ? '' : String(Number(a.cost_estimate)),
              ])
            : [[...head, '', '', '', '', '']];
          return lines.map((line) => line.map(csvCell));
        }),
      );
    }
  })();
}
