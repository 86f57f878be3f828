import { listPage } from '../../db/paging.ts';
import { diffChanges } from '../../audit/audit-hash.ts';
import { appendAudit } from '../../audit/audit.service.ts';
import { type Actor, can, requireScopePermission, roleIn } from '../../auth/actor.ts';
import { toBool } from '../../db/column.ts';
import type { Tx } from '../../db/database.ts';
import type { IncidentTable } from './incident-management.tables.ts';
import { findMembership } from '../../scopes/scope.repository.ts';
import { isoNow } from '../../shared/clock.ts';
import { checkDueNotBeforeCreation } from '../../shared/date-rules.ts';
import { changeVersionedRecord, type VersionedRecordKind } from '../../shared/versioned-record.ts';
import { deliverOne, enqueueTx } from '../../engine/outbox.ts';
import type { Deps } from '../../shared/context.ts';
import { AppError, errorText, invalid, notFound, notMember } from '../../shared/errors.ts';
import { english, fallbackLanguage, renderStored, storedParams, type Text, translate } from '../../i18n/i18n.ts';
import { newId } from '../../shared/ids.ts';
import { nextReference } from '../../shared/references.ts';
import { createTaskTx } from '../../work/task.service.ts';
import { openWorkTx, settleWorkTx } from '../../work/work.ts';
import { cancelReminders, type NewReminder, scheduleReminders } from '../../jobs/reminder.service.ts';
import { listMembers as listMembersOfScope } from '../../scopes/scope.repository.ts';
import { countAssetsInScope } from '../asset-management/index.ts';
import {
  canTransition,
  isLate,
  type NotificationRegime,
  nextStatuses,
  notificationRegimes,
  regimeLabels,
  regulatoryDeadlines,
} from './incident-rules.ts';
import type { IncidentEventKind, IncidentDetailResponse, IncidentResponse } from './incident.schemas.ts';
import * as repo from './incident.repository.ts';

type Notification = Awaited<ReturnType<typeof repo.findNotificationsFor>>[number];

function notificationStates(row: IncidentTable, sent: Notification[], lang: string = fallbackLanguage) {
  if (!row.aware_at) return [];
  const byRegime = new Map(sent.map((n) => [n.regime, n]));
  const nis2Sent = byRegime.get('nis2_notification');
  return regulatoryDeadlines({
    awareAt: new Date(row.aware_at),
    personalData: toBool(row.personal_data),
    nis2Significant: toBool(row.nis2_significant),
    nis2NotificationSentAt: nis2Sent ? new Date(nis2Sent.sent_at) : null,
  }).map(({ regime, dueAt }) => {
    const n = byRegime.get(regime);
    return {
      regime,
      label: lang === fallbackLanguage ? regimeLabels[regime] : translate(lang, `tasks:regime.${regime}`),
      dueAt: dueAt?.toISOString() ?? null,
      sentAt: n?.sent_at ?? null,
      recipient: n?.recipient ?? null,
      externalReference: n?.external_reference ?? null,
      late: n ? isLate(dueAt, new Date(n.sent_at)) : false,
      lateReason: n?.late_reason ?? null,
    };
  });
}

function present(row: repo.IncidentRow, sent: Notification[]): IncidentResponse {
  const open = notificationStates(row, sent)
    .filter((n) => !n.sentAt && n.dueAt)
    .sort((a, b) => a.dueAt!.localeCompare(b.dueAt!));
  return {
    id: row.id,
    scopeId: row.scope_id,
    reference: row.reference,
    title: row.title,
    kind: row.kind,
    status: row.status,
    severity: row.severity,
    category: row.category,
    personalData: toBool(row.personal_data),
    nis2Significant: toBool(row.nis2_significant),
    reportedAt: row.reported_at,
    reporter: row.reported_by ? { id: row.reported_by, name: row.reporter_name ?? '', email: row.reporter_email ?? '' } : null,
    handler: row.handler_id ? { id: row.handler_id, name: row.handler_name ?? '', email: row.handler_email ?? '' } : null,
    nextDeadline: row.status !== 'closed' && open[0] ? { regime: open[0].regime, dueAt: open[0].dueAt! } : null,
    version: row.version,
  };
}

