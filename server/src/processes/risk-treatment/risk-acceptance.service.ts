import { diffChanges } from '../../audit/audit-hash.ts';
import { appendAudit } from '../../audit/audit.service.ts';
import { type Actor, actorLanguage, can, requireScopePermission, roleIn } from '../../auth/actor.ts';
import { toBool } from '../../db/column.ts';
import type { Executor, Tx } from '../../db/database.ts';
import type { RiskAcceptanceSignatureTable, RiskAcceptanceTable } from './risk-treatment.tables.ts';
import { findProcessOwner } from '../../isms/process.service.ts';
import { isoNow } from '../../shared/clock.ts';
import type { Deps } from '../../shared/context.ts';
import { AppError, conflictWithCurrent, errorText, forbidden, invalid, notFound } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { nextReference } from '../../shared/references.ts';
import { english, fallbackLanguage, renderStored, type Text } from '../../i18n/i18n.ts';
import { openWorkTx, settleWorkTx } from '../../work/work.ts';
import * as methodRepo from '../risk-assessment/index.ts';
import { acceptanceFor, findLevel, levelLabelIn, parseMethod, type RiskMethod, severity } from '../risk-assessment/index.ts';
import * as riskRepo from '../risk-assessment/index.ts';
import { syncRiskStatusTx } from '../risk-assessment/index.ts';
import { lockRisk } from '../risk-assessment/index.ts';
import { acceptanceState, addDays, EXPIRY_WARNING_DAYS, requiredRoles, resolveExpiry, riskReasons } from './risk-treatment-rules.ts';
import type {
  AcceptanceBasis,
  AcceptanceOverviewResponse,
  AcceptanceResponse,
  RevokeAcceptanceInput,
  SignAcceptanceInput,
  SignatureRole,
} from './risk-treatment.schemas.ts';
import * as repo from './risk-treatment.repository.ts';

const todayOf = (deps: Pick<Deps, 'clock'>) => deps.clock.now().toISOString().slice(0, 10);

// ---------------------------------------------------------------- presenting

function rolesOf(a: RiskAcceptanceTable): SignatureRole[] {
  return toBool(a.requires_management) ? ['risk_owner', 'management'] : ['risk_owner'];
}

/**
 * Why an acceptance ended, when Praxis ended it: the text (stored as key + parameters beside its English, worded for each
 * reader) and what the audit trail records (a code the history view words: `renewed:ACC-0002`, `raised:RSK-0001:high`,
 * `expired:2026-05-01`; audit-vocabulary.ts).
 */
interface EndReason {
  text: Text;
  audit: string;
}
const endReasons = {
  renewed: (acceptanceRef: string): EndReason => ({
    text: { key: 'tasks:acceptanceEnd.renewed', params: { acceptanceRef } },
    audit: `renewed:${acceptanceRef}`,
  }),
  // the level's key beside its label: a built-in label is worded in the reader's language ('Hoch')
  raised: (riskRef: string, level: string, levelLabel: string): EndReason => ({
    text: { key: 'tasks:acceptanceEnd.raised', params: { riskRef, level, levelLabel } },
    audit: `raised:${riskRef}:${level}`,
  }),
  expired: (expiresOn: string): EndReason => ({
    text: { key: 'tasks:acceptanceEnd.expired', params: { expiresOn } },
    audit: `expired:${expiresOn}`,
  }),
};

/** The reason an acceptance ended in the reader's language; a reason someone gave (or an older one) as it was stored. */
function endReasonIn(a: RiskAcceptanceTable, lang: string): string | null {
  if (a.end_reason === null || !a.end_reason_key || !a.end_reason_params) return a.end_reason;
  let params: Record<string, string | number | null>;
  try {
    params = JSON.parse(a.end_reason_params) as Record<string, string | number | null>;
  } catch {
    return a.end_reason;
  }
  const { level, levelLabel } = params;
  if (typeof level === 'string' && typeof levelLabel === 'string')
    params = { ...params, levelLabel: levelLabelIn(level, levelLabel, lang) };
  return renderStored(lang, a.end_reason, a.end_reason_key, JSON.stringify(params));
}

