import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { PassThrough, Readable } from 'node:stream';
import type { ZipArchive } from 'archiver';
import { scopeTrailInWords } from '../audit/audit-export.ts';
import { instantIn } from '../audit/audit-words.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { type Actor, requireScopePermission } from '../auth/actor.ts';
import { type ExportTexts, exportTexts } from '../i18n/export-texts.ts';
import { fallbackLanguage, translate } from '../i18n/i18n.ts';
import { getProcessMap } from '../isms/process.service.ts';
import { getAudit, listAudits, renderAuditPdf } from '../processes/internal-audit/index.ts';
import { exportNonconformitiesCsv } from '../processes/improvement/index.ts';
import { exportAwarenessXlsx } from '../processes/competence-awareness/index.ts';
import { getReview, listReviews, renderMinutesPdf } from '../processes/management-review/index.ts';
import { exportMeasuresCsv } from '../processes/performance-evaluation/index.ts';
import { listMeasuresQuery } from '../processes/performance-evaluation/measure.schemas.ts';
import { listDocuments, loadForPdf, renderDocumentPdf } from '../processes/policy-management/index.ts';
import { exportRisksCsv, getRiskMethod } from '../processes/risk-assessment/index.ts';
import { listRisksQuery } from '../processes/risk-assessment/risk.schemas.ts';
import { exportSoaPdf, exportSoaXlsx, exportTreatmentPlanCsv, listSoas, listSoaVersions } from '../processes/risk-treatment/index.ts';
import { getScope } from '../scopes/scope.service.ts';
import { isoNow } from '../shared/clock.ts';
import type { Deps } from '../shared/context.ts';
import { newId } from '../shared/ids.ts';
import { yieldToEventLoop } from '../shared/yield.ts';
import { type PackFile, renderIndexPdf, renderRiskMethodPdf, renderScopePdf } from './audit-pack.pdf.ts';

/**
 * The audit pack (ISO 27001 7.5, 9.2): one ZIP for a certification auditor with what the scope's records hold now — the
 * scope, the policies in force, the risk method, register and treatment plan, the SoA, objectives and measures, the
 * competence and awareness status, the internal audit reports, the management-review minutes, the nonconformities
 * with their corrective actions and the scope's audit trail in words — each file built by its module's own export, an index PDF that lists every file with its
 * version, approval and SHA-256, and `manifest.json` and `SHA256SUMS` over all of them.
 *
 * The ZIP is streamed (archiver): one document is read, rendered and written at a time, and the next starts only when the
 * previous entry has left the archive, so memory holds one document however large the scope; the event loop gets a
 * turn between documents. The pack's creation is an audit-trail entry that names the manifest's hash.
 */

/** Who may take the pack: those who read the audit trail (auditors and managers of the scope). */
const PACK_PERMISSION = 'audit:read' as const;
/** the page size for reading the registers' lists (the largest the list queries allow) */
const PAGE = 200;

export interface AuditPack {
  fileName: string;
  stream: Readable;
}