/** One incident with its timeline and notifications, the entries Praxis wrote worded in the reader's language (`lang`). */
async function loadDetail(
  db: Deps['db'] | Tx,
  scopeId: string,
  id: string,
  lang: string = fallbackLanguage,
): Promise<IncidentDetailResponse | null> {
  const row = await repo.findIncident(db, scopeId, id);
  if (!row) return null;
  const [sent, events, assets] = await Promise.all([repo.findNotificationsFor(db, [id]), repo.findEvents(db, id), repo.findAssets(db, id)]);
  return {
    ...present(row, sent),
    description: row.description,
    affected: row.affected,
    noticedAt: row.noticed_at,
    awareAt: row.aware_at,
    impact: {
      confidentiality: toBool(row.impact_confidentiality),
      integrity: toBool(row.impact_integrity),
      availability: toBool(row.impact_availability),
    },
    assets,
    resolvedAt: row.resolved_at,
    closedAt: row.closed_at,
    lessonsLearned: row.lessons_learned,
    notifications: notificationStates(row, sent, lang),
    timeline: events.map((e) => ({
      id: e.id,
      at: e.at,
      actor: e.actor_name,
      kind: e.kind,
      measure: e.measure as IncidentDetailResponse['timeline'][number]['measure'],
      text: renderStored(lang, e.text, e.text_key, e.text_params),
    })),
    nextStatuses: nextStatuses(row.status),
  };
}

const auditable = (i: IncidentDetailResponse) => ({
  title: i.title,
  status: i.status,
  category: i.category,
  severity: i.severity,
  personalData: i.personalData,
  nis2Significant: i.nis2Significant,
  awareAt: i.awareAt,
  handlerId: i.handler?.id ?? null,
  assets: i.assets.map((a) => a.reference),
  lessonsLearned: i.lessonsLearned,
});

async function timeline(
  tx: Tx,
  deps: Deps,
  actor: Actor | null,
  incidentId: string,
  kind: IncidentEventKind,
  /** what Praxis writes is a key with parameters; a note or measure someone typed is their text */
  text: Text | string,
  measure: string | null = null,
) {
  const typed = typeof text === 'string';
  await repo.insertEvent(tx, {
    id: newId(),
    incident_id: incidentId,
    at: isoNow(deps.clock),
    actor_id: actor?.userId ?? null,
    actor_name: actor?.name ?? 'Praxis',
    kind,
    measure,
    text: typed ? text : english(text),
    text_key: typed ? null : text.key,
    text_params: typed ? null : storedParams(text),
  });
}

/**
 * Anyone in the scope reports an incident or weakness. The report is committed first, on its own, so the reporter has
 * a reference whatever happens next; the hand-off to the incident team is committed with it as an outbox row and
 * delivered right after the commit, or, if that fails or the process dies, by the outbox job on any instance.
 */
