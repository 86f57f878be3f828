import { listPage } from '../../db/paging.ts';
import { stringify } from 'csv-stringify/sync';
import { csvCell } from '../../shared/csv.ts';
import { type Actor, requireScopePermission } from '../../auth/actor.ts';
import { longReads } from '../../db/long-reads.ts';
import { type ExportTexts, exportTexts } from '../../i18n/export-texts.ts';
import { fallbackLanguage } from '../../i18n/i18n.ts';
import type { Deps } from '../../shared/context.ts';
import type { DashboardResponse, PersonSummaryResponse } from './awareness.schemas.ts';
import * as repo from './awareness.repository.ts';

const today = (deps: Deps) => deps.clock.now().toISOString().slice(0, 10);

/** done / assigned in percent with one decimal; null when nothing is assigned. */
export function rate(done: number, assigned: number): number | null {
  return assigned === 0 ? null : Math.round((done * 1000) / assigned) / 10;
}
const counts = (c: { assigned: number; done: number; overdue: number } | undefined) => {
  const x = c ?? { assigned: 0, done: 0, overdue: 0 };
  return { assigned: x.assigned, done: x.done, overdue: x.overdue, rate: rate(x.done, x.assigned) };
};

type Group = { role: string; department: string | null; kind: string; assigned: number; done: number; overdue: number };

/** Folds the (role, department, kind) groups into one entry per key with policy and training counts. */
function fold<K extends string | null>(rows: Group[], key: (g: Group) => K) {
  const sums = new Map<K, Record<string, { assigned: number; done: number; overdue: number }>>();
  for (const g of rows) {
    const byKind = sums.get(key(g)) ?? {};
    const c = byKind[g.kind] ?? { assigned: 0, done: 0, overdue: 0 };
    byKind[g.kind] = c;
    c.assigned += g.assigned;
    c.done += g.done;
    c.overdue += g.overdue;
    sums.set(key(g), byKind);
  }
  return [...sums.entries()]
    .sort(([a], [b]) => (a ?? '\uffff').localeCompare(b ?? '\uffff'))
    .map(([k, byKind]) => ({ key: k, policies: counts(byKind.policy), trainings: counts(byKind.training) }));
}

/**
 * Three grouped statements whatever the number of people, policies or courses; they read whole scopes, so they are
 * long reads (off the main thread on SQLite, db/long-reads.ts).
 */
export async function getDashboard(deps: Deps, actor: Actor, scopeId: string): Promise<DashboardResponse> {
  requireScopePermission(actor, scopeId, 'awareness:report');
  const on = today(deps);
  const reads = longReads(deps.db);
  const [policies, courses, groups] = await Promise.all([
    repo.policyRates(reads, scopeId, on),
    repo.courseRates(reads, scopeId, on),
    repo.ratesByRoleAndDepartment(reads, scopeId, on),
  ]);
  return {
    asOf: on,
    policies: policies.map((p) => ({ documentId: p.id, reference: p.reference, title: p.title, ...counts(p) })),
    courses: courses.map((c) => ({ courseId: c.id, reference: c.reference, title: c.title, ...counts(c) })),
    byScopeRole: fold(groups, (g) => g.role).map((r) => ({ scopeRole: r.key, policies: r.policies, trainings: r.trainings })),
    byDepartment: fold(groups, (g) => g.department).map((r) => ({ department: r.key, policies: r.policies, trainings: r.trainings })),
  };
}

type SummaryRow = Awaited<ReturnType<typeof repo.listPeopleSummary>>['rows'][number];
const presentSummary = (r: SummaryRow): PersonSummaryResponse => ({
  user: { id: r.id, name: r.name, email: r.email },
  scopeRole: r.role,
  department: r.department,
  policies: counts({ assigned: r.policies_assigned, done: r.policies_done, overdue: r.policies_overdue }),
  trainings: counts({ assigned: r.trainings_assigned, done: r.trainings_done, overdue: r.trainings_overdue }),
  oldestOverdueOn: r.oldest_overdue_on,
});

/** People with overdue acknowledgements or trainings, the longest overdue first (page and count: two statements). */
export async function listOverdue(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  q: { page: number; pageSize: number; q?: string | undefined; department?: string | undefined },
) {
  requireScopePermission(actor, scopeId, 'awareness:report');
  const { rows, total, capped } = await repo.listPeopleSummary(
    longReads(deps.db),
    scopeId,
    today(deps),
    { overdueOnly: true, q: q.q, department: q.department },
    { limit: q.pageSize, offset: (q.page - 1) * q.pageSize },
  );
  return listPage(rows.map(presentSummary), { total: total ?? 0, capped: capped ?? false }, q);
}