/** A file name part without characters that archives or file systems dislike. */
const safeName = (s: string) =>
  s
    .replace(/[\\/:*?"<>|\p{Cc}]/gu, '-')
    .trim()
    .slice(0, 80) || 'file';

const approvalNote = (t: ExportTexts, lang: string, who: string | null | undefined, at: string | null | undefined) =>
  at ? t('auditPack.note.approved', { who: who || t('auditPack.note.unknown'), at: instantIn(lang, at) }) : t('auditPack.note.notApproved');

/**
 * Checks access and the scope before the first byte (403/404 as JSON), then answers the ZIP as a stream that is written
 * while the client reads it. The index and the documents built by the modules' exports speak `lang`: the language of the
 * user who asks (the request's, which their language setting decides when they have one; the CLI takes the setting).
 */
export async function buildAuditPack(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  lang: string = actor.language ?? fallbackLanguage,
): Promise<AuditPack> {
  requireScopePermission(actor, scopeId, PACK_PERMISSION);
  const scope = await getScope(deps, actor, scopeId);
  const generatedAt = isoNow(deps.clock);
  // the header speaks ASCII only
  const fileName = `audit-pack-${scope.name.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 60)}-${generatedAt.slice(0, 10)}.zip`;
  // archiver loads with the first pack, not with the server
  const { ZipArchive } = await import('archiver');
  const archive = new ZipArchive({ zlib: { level: 6 } });
  const out = new PassThrough();
  // a reader that goes away (a closed connection, a failed write) stops the building at once
  const stop = new AbortController();
  let finished = false;
  out.on('close', () => {
    if (!finished) stop.abort();
  });
  out.on('end', () => {
    finished = true;
  });
  archive.on('warning', (err) => out.destroy(err));
  archive.on('error', (err) => out.destroy(err));
  archive.pipe(out);
  void writePack(deps, actor, scope, generatedAt, lang, archive, stop.signal).catch((err: unknown) => {
    archive.abort();
    out.destroy(stop.signal.aborted ? undefined : err instanceof Error ? err : new Error(String(err)));
  });
  return { fileName, stream: out };
}

type Scope = Awaited<ReturnType<typeof getScope>>;

async function writePack(
  deps: Deps,
  actor: Actor,
  scope: Scope,
  generatedAt: string,
  lang: string,
  archive: ZipArchive,
  signal: AbortSignal,
): Promise<void> {
  const scopeId = scope.id;
  const files: PackFile[] = [];
  const t = exportTexts(lang);
  // times as the asker reads them (`7. Dez. 2026, 09:00 UTC`), not ISO
  const pdfTime = (iso: string | null | undefined) => instantIn(lang, iso);
  const asOf = t('auditPack.note.asOf', { at: pdfTime(generatedAt) });
  const section = (key: string) => t(`auditPack.section.${key}`);

  /** Appends one entry, hashing it on its way in, and waits until the archive has written it. */
  async function add(section: string, name: string, title: string, note: string, source: Buffer | AsyncIterable<string | Buffer>) {
    signal.throwIfAborted();
    const hash = createHash('sha256');
    let size = 0;
    const entry = once(archive, 'entry', { signal });
    if (Buffer.isBuffer(source)) {
      hash.update(source);
      size = source.length;
      archive.append(source, { name, date: new Date(generatedAt) });
    } else {
      const counted = Readable.from(
        (async function* () {
          for await (const chunk of source) {
            signal.throwIfAborted();
            const b = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
            hash.update(b);
            size += b.length;
            yield b;
          }
        })(),
      );
      // a failing source (a query that fails half-way) fails the archive, and with it the download
      counted.on('error', (err) => archive.emit('error', err));
      archive.append(counted, { name, date: new Date(generatedAt) });
    }
    await entry;
    files.push({ section, name, title, note, sha256: hash.digest('hex'), size });
    await yieldToEventLoop();
  }

  // 1. the scope: description, processes and their owners
  const map = await getProcessMap(deps, actor, scopeId);
  // each process by its name in the reader's language (the processes catalog)
  const processes = map.processes.map((p) => ({
    name: translate(lang, `processes:name.${p.key}`),
    phase: p.phase,
    owner: p.owner?.name ?? null,
  }));
  await add(
    section('scope'),
    '01-scope/scope.pdf',
    t('auditPack.title.scope'),
    asOf,
    await renderScopePdf({ name: scope.name, description: scope.description, profile: scope.profile, processes }, generatedAt, t, lang),
  );

  // 2. the policies in force: each published document's version in force
  for (let page = 1; ; page++) {
    const list = await listDocuments(deps, actor, scopeId, {
      page,
      pageSize: PAGE,
      status: 'published',
      sort: 'reference',
      dir: 'asc',
    } as Parameters<typeof listDocuments>[3]);
    for (const d of list.items) {
      if (!d.currentVersion) continue;
      const data = await loadForPdf(deps, actor, scopeId, d.id, d.currentVersion.id);
      const approvers = data.version.approvals
        .filter((a) => a.decision === 'approved')
        .map((a) => a.approver?.name ?? '')
        .filter(Boolean);
      await add(
        section('policies'),
        `02-policies/${safeName(d.reference)}-v${data.version.versionNo}.pdf`,
        `${d.reference} ${d.title}`,
        t('auditPack.note.policy', {
          version: data.version.versionNo,
          approval: approvalNote(t, lang, approvers.join(', '), data.version.approvedAt),
          publishedAt: pdfTime(data.version.publishedAt),
        }),
        await renderDocumentPdf(data.document, data.version, data.scopeName, data.generatedAt, lang),
      );
    }
    if (page * PAGE >= list.total) break;
  }

  // 3. the risk method
  const method = await getRiskMethod(deps, actor, scopeId, lang);
  await add(
    section('riskAssessment'),
    '03-risks/risk-method.pdf',
    t('auditPack.title.riskMethod'),
    t('auditPack.note.riskMethod', {
      version: method.version,
      who: method.createdBy?.name ?? t('auditPack.note.theSystem'),
      at: pdfTime(method.createdAt),
    }),
    await renderRiskMethodPdf(scope.name, method, generatedAt, t, lang),
  );

  // 4. the risk register (the register's own CSV export) and the treatment plan
  const { page: _p, pageSize: _s, ...riskFilter } = listRisksQuery.parse({});
  await add(
    section('riskAssessment'),
    '03-risks/risk-register.csv',
    t('auditPack.title.riskRegister'),
    t('auditPack.note.riskRegister', { at: pdfTime(generatedAt) }),
    exportRisksCsv(deps, actor, scopeId, riskFilter, lang),
  );
  await add(
    section('riskTreatment'),
    '04-treatment/treatment-plan.csv',
    t('auditPack.title.treatmentPlan'),
    t('auditPack.note.treatmentPlan', { at: pdfTime(generatedAt) }),
    exportTreatmentPlanCsv(deps, actor, scopeId, {}, lang),
  );

  // 5. the Statement of Applicability: the latest approved version of each SoA (else its working copy), PDF and XLSX
  for (let page = 1; ; page++) {
    const list = await listSoas(deps, actor, scopeId, { page, pageSize: PAGE });
    for (const s of list.items) {
      const versions = (await listSoaVersions(deps, actor, scopeId, s.id)).items;
      const approved = s.approvedNumber === null ? undefined : versions.find((v) => v.number === s.approvedNumber);
      const target = { scopeId, id: s.id, version: approved?.number };
      const note = approved
        ? t('auditPack.note.soaApproved', {
            version: approved.number,
            approval: approvalNote(t, lang, approved.approvedBy?.name, approved.approvedAt),
          })
        : t('auditPack.note.soaDraft', { version: s.draftNumber });
      const pdf = await exportSoaPdf(deps, actor, target, lang);
      await add(section('soa'), `05-soa/${safeName(pdf.fileName)}`, `${s.reference} ${s.title} (PDF)`, note, pdf.body);
      const xlsx = await exportSoaXlsx(deps, actor, target, lang);
      await add(section('soa'), `05-soa/${safeName(xlsx.fileName)}`, `${s.reference} ${s.title} (XLSX)`, note, xlsx.stream);
    }
    if (page * PAGE >= list.total) break;
  }

  // 6. objectives and measures (performance evaluation)
  const { page: _mp, pageSize: _ms, ...measureFilter } = listMeasuresQuery.parse({});
  await add(
    section('performance'),
    '06-performance/measures.csv',
    t('auditPack.title.measures'),
    t('auditPack.note.measures', { at: pdfTime(generatedAt) }),
    exportMeasuresCsv(deps, actor, scopeId, measureFilter, lang),
  );

  // 7. competence and awareness
  await add(
    section('awareness'),
    '07-competence/awareness.xlsx',
    t('auditPack.title.awareness'),
    asOf,
    await exportAwarenessXlsx(deps, actor, scopeId, lang),
  );

  // 8. the internal audit reports (audits in reporting or closed)
  for (const status of ['closed', 'reporting'] as const) {
    for (let page = 1; ; page++) {
      const list = await listAudits(deps, actor, scopeId, { page, pageSize: PAGE, status });
      for (const a of list.items) {
        const audit = await getAudit(deps, actor, scopeId, a.id, lang);
        const lead = audit.leadAuditor?.name ?? '—';
        await add(
          section('internalAudit'),
          `08-internal-audit/${safeName(audit.reference)}.pdf`,
          `${audit.reference} ${audit.title}`,
          audit.status === 'closed'
            ? t('auditPack.note.auditClosed', { at: pdfTime(audit.closedAt), lead })
            : t('auditPack.note.auditDraft', { lead }),
          await renderAuditPdf(audit, scope.name, lang),
        );
      }
      if (page * PAGE >= list.total) break;
    }
  }

  // 9. the management-review minutes (reviews held, approved or closed)
  for (const status of ['closed', 'approved', 'held'] as const) {
    for (let page = 1; ; page++) {
      const list = await listReviews(deps, actor, scopeId, { page, pageSize: PAGE, status });
      for (const r of list.items) {
        const review = await getReview(deps, actor, scopeId, r.id);
        await add(
          section('managementReview'),
          `09-management-review/${safeName(review.reference)}-minutes.pdf`,
          `${review.reference} ${review.title}`,
          review.approvedAt
            ? t('auditPack.note.minutesApproved', { approval: approvalNote(t, lang, review.approvedBy?.name, review.approvedAt) })
            : t('auditPack.note.minutesNotApproved'),
          await renderMinutesPdf(review, scope.name, lang),
        );
      }
      if (page * PAGE >= list.total) break;
    }
  }

  // 10. nonconformities with their corrective actions
  await add(
    section('improvement'),
    '10-improvement/nonconformities.csv',
    t('auditPack.title.nonconformities'),
    asOf,
    exportNonconformitiesCsv(deps, actor, scopeId, {}, lang),
  );

  // 11. the scope's audit trail up to now, in words (7.5.3 control of documented information; A.8.15 logging)
  await add(
    section('auditTrail'),
    '11-audit-trail/audit-trail.txt',
    t('auditPack.title.auditTrail'),
    t('auditPack.note.auditTrail', { at: pdfTime(generatedAt) }),
    scopeTrailInWords(deps, scopeId, lang),
  );

  // the index (every file above with its hash), then the manifest over everything, the index included
  const index = await renderIndexPdf({ scopeName: scope.name, generatedAt, generatedBy: actor.name, files }, t, lang);
  const documents = [...files];
  await add(
    section('index'),
    'index.pdf',
    t('auditPack.title.index'),
    t('auditPack.note.index', { at: pdfTime(generatedAt), by: actor.name }),
    index,
  );
  const manifest = {
    format: 'praxis-audit-pack/1',
    scope: { id: scope.id, name: scope.name },
    generatedAt,
    generatedBy: { id: actor.userId, name: actor.name },
    algorithm: 'SHA-256',
    files: files.map((f) => ({ path: f.name, sha256: f.sha256, size: f.size, title: f.title, versionAndApproval: f.note })),
  };
  const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
  const sums = Buffer.from(files.map((f) => `${f.sha256}  ${f.name}\n`).join(''), 'utf8');
  const manifestHash = createHash('sha256').update(manifestBytes).digest('hex');

  // the trail notes the pack before its last bytes leave: a pack the auditor holds has its entry
  await deps.db.transaction().execute(async (tx) => {
    await appendAudit(tx, deps, actor, {
      scopeId,
      action: 'export',
      recordType: 'audit_pack',
      recordId: newId(),
      recordRef: null,
      changes: {
        files: { from: null, to: documents.length },
        manifestSha256: { from: null, to: manifestHash },
      },
    });
  });
  archive.append(manifestBytes, { name: 'manifest.json', date: new Date(generatedAt) });
  archive.append(sums, { name: 'SHA256SUMS', date: new Date(generatedAt) });
  await archive.finalize();
}