export async function reportIncident(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  input: { title: string; description: string; kind: 'incident' | 'weakness'; noticedAt?: string | undefined; affected: string },
  log: { error(obj: unknown, msg: string): void } = console,
) {
  requireScopePermission(actor, scopeId, 'incident:report');
  const now = deps.clock.now();
  if (input.noticedAt && new Date(input.noticedAt).getTime() > now.getTime() + 60_000) {
    throw invalid('body.noticedAt', errorText('incident.noticedInFuture'));
  }
  const row = await deps.db.transaction().execute(async (tx) => {
    const at = now.toISOString();
    const incident: IncidentTable = {
      id: newId(),
      scope_id: scopeId,
      reference: await nextReference(tx, scopeId, 'INC'),
      title: input.title,
      description: input.description,
      kind: input.kind,
      affected: input.affected,
      reported_by: actor.userId,
      reported_at: at,
      noticed_at: input.noticedAt ? new Date(input.noticedAt).toISOString() : at,
      status: 'reported',
      category: null,
      severity: null,
      impact_confidentiality: false,
      impact_integrity: false,
      impact_availability: false,
      personal_data: false,
      nis2_significant: false,
      aware_at: null,
      handler_id: null,
      resolved_at: null,
      closed_at: null,
      lessons_learned: '',
      created_at: at,
      updated_at: at,
      version: 1,
    };
    await repo.insertIncident(tx, incident);
    await timeline(tx, deps, actor, incident.id, 'status', { key: `incidents:timeline.reported.${input.kind}` });
    await appendAudit(tx, deps, actor, {
      scopeId,
      action: 'create',
      recordType: 'incident',
      recordId: incident.id,
      recordRef: incident.reference,
      changes: diffChanges(null, {
        title: incident.title,
        kind: incident.kind,
        affected: incident.affected,
        noticedAt: incident.noticed_at,
      }),
    });
    // the hand-off to the incident team runs after this commit, through the outbox: committed with the report,
    // delivered exactly once, retried until it is (a crash between the two loses nothing)
    const outboxId = await enqueueTx(tx, deps, actor, 'incident.reported', incident.id, {
      scopeId,
      incidentId: incident.id,
      incidentRef: incident.reference,
      title: incident.title,
    });
    return { ...incident, outboxId };
  });
  try {
    await deliverOne(deps, row.outboxId);
  } catch (err) {
    log.error({ err, incident: row.reference }, 'incident stored; the hand-off to the incident team failed and will be retried');
  }
  return { id: row.id, reference: row.reference, status: 'reported' as const };
}

export async function listIncidents(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  q: {
    page: number;
    pageSize: number;
    status?: IncidentTable['status'] | 'open' | undefined;
    severity?: NonNullable<IncidentTable['severity']> | undefined;
    q?: string | undefined;
  },
) {
  if (!roleIn(actor, scopeId)) throw notFound('Scope');
  // reporters without incident:read (employees) see their own reports
  const reportedBy = can(actor, scopeId, 'incident:read') ? undefined : actor.userId;
  if (reportedBy && !can(actor, scopeId, 'incident:report')) requireScopePermission(actor, scopeId, 'incident:read');
  const { rows, total, capped } = await repo.listIncidents(deps.db, scopeId, { ...q, reportedBy }, q.pageSize, (q.page - 1) * q.pageSize);
  const sent = await repo.findNotificationsFor(
    deps.db,
    rows.map((r) => r.id),
  );
  const byIncident = Map.groupBy(sent, (n) => n.incident_id);
  return listPage(
    rows.map((r) => present(r, byIncident.get(r.id) ?? [])),
    { total, capped },
    q,
  );
}

export async function getIncident(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  id: string,
  lang: string = fallbackLanguage,
): Promise<IncidentDetailResponse> {
  if (!roleIn(actor, scopeId)) throw notFound('Scope');
  const detail = await loadDetail(deps.db, scopeId, id, lang);
  if (!detail || (!can(actor, scopeId, 'incident:read') && detail.reporter?.id !== actor.userId)) throw notFound('Incident');
  return detail;
}

/** The full incident report (PDF) is for the incident team and auditors, not for reporters. */
export async function getIncidentReport(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  id: string,
  lang: string = fallbackLanguage,
): Promise<IncidentDetailResponse> {
  requireScopePermission(actor, scopeId, 'incident:read');
  return getIncident(deps, actor, scopeId, id, lang);
}

const incidentKind: VersionedRecordKind<IncidentDetailResponse, 'incident'> = {
  table: 'incident',
  recordType: 'incident',
  label: 'Incident',
  load: loadDetail,
  auditable,
};

/** Every change by the incident team goes through here: permission, version check, audit entry. */
function mutate(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  id: string,
  version: number | null,
  lang: string,
  fn: (tx: Tx, before: IncidentDetailResponse) => Promise<Partial<IncidentTable> | null>,
): Promise<IncidentDetailResponse> {
  requireScopePermission(actor, scopeId, 'incident:handle');
  // read in the reader's language: the answer, and the current record of a conflict
  const kind =
    lang === fallbackLanguage
      ? incidentKind
      : { ...incidentKind, load: (db: Tx | Deps['db'], s: string, i: string) => loadDetail(db, s, i, lang) };
  return changeVersionedRecord(deps, actor, kind, { scopeId, id, version }, fn);
}