function present(
  a: RiskAcceptanceTable,
  signatures: RiskAcceptanceSignatureTable[],
  today: string,
  lang: string = fallbackLanguage,
): AcceptanceResponse {
  const status = a.status;
  return {
    id: a.id,
    reference: a.reference,
    riskId: a.risk_id,
    basis: a.basis as AcceptanceBasis,
    level: { key: a.level, label: a.level_label },
    likelihood: a.likelihood,
    impact: a.impact,
    methodVersion: a.method_version,
    authority: a.authority as SignatureRole,
    requiredRoles: rolesOf(a),
    justification: a.justification,
    expiresOn: a.expires_on,
    status,
    state: acceptanceState({ status, expiresOn: a.expires_on }, today),
    signatures: signatures
      .filter((s) => s.acceptance_id === a.id)
      .sort((x, y) => x.signed_at.localeCompare(y.signed_at) || (x.role === 'risk_owner' ? -1 : 1))
      .map((s) => ({
        role: s.role,
        signer: { id: s.signer_id, name: s.signer_name, email: s.signer_email },
        justification: s.justification,
        signedAt: s.signed_at,
      })),
    effectiveAt: a.effective_at,
    endedAt: a.ended_at,
    endReason: endReasonIn(a, lang),
    reviewTaskId: a.review_task_id,
    createdAt: a.created_at,
    updatedAt: a.updated_at,
    version: a.version,
  };
}

async function loadAcceptance(db: Executor, scopeId: string, riskId: string, id: string, today: string): Promise<AcceptanceResponse> {
  const row = (await repo.listAcceptances(db, scopeId, riskId)).find((a) => a.id === id)!;
  return present(row, await repo.findSignatures(db, [id]), today);
}

/**
 * For a 409 after the transaction: acceptance `id` as it is now or, when it no longer exists (a new one that was rolled
 * back), the risk's current acceptance as the overview shows it (null when none).
 */
async function currentAcceptance(deps: Deps, scopeId: string, riskId: string, id: string | undefined, today: string) {
  const rows = await repo.listAcceptances(deps.db, scopeId, riskId);
  const row = rows.find((a) => a.id === id) ?? rows.find((a) => a.status === 'effective') ?? rows.find((a) => a.status === 'pending');
  return row ? present(row, await repo.findSignatures(deps.db, [row.id]), today) : null;
}

const auditable = (a: AcceptanceResponse) => ({
  basis: a.basis,
  levelKey: a.level.key,
  methodVersion: a.methodVersion,
  requiredRoles: a.requiredRoles,
  justification: a.justification,
  expiresOn: a.expiresOn,
  status: a.status,
  signatures: a.signatures.map((s) => `${s.role}: ${s.signer.name} <${s.signer.email}> ${s.signedAt}`),
  endReason: a.endReason,
});

async function methodOf(db: Executor, scopeId: string, methodId: string | null) {
  if (!methodId) return undefined;
  const row = (await methodRepo.listMethods(db, scopeId)).find((m) => m.id === methodId);
  return row ? { id: row.id, versionNo: row.version_no, method: parseMethod(row.definition) } : undefined;
}

function eligibilityOf(risk: riskRepo.RiskRow, basis: AcceptanceBasis, method: RiskMethod | undefined, profile: 'small' | 'large') {
  const key = risk[`${basis}_level`];
  if (!key || !method) return { level: null, acceptableBy: null, requiredRoles: [] };
  const by = acceptanceFor(method, key);
  return {
    level: { key, label: findLevel(method, key)?.label ?? key },
    acceptableBy: by,
    requiredRoles: by ? requiredRoles(profile, by) : [],
  };
}

// ---------------------------------------------------------------- services

