import { listPage } from '../../db/paging.ts';
import type { Readable } from 'node:stream';
import { type Actor, requireScopePermission } from '../../auth/actor.ts';
import type { Executor, Tx } from '../../db/database.ts';
import type { EvidenceTable } from './control-implementation.tables.ts';
import {
  DEFAULT_MAX_BYTES,
  openFile,
  registerBlobTx,
  removeUnreferencedBlobs,
  type StoredFile,
  storeFile,
} from '../../files/file-store.ts';
import type { UploadPart } from '../../files/upload.ts';
import { isoNow } from '../../shared/clock.ts';
import type { Deps } from '../../shared/context.ts';
import { AppError, errorText, invalid, notFound } from '../../shared/errors.ts';
import { issueError } from '../../shared/zod-issue.ts';
import { newId } from '../../shared/ids.ts';
import { nextReference } from '../../shared/references.ts';
import {
  auditCreatedRecord,
  changeVersionedRecord,
  deleteVersionedRecord,
  loadVersionedRecord,
  type VersionedRecordKind,
} from '../../shared/versioned-record.ts';
import { countControlsInScope } from './control.repository.ts';
import { isExpired, todayOf } from './control.service.ts';
import {
  type EvidenceDetailResponse,
  type EvidenceResponse,
  type FileEvidenceInput,
  fileEvidenceFields,
  type LinkEvidenceInput,
  type ListEvidenceQuery,
  type UpdateEvidenceInput,
} from './evidence.schemas.ts';
import * as repo from './evidence.repository.ts';

/** Largest evidence file accepted (25 MB); larger evidence is linked instead. */
export const EVIDENCE_MAX_BYTES = DEFAULT_MAX_BYTES;

export function presentEvidence(row: repo.EvidenceRow, today: string): EvidenceResponse {
  return {
    id: row.id,
    scopeId: row.scope_id,
    reference: row.reference,
    title: row.title,
    description: row.description,
    kind: row.kind,
    fileName: row.file_name,
    mediaType: row.media_type,
    size: row.size === null ? null : Number(row.size),
    sha256: row.sha256,
    url: row.url,
    evidenceDate: row.evidence_date,
    validUntil: row.valid_until,
    expired: isExpired(row.valid_until, today),
    controlCount: Number(row.control_count ?? 0),
    createdBy: row.created_by ? { id: row.created_by, name: row.creator_name ?? '', email: row.creator_email ?? '' } : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: Number(row.version),
  };
}

async function loadDetail(db: Executor, scopeId: string, id: string, today: string): Promise<EvidenceDetailResponse | null> {
  const row = await repo.findEvidence(db, scopeId, id, today);
  if (!row) return null;
  const controls = await repo.findEvidenceControls(db, id);
  return { ...presentEvidence(row, today), controls };
}

function auditable(e: EvidenceDetailResponse) {
  return {
    title: e.title,
    description: e.description,
    kind: e.kind,
    fileName: e.fileName,
    sha256: e.sha256,
    url: e.url,
    evidenceDate: e.evidenceDate,
    validUntil: e.validUntil,
    controls: e.controls.map((c) => c.reference),
  };
}

function checkDates(evidenceDate: string, validUntil: string | null) {
  if (validUntil !== null && validUntil < evidenceDate) {
    throw invalid('body.validUntil', errorText('evidence.validUntilBeforeDate'));
  }
}

async function checkControls(tx: Tx, scopeId: string, controlIds: string[], field = 'body.controlIds') {
  if (controlIds.length && (await countControlsInScope(tx, scopeId, controlIds)) !== controlIds.length) {
    throw new AppError('not_found', errorText('evidence.controlNotFound'), { field });
  }
}