/**
 * Mail reminders for owed notifications: a warning to the handler twelve hours before each deadline, and at the
 * deadline an escalation to the handler and the scope's managers. Recording the notification cancels them.
 */
async function scheduleDeadlineReminders(
  tx: Tx,
  deps: Deps,
  incident: IncidentDetailResponse,
  handlerId: string,
  obligations: { regime: NotificationRegime; dueAt: Date | null }[],
) {
  const now = deps.clock.now().getTime();
  const managers = (await listMembersOfScope(tx, incident.scopeId)).filter((m) => m.role === 'manager').map((m) => m.user_id);
  const link = `${deps.config.publicUrl}/s/${incident.scopeId}/incidents/${incident.id}`;
  const reminders: NewReminder[] = [];
  for (const o of obligations) {
    if (!o.dueAt) continue;
    // worded in each recipient's language when scheduled (jobs/reminder.service.ts)
    const params = { reference: incident.reference, title: incident.title, regime: o.regime, dueAt: o.dueAt.toISOString(), link };
    const base = { scopeId: incident.scopeId, recordType: 'incident', recordId: incident.id };
    const warnAt = o.dueAt.getTime() - 12 * 3_600_000;
    if (warnAt > now) {
      reminders.push({
        ...base,
        kind: `${o.regime}:warning`,
        recipientId: handlerId,
        sendAt: new Date(warnAt),
        subject: { key: 'mail:incident.warningSubject', params },
        body: { key: 'mail:incident.warningBody', params },
      });
    }
    for (const recipientId of new Set([handlerId, ...managers])) {
      reminders.push({
        ...base,
        kind: `${o.regime}:overdue`,
        recipientId,
        sendAt: o.dueAt,
        subject: { key: 'mail:incident.overdueSubject', params },
        body: { key: 'mail:incident.overdueBody', params },
      });
    }
  }
  await scheduleReminders(tx, deps, reminders);
}

async function checkMember(tx: Tx, scopeId: string, userId: string | null, field: string) {
  if (userId && !(await findMembership(tx, scopeId, userId))) throw notMember(field);
}

const notificationSentAt = (incident: IncidentDetailResponse, regime: NotificationRegime) => {
  const at = incident.notifications.find((n) => n.regime === regime)?.sentAt;
  return at ? new Date(at) : null;
};

/**
 * Work follows the owed notifications (GDPR Art. 33, NIS2 Art. 23): one task per owed notification that is not recorded
 * yet, for the handler and due on the deadline's UTC date (a second triage updates it instead of adding a twin). With
 * `complete`, the obligations are the whole list: a notification no longer owed has its task cancelled.
 */
async function followNotificationsTx(
  tx: Tx,
  deps: Deps,
  actor: Actor,
  incident: IncidentDetailResponse,
  handlerId: string,
  obligations: { regime: NotificationRegime; dueAt: Date | null }[],
  complete = true,
) {
  const origin = { processKey: 'incident-management', recordType: 'incident', recordId: incident.id, recordRef: incident.reference };
  for (const o of obligations) {
    if (!o.dueAt || notificationSentAt(incident, o.regime)) continue;
    await openWorkTx(tx, deps, actor, {
      scopeId: incident.scopeId,
      processKey: 'incident-management',
      purpose: `notify:${o.regime}`,
      title: {
        key: 'tasks:title.notify',
        params: { incidentRef: incident.reference, regime: o.regime, dueAt: o.dueAt.toISOString() },
      },
      description: { key: 'tasks:description.notify', params: { incidentRef: incident.reference } },
      assigneeId: handlerId,
      dueOn: o.dueAt.toISOString().slice(0, 10),
      origin,
    });
  }
  if (!complete) return;
  const owed = obligations.filter((o) => o.dueAt).map((o) => o.regime);
  const gone = notificationRegimes.filter((r) => !owed.includes(r));
  if (gone.length)
    await settleWorkTx(tx, deps, actor, {
      scopeId: incident.scopeId,
      recordType: 'incident',
      recordId: incident.id,
      purposes: gone.map((r) => `notify:${r}`),
      outcome: 'cancelled',
      note: { key: 'tasks:note.notificationNotOwed', params: { incidentRef: incident.reference } },
    });
}