export async function getAcceptance(deps: Deps, actor: Actor, scopeId: string, riskId: string): Promise<AcceptanceOverviewResponse> {
  requireScopePermission(actor, scopeId, 'risk:read');
  const risk = await riskRepo.findRisk(deps.db, scopeId, riskId);
  if (!risk) throw notFound('Risk');
  const [rows, method, profile] = await Promise.all([
    repo.listAcceptances(deps.db, scopeId, riskId),
    methodOf(deps.db, scopeId, risk.method_id),
    methodRepo.findScopeProfile(deps.db, scopeId),
  ]);
  const signatures = await repo.findSignatures(
    deps.db,
    rows.map((r) => r.id),
  );
  const today = todayOf(deps);
  // the levels by their labels in the reader's language where they are the method's built-in ones
  const lang = actorLanguage(actor);
  const worded = <L extends { key: string; label: string } | null>(level: L): L =>
    level && ({ ...level, label: levelLabelIn(level.key, level.label, lang) } as L);
  const history = rows.map((r) => {
    const a = present(r, signatures, today, lang);
    return { ...a, level: worded(a.level) };
  });
  const eligibility = (basis: AcceptanceBasis) => {
    const e = eligibilityOf(risk, basis, method?.method, profile ?? 'small');
    return { ...e, level: worded(e.level) };
  };
  return {
    riskId,
    riskOwner: risk.owner_id ? { id: risk.owner_id, name: risk.owner_name ?? '', email: risk.owner_email ?? '' } : null,
    current: history.find((a) => a.status === 'effective') ?? history.find((a) => a.status === 'pending') ?? null,
    renewal: history.some((a) => a.status === 'effective') ? (history.find((a) => a.status === 'pending') ?? null) : null,
    history,
    eligibility: { current: eligibility('current'), target: eligibility('target') },
  };
}

/** Who the actor signs as: the risk owner for their own risk, else management; refuses roles that may do neither. */
function signerRole(actor: Actor, scopeId: string, ownerId: string): SignatureRole {
  if (actor.userId === ownerId) {
    if (!can(actor, scopeId, 'treatment:write'))
      throw forbidden(errorText('acceptance.roleMayNotAccept', { role: roleIn(actor, scopeId) ?? null }));
    return 'risk_owner';
  }
  if (!can(actor, scopeId, 'risk:accept')) {
    throw forbidden(errorText('acceptance.whoSigns'));
  }
  return 'management';
}

/**
 * Signs the acceptance of a risk's residual level (ISO 27001 6.1.3 f, 8.3). The first signature starts an acceptance
 * of the current (or, with a decided treatment, the target) level, refused above the acceptance criteria; it takes
 * effect when the risk owner and, where the criteria or the large profile require it, management (someone other than
 * the risk owner, with risk:accept) have signed.
 */
export async function signAcceptance(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  riskId: string,
  input: SignAcceptanceInput,
): Promise<AcceptanceResponse> {
  requireScopePermission(actor, scopeId, 'risk:read');
  if (!can(actor, scopeId, 'treatment:write') && !can(actor, scopeId, 'risk:accept')) {
    throw forbidden(errorText('acceptance.roleMayNotAccept', { role: roleIn(actor, scopeId) ?? null }));
  }
  const today = todayOf(deps);
  // the acceptance being signed, for a 409 when someone else moved it meanwhile (answered with it as it is now)
  let signing: string | undefined;
  const work = deps.db.transaction().execute(async (tx) => {
    await lockRisk(tx, deps.dialect, riskId);
    const risk = await riskRepo.findRisk(tx, scopeId, riskId);
    if (!risk) throw notFound('Risk');
    if (!risk.owner_id) {
      throw new AppError('unprocessable', errorText('acceptance.noOwner', { reference: risk.reference }));
    }
    const role = signerRole(actor, scopeId, risk.owner_id);
    const now = isoNow(deps.clock);
    const active = await repo.findActiveAcceptances(tx, scopeId, riskId);
    const inForce = active.find((a) => a.status === 'effective');
    let acceptance = active.find((a) => a.status === 'pending');
    let before: AcceptanceResponse | null = null;
    // an acceptance in force is renewed from EXPIRY_WARNING_DAYS before its expiry, so that no gap opens
    if (!acceptance && inForce && acceptanceState({ status: 'effective', expiresOn: inForce.expires_on }, today) === 'effective') {
      throw new AppError(
        'invalid_state',
        errorText('acceptance.alreadyAccepted', {
          reference: risk.reference,
          acceptance: inForce.reference,
          expiresOn: inForce.expires_on,
          renewFrom: addDays(inForce.expires_on, -EXPIRY_WARNING_DAYS),
        }),
      );
    }
    if (acceptance) {
      before = await loadAcceptance(tx, scopeId, riskId, acceptance.id, today);
      if (input.basis !== acceptance.basis) {
        throw new AppError(
          'invalid_state',
          errorText('acceptance.otherBasis', { reference: acceptance.reference, basis: acceptance.basis }),
          {
            field: 'body.basis',
          },
        );
      }
      if (input.expiresOn !== undefined && input.expiresOn !== acceptance.expires_on) {
        throw new AppError(
          'invalid_state',
          errorText('acceptance.expirySet', { reference: acceptance.reference, expiresOn: acceptance.expires_on }),
          {
            field: 'body.expiresOn',
          },
        );
      }
    } else {
      acceptance = await startAcceptance(tx, actor, scopeId, risk, input, today, now);
    }
    signing = acceptance.id;
    const signatures = await repo.findSignatures(tx, [acceptance.id]);
    if (signatures.some((s) => s.role === role)) {
      throw new AppError(
        'duplicate',
        errorText(role === 'risk_owner' ? 'acceptance.alreadySignedOwner' : 'acceptance.alreadySignedManagement', {
          reference: acceptance.reference,
        }),
      );
    }
    await repo.insertSignature(tx, {
      acceptance_id: acceptance.id,
      role,
      signer_id: actor.userId,
      signer_name: actor.name,
      signer_email: actor.email,
      justification: input.justification,
      signed_at: now,
    });
    const signed = new Set([...signatures.map((s) => s.role), role]);
    const complete = rolesOf(acceptance).every((r) => signed.has(r));
    if (complete && inForce) {
      await endAcceptanceTx(tx, deps, actor, inForce, risk.reference, 'ended', endReasons.renewed(acceptance.reference), today);
    }
    const moved = await repo.transitionAcceptance(tx, acceptance.id, ['pending'], {
      updated_at: now,
      ...(complete && { status: 'effective', effective_at: now }),
    });
    if (!moved) throw new AppError('version_conflict', errorText('recordChangedReloadIt', { reference: acceptance.reference }));
    const after = await loadAcceptance(tx, scopeId, riskId, acceptance.id, today);
    await appendAudit(tx, deps, actor, {
      scopeId,
      action: before ? 'sign' : 'create',
      recordType: 'risk_acceptance',
      recordId: after.id,
      recordRef: `${after.reference} (${risk.reference})`,
      changes: diffChanges(before ? auditable(before) : null, auditable(after)),
    });
    // ISO 27001 6.1.3 f: the risk is accepted once its acceptance has every signature, not before
    if (complete) await syncRiskStatusTx(tx, deps, actor, scopeId, riskId, riskReasons.accepted(after.reference));
    return after;
  });
  return conflictWithCurrent(work, null, () => currentAcceptance(deps, scopeId, riskId, signing, today));
}