async function insertEvidenceTx(
  tx: Tx,
  deps: Deps,
  actor: Actor,
  scopeId: string,
  input: FileEvidenceInput & { url?: string },
  file: (StoredFile & { fileName: string }) | null,
): Promise<EvidenceDetailResponse> {
  checkDates(input.evidenceDate, input.validUntil);
  const controlIds = [...new Set(input.controlIds)];
  await checkControls(tx, scopeId, controlIds);
  if (file) await registerBlobTx(tx, deps, file);
  const now = isoNow(deps.clock);
  const row: EvidenceTable = {
    id: newId(),
    scope_id: scopeId,
    reference: await nextReference(tx, scopeId, 'EVD'),
    title: input.title,
    description: input.description,
    kind: file ? 'file' : 'link',
    sha256: file?.sha256 ?? null,
    file_name: file?.fileName ?? null,
    media_type: file?.mediaType ?? null,
    size: file?.size ?? null,
    url: file ? null : (input.url ?? null),
    evidence_date: input.evidenceDate,
    valid_until: input.validUntil,
    created_by: actor.userId,
    created_at: now,
    updated_at: now,
    version: 1,
  };
  await repo.insertEvidence(tx, row);
  await repo.addControlLinks(tx, row.id, controlIds);
  return auditCreatedRecord(tx, deps, actor, evidenceKind(deps), { scopeId, id: row.id });
}