/** Triage by the incident team: classification, impact, personal data, NIS2; starts the regulatory clocks. */
export async function triageIncident(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  id: string,
  input: {
    version: number;
    category: NonNullable<IncidentTable['category']>;
    severity: NonNullable<IncidentTable['severity']>;
    impactConfidentiality: boolean;
    impactIntegrity: boolean;
    impactAvailability: boolean;
    personalData: boolean;
    nis2Significant: boolean;
    awareAt?: string | undefined;
    handlerId: string | null;
    assetIds: string[];
  },
  lang: string = fallbackLanguage,
) {
  return mutate(deps, actor, scopeId, id, input.version, lang, async (tx, before) => {
    if (before.status === 'closed') throw new AppError('invalid_state', errorText('recordClosed', { reference: before.reference }));
    await checkMember(tx, scopeId, input.handlerId, 'body.handlerId');
    const assetIds = [...new Set(input.assetIds)];
    if ((await countAssetsInScope(tx, scopeId, assetIds)) !== assetIds.length)
      throw invalid('body.assetIds', errorText('incident.assetNotInScope'));
    const now = deps.clock.now();
    const awareAt = input.awareAt ? new Date(input.awareAt) : now;
    if (awareAt.getTime() > now.getTime() + 60_000) throw invalid('body.awareAt', errorText('incident.awareInFuture'));
    await repo.replaceAssets(tx, id, assetIds);
    const handler = input.handlerId ?? actor.userId;
    // the clocks run from when the team first became aware; a re-triage keeps that instant
    const obligations = regulatoryDeadlines({
      awareAt: before.awareAt ? new Date(before.awareAt) : awareAt,
      personalData: input.personalData,
      nis2Significant: input.nis2Significant,
      nis2NotificationSentAt: notificationSentAt(before, 'nis2_notification'),
    });
    const alreadyTriaged = before.status !== 'reported';
    if (!alreadyTriaged) {
      await settleWorkTx(tx, deps, actor, {
        scopeId,
        recordType: 'incident',
        recordId: id,
        purposes: ['triage'],
        outcome: 'done',
        note: { key: 'tasks:note.incidentTriaged', params: { incidentRef: before.reference, name: actor.name } },
      });
      await scheduleDeadlineReminders(tx, deps, before, handler, obligations);
    }
    // reminders: each owed notification not yet recorded is a task for the handler, due on the deadline's UTC date; a
    // re-triage updates them, and cancels those no longer owed
    await followNotificationsTx(tx, deps, actor, before, handler, obligations);
    const triaged = `incidents:timeline.triaged${input.personalData ? 'PersonalData' : ''}${input.nis2Significant ? 'Nis2' : ''}`;
    await timeline(tx, deps, actor, id, 'status', { key: triaged, params: { severity: input.severity, category: input.category } });
    return {
      status: before.status === 'reported' ? 'triaged' : before.status,
      category: input.category,
      severity: input.severity,
      impact_confidentiality: input.impactConfidentiality,
      impact_integrity: input.impactIntegrity,
      impact_availability: input.impactAvailability,
      personal_data: input.personalData,
      nis2_significant: input.nis2Significant,
      aware_at: before.awareAt ?? awareAt.toISOString(),
      handler_id: handler,
    };
  });
}