async function startAcceptance(
  tx: Tx,
  actor: Actor,
  scopeId: string,
  risk: riskRepo.RiskRow,
  input: SignAcceptanceInput,
  today: string,
  now: string,
): Promise<RiskAcceptanceTable> {
  const basis = input.basis;
  const level = risk[`${basis}_level`];
  const likelihood = risk[`${basis}_likelihood`];
  const impact = risk[`${basis}_impact`];
  const method = await methodOf(tx, scopeId, risk.method_id);
  if (!level || likelihood === null || impact === null || !method) {
    throw new AppError('unprocessable', errorText('acceptance.noLevel', { reference: risk.reference, basis }), {
      field: 'body.basis',
    });
  }
  const label = findLevel(method.method, level)?.label ?? level;
  const authority = acceptanceFor(method.method, level);
  if (!authority) {
    // ISO 27001 6.1.3 f): only residual risks within the acceptance criteria may be accepted
    throw new AppError('unprocessable', errorText('acceptance.aboveCriteria', { level: label }), { field: 'body.basis' });
  }
  if (basis === 'target') {
    const treatment = await repo.findTreatmentByRisk(tx, scopeId, risk.id);
    if (!treatment || treatment.status === 'draft') {
      throw new AppError('unprocessable', errorText('acceptance.targetNeedsTreatment', { reference: risk.reference }), {
        field: 'body.basis',
      });
    }
  }
  const expiry = resolveExpiry(input.expiresOn, today);
  if (!expiry.ok) throw invalid('body.expiresOn', expiry.text);
  const profile = (await methodRepo.findScopeProfile(tx, scopeId)) ?? 'small';
  const row: RiskAcceptanceTable = {
    id: newId(),
    scope_id: scopeId,
    risk_id: risk.id,
    reference: await nextReference(tx, scopeId, 'ACC'),
    basis,
    level,
    level_label: label,
    likelihood,
    impact,
    method_id: method.id,
    method_version: method.versionNo,
    authority,
    requires_management: requiredRoles(profile, authority).includes('management'),
    justification: input.justification,
    expires_on: expiry.date,
    status: 'pending',
    effective_at: null,
    ended_at: null,
    end_reason: null,
    end_reason_key: null,
    end_reason_params: null,
    review_task_id: null,
    review_started_at: null,
    created_by: actor.userId,
    created_at: now,
    updated_at: now,
    version: 1,
  };
  await repo.insertAcceptance(tx, row);
  return row;
}