const peopleColumns = [
  'name',
  'email',
  'scope_role',
  'department',
  'policies_assigned',
  'policies_acknowledged',
  'policies_overdue',
  'trainings_assigned',
  'trainings_completed',
  'trainings_overdue',
  'oldest_overdue_on',
];
const safe = csvCell;
const personCells = (t: ExportTexts) => (p: PersonSummaryResponse) => [
  safe(p.user.name),
  safe(p.user.email),
  p.scopeRole ? t(`awareness.role.${p.scopeRole}`) : '',
  safe(p.department),
  p.policies.assigned,
  p.policies.done,
  p.policies.overdue,
  p.trainings.assigned,
  p.trainings.done,
  p.trainings.overdue,
  p.oldestOverdueOn ?? '',
];

async function allPeople(deps: Deps, scopeId: string) {
  return (await repo.listPeopleSummary(longReads(deps.db), scopeId, today(deps), { overdueOnly: false }, null)).rows.map(presentSummary);
}

/**
 * One row per person with anything assigned, headers and roles in the language of the user who asks (the English ones
 * are the codes); cells that spreadsheets would run as formulas are neutralised.
 */
export async function exportCsv(deps: Deps, actor: Actor, scopeId: string, lang: string = fallbackLanguage): Promise<string> {
  requireScopePermission(actor, scopeId, 'awareness:report');
  const t = exportTexts(lang);
  const people = await allPeople(deps, scopeId);
  return stringify([peopleColumns.map((c) => t(`awareness.column.${c}`)), ...people.map(personCells(t))]);
}

/**
 * The dashboard as a workbook: policies, courses, scope roles, departments and people; sheet names, headers and roles in
 * the language of the user who asks.
 */
export async function exportXlsx(deps: Deps, actor: Actor, scopeId: string, lang: string = fallbackLanguage): Promise<Buffer> {
  requireScopePermission(actor, scopeId, 'awareness:report');
  const t = exportTexts(lang);
  const column = (c: string) => t(`awareness.column.${c}`);
  const [dashboard, people] = await Promise.all([getDashboard(deps, actor, scopeId), allPeople(deps, scopeId)]);
  // exceljs loads when a workbook is written, not when the server starts
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Praxis';
  const sheet = (name: string, header: string[], rows: (string | number | null)[][]) => {
    const ws = wb.addWorksheet(name);
    ws.addRow(header.map(column)).font = { bold: true };
    for (const r of rows) ws.addRow(r);
    ws.views = [{ state: 'frozen', ySplit: 1 }];
    ws.columns.forEach((c) => {
      c.width = 18;
    });
  };
  const rateHeader = ['assigned', 'done', 'overdue', 'rate_percent'];
  const c4 = (c: { assigned: number; done: number; overdue: number; rate: number | null }) => [c.assigned, c.done, c.overdue, c.rate];
  sheet(
    t('awareness.sheet.policies'),
    ['reference', 'title', ...rateHeader],
    dashboard.policies.map((p) => [p.reference, safe(p.title), ...c4(p)]),
  );
  sheet(
    t('awareness.sheet.courses'),
    ['reference', 'title', ...rateHeader],
    dashboard.courses.map((c) => [c.reference, safe(c.title), ...c4(c)]),
  );
  const split = [
    'policies_assigned',
    'policies_done',
    'policies_overdue',
    'policies_rate',
    'trainings_assigned',
    'trainings_done',
    'trainings_overdue',
    'trainings_rate',
  ];
  sheet(
    t('awareness.sheet.scopeRoles'),
    ['scope_role', ...split],
    dashboard.byScopeRole.map((r) => [t(`awareness.role.${r.scopeRole}`), ...c4(r.policies), ...c4(r.trainings)]),
  );
  sheet(
    t('awareness.sheet.departments'),
    ['department', ...split],
    dashboard.byDepartment.map((r) => [safe(r.department) || t('awareness.noDepartment'), ...c4(r.policies), ...c4(r.trainings)]),
  );
  sheet(t('awareness.sheet.people'), peopleColumns, people.map(personCells(t)));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