/** responding → resolved → closed. Closing needs lessons learned; follow-ups (at resolution or closure) go to their processes. */
export async function transitionIncident(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  id: string,
  input: {
    version: number;
    status: 'responding' | 'resolved' | 'closed';
    note: string;
    lessonsLearned?: string | undefined;
    followUps: {
      kind: 'risk' | 'nonconformity' | 'improvement' | 'change';
      title: string;
      description: string;
      correctiveAction?: { title: string; ownerId: string | null; dueOn: string | null } | undefined;
    }[];
  },
  lang: string = fallbackLanguage,
) {
  return mutate(deps, actor, scopeId, id, input.version, lang, async (tx, before) => {
    if (!canTransition(before.status, input.status)) {
      throw new AppError(
        'invalid_state',
        errorText('incident.transition', { reference: before.reference, from: before.status, to: input.status }),
        {
          field: 'body.status',
        },
      );
    }
    const patch: Partial<IncidentTable> = { status: input.status };
    const now = isoNow(deps.clock);
    if (input.status === 'resolved') patch.resolved_at = now;
    if (input.status === 'responding') patch.resolved_at = null;
    if (input.lessonsLearned !== undefined) patch.lessons_learned = input.lessonsLearned.trim();
    const lessons = (input.lessonsLearned ?? before.lessonsLearned).trim();
    if (input.status === 'closed') {
      if (!lessons) throw invalid('body.lessonsLearned', errorText('incident.lessonsForClosing'));
      const unsent = before.notifications.filter((n) => !n.sentAt && n.dueAt);
      if (unsent.length) {
        throw new AppError('invalid_state', errorText('incident.notificationsOwed', { regimes: unsent.map((n) => n.regime).join(',') }));
      }
      patch.closed_at = now;
      await cancelReminders(tx, 'incident', id);
      // nothing the system asked for stays open on a closed incident
      await settleWorkTx(tx, deps, actor, {
        scopeId,
        recordType: 'incident',
        recordId: id,
        outcome: 'cancelled',
        note: { key: 'tasks:note.incidentClosed', params: { incidentRef: before.reference } },
      });
    }
    if (input.followUps.length > 0) {
      if (input.status === 'responding') throw invalid('body.followUps', errorText('incident.followUpsTooEarly'));
      if (!lessons) throw invalid('body.lessonsLearned', errorText('incident.followUpsNeedLesson'));
    }
    for (const f of input.followUps) {
      await checkMember(tx, scopeId, f.correctiveAction?.ownerId ?? null, 'body.followUps.correctiveAction.ownerId');
      await deps.events.emit(tx, actor, 'incident.lesson', {
        scopeId,
        incidentId: id,
        incidentRef: before.reference,
        ...f,
        description: f.description || lessons,
      });
      const to = f.kind === 'risk' ? 'risk' : f.kind === 'change' ? 'change' : 'improvement';
      await timeline(tx, deps, actor, id, 'note', { key: 'incidents:timeline.lessonHandedTo', params: { to, title: f.title } });
    }
    const moved = { from: before.status, to: input.status };
    await timeline(
      tx,
      deps,
      actor,
      id,
      'status',
      input.note
        ? { key: 'incidents:timeline.statusWithNote', params: { ...moved, note: input.note } }
        : { key: 'incidents:timeline.status', params: moved },
    );
    return patch;
  });
}

export async function addIncidentEvent(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  id: string,
  input: { kind: 'note' | 'measure'; text: string; measure?: string | undefined },
  lang: string = fallbackLanguage,
) {
  // access first: a body that would be refused says nothing to someone who may not handle the incident
  requireScopePermission(actor, scopeId, 'incident:handle');
  if (input.kind === 'measure' && !input.measure) throw invalid('body.measure', errorText('incident.measureMissing'));
  return mutate(deps, actor, scopeId, id, null, lang, async (tx, before) => {
    if (before.status === 'closed') throw new AppError('invalid_state', errorText('recordClosed', { reference: before.reference }));
    await timeline(tx, deps, actor, id, input.kind, input.text, input.kind === 'measure' ? (input.measure ?? null) : null);
    await appendAudit(tx, deps, actor, {
      scopeId,
      action: input.kind === 'measure' ? 'corrective-measure' : 'note',
      recordType: 'incident',
      recordId: id,
      recordRef: before.reference,
      changes: { timeline: { to: input.kind === 'measure' ? `${input.measure}: ${input.text}` : input.text } },
    });
    return null;
  });
}