/** Revokes the pending or effective acceptance of a risk: the risk owner (treatment:write) or management (risk:accept). */
export async function revokeAcceptance(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  riskId: string,
  input: RevokeAcceptanceInput,
): Promise<AcceptanceResponse> {
  requireScopePermission(actor, scopeId, 'risk:read');
  const today = todayOf(deps);
  let revoking: string | undefined;
  const work = deps.db.transaction().execute(async (tx) => {
    await lockRisk(tx, deps.dialect, riskId);
    const risk = await riskRepo.findRisk(tx, scopeId, riskId);
    if (!risk) throw notFound('Risk');
    const mayRevoke = can(actor, scopeId, 'risk:accept') || (actor.userId === risk.owner_id && can(actor, scopeId, 'treatment:write'));
    if (!mayRevoke) throw forbidden(errorText('acceptance.whoRevokes'));
    const candidates = await repo.findActiveAcceptances(tx, scopeId, riskId);
    const active = input.id ? candidates.find((a) => a.id === input.id) : candidates[0];
    if (!active) throw new AppError('not_found', errorText('acceptance.noneActive', { reference: risk.reference }));
    revoking = active.id;
    const before = await loadAcceptance(tx, scopeId, riskId, active.id, today);
    if (active.version !== input.version) {
      throw new AppError('version_conflict', errorText('recordChanged', { reference: active.reference }), { details: { current: before } });
    }
    const now = isoNow(deps.clock);
    const moved = await repo.transitionAcceptance(tx, active.id, [active.status], {
      status: 'revoked',
      ended_at: now,
      end_reason: input.reason,
      end_reason_key: null,
      end_reason_params: null,
      updated_at: now,
    });
    if (!moved) throw new AppError('version_conflict', errorText('recordChangedReloadIt', { reference: active.reference }));
    const after = await loadAcceptance(tx, scopeId, riskId, active.id, today);
    await appendAudit(tx, deps, actor, {
      scopeId,
      action: 'revoke',
      recordType: 'risk_acceptance',
      recordId: after.id,
      recordRef: `${after.reference} (${risk.reference})`,
      changes: diffChanges(auditable(before), auditable(after)),
    });
    await syncRiskStatusTx(tx, deps, actor, scopeId, riskId, riskReasons.revoked(after.reference, input.reason));
    return after;
  });
  return conflictWithCurrent(work, null, () => currentAcceptance(deps, scopeId, riskId, revoking, today));
}

/** Ends an acceptance (ended or expired) if it is still active, with its audit entry; false when it no longer was. */
async function endAcceptanceTx(
  tx: Tx,
  deps: Deps,
  actor: Actor | null,
  a: RiskAcceptanceTable,
  riskRef: string,
  status: 'ended' | 'expired',
  reason: EndReason,
  today: string,
): Promise<boolean> {
  const before = await loadAcceptance(tx, a.scope_id, a.risk_id, a.id, today);
  const now = isoNow(deps.clock);
  const ended = {
    status,
    ended_at: now,
    end_reason: english(reason.text),
    end_reason_key: reason.text.key,
    end_reason_params: JSON.stringify(reason.text.params ?? {}),
    updated_at: now,
  };
  if (!(await repo.transitionAcceptance(tx, a.id, [a.status], ended))) return false;
  const after = await loadAcceptance(tx, a.scope_id, a.risk_id, a.id, today);
  // an acceptance that ended (renewed, revoked, overtaken by a higher level) answers the re-review it asked for; an
  // expired one leaves it waiting
  if (status === 'ended')
    await settleWorkTx(tx, deps, actor, {
      scopeId: a.scope_id,
      recordType: 'risk',
      recordId: a.risk_id,
      purposes: [`rereview:${a.id}`],
      outcome: 'done',
      // the reason a text of its own: the note reads wholly in the reader's language
      note: { key: 'tasks:note.acceptanceEnded', params: { acceptanceRef: a.reference, riskRef, reason: reason.text } },
    });
  await appendAudit(tx, deps, actor, {
    scopeId: a.scope_id,
    action: status === 'expired' ? 'expire' : 'end',
    recordType: 'risk_acceptance',
    recordId: a.id,
    recordRef: `${a.reference} (${riskRef})`,
    changes: diffChanges(auditable(before), { ...auditable(after), endReason: reason.audit }),
  });
  return true;
}