/** A safe file name to keep: no path, no control characters, at most 200 characters. */
function cleanFileName(name: string | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[\p{Cc}"]/gu, '').trim();
  return (clean || 'evidence').slice(0, 200);
}

/**
 * Evidence from an uploaded file (ISO 27001 7.5.3, 9.1): multipart form fields (title, evidenceDate, validUntil,
 * description, controlIds) and one file in the field "file". The file is stored content-addressed (once per content),
 * size-limited and type-checked by its content; the record, its control links and the audit entry in one transaction.
 */
export async function createFileEvidence(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  parts: AsyncIterable<UploadPart>,
): Promise<EvidenceDetailResponse> {
  requireScopePermission(actor, scopeId, 'evidence:write');
  const fields: Record<string, unknown> = {};
  let file: (StoredFile & { fileName: string }) | null = null;
  for await (const part of parts) {
    if (part.type === 'file') {
      if (part.fieldname !== 'file' || !part.file) throw invalid(`body.${part.fieldname}`, errorText('evidence.fileField'));
      const fileName = cleanFileName(part.filename);
      file = { ...(await storeFile(deps, part.file as Readable, { maxBytes: EVIDENCE_MAX_BYTES, fileName })), fileName };
    } else if (part.fieldname === 'controlIds') {
      const ids = String(part.value ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      fields.controlIds = [...((fields.controlIds as string[] | undefined) ?? []), ...ids];
    } else if (part.fieldname === 'validUntil' && part.value === '') {
      fields.validUntil = null;
    } else {
      fields[part.fieldname] = part.value;
    }
  }
  if (!file) throw invalid('file', errorText('evidence.noFile'));
  const parsed = fileEvidenceFields.safeParse(fields);
  // an unknown field is named by its own path (validationText adds the key)
  if (!parsed.success) throw issueError(parsed.error.issues[0]!, 'body', fields);
  const stored = file;
  return deps.db.transaction().execute((tx) => insertEvidenceTx(tx, deps, actor, scopeId, parsed.data, stored));
}

/** Evidence that lives elsewhere (a ticket, a report in another system): an http(s) link. */
export async function createLinkEvidence(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  input: LinkEvidenceInput,
): Promise<EvidenceDetailResponse> {
  requireScopePermission(actor, scopeId, 'evidence:write');
  return deps.db.transaction().execute((tx) => insertEvidenceTx(tx, deps, actor, scopeId, input, null));
}

export async function getEvidence(deps: Deps, actor: Actor, scopeId: string, id: string): Promise<EvidenceDetailResponse> {
  requireScopePermission(actor, scopeId, 'evidence:read');
  return loadVersionedRecord(deps.db, evidenceKind(deps), scopeId, id);
}

export async function listEvidence(deps: Deps, actor: Actor, scopeId: string, query: ListEvidenceQuery) {
  requireScopePermission(actor, scopeId, 'evidence:read');
  const today = todayOf(deps);
  const { rows, total, capped } = await repo.listEvidence(deps.db, scopeId, query, today);
  return listPage(
    rows.map((r) => presentEvidence(r, today)),
    { total, capped },
    query,
  );
}

function evidenceKind(deps: Deps): VersionedRecordKind<EvidenceDetailResponse, 'evidence'> {
  const today = todayOf(deps);
  return { table: 'evidence', recordType: 'evidence', label: 'Evidence', load: (db, s, i) => loadDetail(db, s, i, today), auditable };
}

/** Every change of evidence moves its version and is audited, also when only its control links changed. */
function changeEvidence(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  id: string,
  version: number | null,
  action: string,
  change: (tx: Tx, before: EvidenceDetailResponse) => Promise<Partial<EvidenceTable> | null>,
): Promise<EvidenceDetailResponse> {
  return changeVersionedRecord(deps, actor, evidenceKind(deps), { scopeId, id, version }, change, {
    action,
    conflictSinceOpened: true,
    always: true,
  });
}

export async function updateEvidence(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  id: string,
  input: UpdateEvidenceInput,
): Promise<EvidenceDetailResponse> {
  requireScopePermission(actor, scopeId, 'evidence:write');
  return changeEvidence(deps, actor, scopeId, id, input.version, 'update', async (_tx, before) => {
    if (input.url !== undefined && before.kind !== 'link') throw invalid('body.url', errorText('evidence.urlOnlyForLinks'));
    checkDates(input.evidenceDate ?? before.evidenceDate, input.validUntil === undefined ? before.validUntil : input.validUntil);
    const patch: Partial<EvidenceTable> = {};
    if (input.title !== undefined) patch.title = input.title;
    if (input.description !== undefined) patch.description = input.description;
    if (input.evidenceDate !== undefined) patch.evidence_date = input.evidenceDate;
    if (input.validUntil !== undefined) patch.valid_until = input.validUntil;
    if (input.url !== undefined) patch.url = input.url;
    return patch;
  });
}

/** Links evidence to a control of the same scope (kept if it exists). */
export async function attachEvidenceToControl(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  id: string,
  controlId: string,
): Promise<EvidenceDetailResponse> {
  requireScopePermission(actor, scopeId, 'evidence:write');
  return changeEvidence(deps, actor, scopeId, id, null, 'attach', async (tx) => {
    await checkControls(tx, scopeId, [controlId], 'body.controlId');
    await repo.addControlLinks(tx, id, [controlId]);
    return null;
  });
}

export async function detachEvidenceFromControl(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  id: string,
  controlId: string,
): Promise<EvidenceDetailResponse> {
  requireScopePermission(actor, scopeId, 'evidence:write');
  return changeEvidence(deps, actor, scopeId, id, null, 'detach', async (tx) => {
    if (!(await repo.removeControlLink(tx, id, controlId))) throw notFound('Link between this evidence and control');
    return null;
  });
}

/** Deletes the record (the stored content stays: other evidence or documents may share it). */
export async function deleteEvidence(deps: Deps, actor: Actor, scopeId: string, id: string, version: number): Promise<void> {
  requireScopePermission(actor, scopeId, 'evidence:write');
  const sha256 = (await repo.findEvidence(deps.db, scopeId, id, todayOf(deps)))?.sha256 ?? null;
  await deleteVersionedRecord(deps, actor, evidenceKind(deps), { scopeId, id, version }, repo.deleteEvidence);
  // the stored file goes with its last record, once the deletion has committed
  await removeUnreferencedBlobs(deps, [sha256]);
}

/** The stored file of file evidence, for members who may read evidence. */
export async function downloadEvidence(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  id: string,
): Promise<{ stream: Readable; fileName: string; mediaType: string; size: number }> {
  requireScopePermission(actor, scopeId, 'evidence:read');
  const row = await repo.findEvidence(deps.db, scopeId, id, todayOf(deps));
  if (!row) throw notFound('Evidence');
  if (row.kind !== 'file' || !row.sha256) throw new AppError('invalid_state', errorText('evidence.isLink', { reference: row.reference }));
  const { stream, size } = await openFile(deps, row.sha256);
  return { stream, fileName: row.file_name ?? 'evidence', mediaType: row.media_type ?? 'application/octet-stream', size };
}