/** Records that a regulatory notification was sent; a late one needs the reasons for the delay (GDPR Art. 33(1)). */
export async function recordNotification(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  id: string,
  input: { regime: NotificationRegime; sentAt: string; recipient: string; externalReference: string; lateReason?: string | undefined },
  lang: string = fallbackLanguage,
) {
  return mutate(deps, actor, scopeId, id, null, lang, async (tx, before) => {
    const owed = before.notifications.find((n) => n.regime === input.regime);
    if (!owed) throw invalid('body.regime', errorText('incident.notOwed', { reference: before.reference, regime: input.regime }));
    if (owed.sentAt) throw new AppError('duplicate', errorText('incident.alreadySent', { regime: input.regime }), { field: 'body.regime' });
    const sentAt = new Date(input.sentAt);
    if (sentAt.getTime() > deps.clock.now().getTime() + 60_000) throw invalid('body.sentAt', errorText('incident.sentInFuture'));
    if (owed.dueAt === null) throw invalid('body.regime', errorText('incident.finalReportEarly'));
    const late = isLate(new Date(owed.dueAt), sentAt);
    if (late && !input.lateReason?.trim()) throw invalid('body.lateReason', errorText('incident.lateReason'));
    await repo.insertNotification(tx, {
      id: newId(),
      incident_id: id,
      regime: input.regime,
      sent_at: sentAt.toISOString(),
      recipient: input.recipient,
      external_reference: input.externalReference,
      late_reason: late ? input.lateReason!.trim() : null,
      recorded_by: actor.userId,
      created_at: isoNow(deps.clock),
    });
    await cancelReminders(tx, 'incident', id, `${input.regime}:`);
    // the reminder task of this notification is done
    await settleWorkTx(tx, deps, actor, {
      scopeId,
      recordType: 'incident',
      recordId: id,
      purposes: [`notify:${input.regime}`],
      outcome: 'done',
      note: {
        key: 'tasks:note.notificationRecorded',
        params: { incidentRef: before.reference, regime: input.regime, recipient: input.recipient, name: actor.name },
      },
    });
    if (input.regime === 'nis2_notification') {
      // the final report's clock starts now: one month after the notification
      const final = regulatoryDeadlines({
        awareAt: new Date(before.awareAt!),
        personalData: false,
        nis2Significant: true,
        nis2NotificationSentAt: sentAt,
      }).filter((o) => o.regime === 'nis2_final_report');
      await scheduleDeadlineReminders(tx, deps, before, before.handler?.id ?? actor.userId, final);
      await followNotificationsTx(tx, deps, actor, before, before.handler?.id ?? actor.userId, final, false);
    }
    await timeline(tx, deps, actor, id, 'notification', {
      key: late ? 'incidents:timeline.notificationSentLate' : 'incidents:timeline.notificationSent',
      params: { regime: input.regime, recipient: input.recipient },
    });
    await appendAudit(tx, deps, actor, {
      scopeId,
      action: 'notification-sent',
      recordType: 'incident',
      recordId: id,
      recordRef: before.reference,
      changes: { [input.regime]: { to: { sentAt: sentAt.toISOString(), recipient: input.recipient, late } } },
    });
    return null;
  });
}

/** A task for a responder, linked to the incident. */
export async function addResponderTask(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  id: string,
  input: { title: string; assigneeId: string | null; dueOn: string | null },
  lang: string = fallbackLanguage,
) {
  return mutate(deps, actor, scopeId, id, null, lang, async (tx, before) => {
    if (before.status === 'closed') throw new AppError('invalid_state', errorText('recordClosed', { reference: before.reference }));
    await checkMember(tx, scopeId, input.assigneeId, 'body.assigneeId');
    checkDueNotBeforeCreation('body.dueOn', input.dueOn, isoNow(deps.clock));
    const task = await createTaskTx(tx, deps, actor, {
      scopeId,
      title: input.title,
      description: { key: 'tasks:description.respondToIncident', params: { incidentRef: before.reference, title: before.title } },
      processKey: 'incident-management',
      assigneeId: input.assigneeId,
      dueOn: input.dueOn,
      origin: { processKey: 'incident-management', recordType: 'incident', recordId: id, recordRef: before.reference },
    });
    await timeline(tx, deps, actor, id, 'task', {
      key: 'incidents:timeline.taskAssigned',
      params: { taskRef: task.reference, title: input.title },
    });
    return null;
  });
}