/**
 * A re-evaluation that raises a risk's current level ends its acceptances in progress or in force (ISO 27001 8.2:
 * the accepted level no longer describes the risk). Called by the risk-evaluated hand-off, in that transaction.
 */
export async function endAcceptancesOnRaiseTx(
  tx: Tx,
  deps: Deps,
  actor: Actor | null,
  e: { scopeId: string; riskId: string; riskRef: string; level: string; levelLabel: string; previousLevel: string | null },
): Promise<void> {
  if (!e.previousLevel || e.previousLevel === e.level) return;
  const active = await repo.findActiveAcceptancesOfRisk(tx, e.riskId);
  if (active.length === 0) return;
  const current = await methodRepo.findCurrentMethod(tx, e.scopeId);
  if (!current) return;
  const m = parseMethod(current.definition);
  if (severity(m, e.level) <= severity(m, e.previousLevel)) return;
  const today = todayOf(deps);
  for (const a of active) {
    await endAcceptanceTx(tx, deps, actor, a, e.riskRef, 'ended', endReasons.raised(e.riskRef, e.level, e.levelLabel), today);
  }
  await syncRiskStatusTx(
    tx,
    deps,
    actor,
    e.scopeId,
    e.riskId,
    riskReasons.raised(
      e.level,
      active.map((a) => a.reference),
    ),
  );
}

/**
 * The recurring sweep of acceptances (ISO 27001 8.2, 6.1.3 f): EXPIRY_WARNING_DAYS before an effective acceptance
 * expires, the risk owner gets one re-review task (claimed by marking the acceptance, so that concurrent or repeated runs
 * never create a second one); when the expiry date arrives, the acceptance is marked expired. Each change runs in a
 * transaction of its own with its audit entry. Returns the number of tasks created plus acceptances expired.
 */
export async function sweepAcceptances(deps: Deps): Promise<number> {
  const today = todayOf(deps);
  let done = 0;
  for (const a of await repo.findAcceptancesToReview(deps.db, addDays(today, EXPIRY_WARNING_DAYS))) {
    const created = await deps.db.transaction().execute(async (tx) => {
      if (!(await repo.claimReview(tx, a.id, isoNow(deps.clock)))) return false;
      const assigneeId = a.risk_owner_id ?? (await findProcessOwner(tx, a.scope_id, 'risk-assessment'));
      const { task } = await openWorkTx(tx, deps, null, {
        scopeId: a.scope_id,
        purpose: `rereview:${a.id}`,
        title: {
          key: 'tasks:title.rereviewRisk',
          params: { riskRef: a.risk_reference, title: a.risk_title, acceptanceRef: a.reference, expiresOn: a.expires_on },
        },
        description: {
          key: 'tasks:description.rereviewRisk',
          // the level's key beside its label: the task words a built-in label in the reader's language
          params: {
            acceptanceRef: a.reference,
            riskRef: a.risk_reference,
            level: a.level,
            levelLabel: a.level_label,
            expiresOn: a.expires_on,
          },
        },
        processKey: 'risk-assessment',
        assigneeId,
        dueOn: a.expires_on,
        origin: { processKey: 'risk-treatment', recordType: 'risk', recordId: a.risk_id, recordRef: a.risk_reference },
      });
      await repo.setReviewTask(tx, a.id, task.id);
      return true;
    });
    if (created) done += 1;
  }
  for (const a of await repo.findExpiredAcceptances(deps.db, today)) {
    const expired = await deps.db.transaction().execute(async (tx) => {
      await lockRisk(tx, deps.dialect, a.risk_id);
      if (!(await endAcceptanceTx(tx, deps, null, a, a.risk_reference, 'expired', endReasons.expired(a.expires_on), today))) return false;
      await syncRiskStatusTx(tx, deps, null, a.scope_id, a.risk_id, riskReasons.expired(a.reference, a.expires_on));
      return true;
    });
    if (expired) done += 1;
  }
  return done;
}
