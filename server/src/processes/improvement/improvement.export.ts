import { stringify } from 'csv-stringify/sync';
import { type Actor, requireScopePermission } from '../../auth/actor.ts';
import { longReads } from '../../db/long-reads.ts';
import { exportTexts } from '../../i18n/export-texts.ts';
import { fallbackLanguage } from '../../i18n/i18n.ts';
import type { Deps } from '../../shared/context.ts';
import { csvCell } from '../../shared/csv.ts';
import type { ExportFindingsQuery } from './improvement.schemas.ts';
import * as repo from './improvement.repository.ts';
import { effectivenessResultIn } from './improvement.service.ts';

const csvColumns = [
  'reference',
  'kind',
  'title',
  'source',
  'source_record',
  'severity',
  'status',
  'owner',
  'requirement',
  'root_cause',
  'effectiveness',
  'closed_at',
  'corrective_action',
  'action_title',
  'action_assignee',
  'action_due_on',
  'action_status',
] as const;

/**
 * Nonconformities and observations with their corrective actions as CSV (ISO 27001 10.2): one row per corrective action
 * of each matching finding (a finding without one is one row), in the order of the findings' references. It reads in one
 * ordered pass by keyset, two statements per batch of findings (the findings with their owners, their corrective actions)
 * however many rows; on SQLite the batches run off the main thread (db/long-reads.ts). The permission check runs at once,
 * so a refusal is still a clean 403/404. Headers and words speak `lang` (the English ones are the columns' and values'
 * codes); cells that spreadsheets would run as formulas are neutralised.
 */
export function exportNonconformitiesCsv(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  filter: ExportFindingsQuery = {},
  lang: string = fallbackLanguage,
  /** rows read per batch (tests use small ones) */
  batch = 1000,
): AsyncIterable<string> {
  requireScopePermission(actor, scopeId, 'improvement:read');
  const t = exportTexts(lang);
  const reads = longReads(deps.db);
  return (async function* () {
    yield stringify([csvColumns.map((c) => t(`nonconformity.column.${c}`))]);
    for await (const rows of repo.iterateNonconformities(reads, scopeId, filter, batch)) {
      const actions = await repo.findCorrectiveActionsOf(
        reads,
        rows.map((r) => r.id),
      );
      yield stringify(
        rows.flatMap((n) => {
          const rootCause = (JSON.parse(n.root_cause) as string[]).join('; ') || n.root_cause_not_determined || '';
          const head = [
            n.reference,
            t(`nonconformity.kind.${n.kind}`),
            n.title,
            t(`nonconformity.source.${n.source}`),
            n.source_record_type && n.source_record_id ? (n.source_record_ref ?? '') : '',
            t(`nonconformity.severity.${n.severity}`),
            t(`nonconformity.status.${n.status}`),
            n.owner_id ? (n.owner_name ?? '') : '',
            n.requirement,
            rootCause,
            effectivenessResultIn(lang, n) ?? '',
            n.closed_at ?? '',
          ];
          const taken = actions.get(n.id) ?? [];
          const lines = taken.length
            ? taken.map((a) => [
                ...head,
                a.reference,
                a.title,
                a.assignee_name ?? '',
                a.due_on ?? '',
                t(`nonconformity.actionStatus.${a.status}`),
              ])
            : [[...head, '', '', '', '', '']];
          return lines.map((line) => line.map(csvCell));
        }),
      );
    }
  })();
}
