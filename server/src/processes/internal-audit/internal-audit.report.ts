import { docxBullets, docxHeading, docxParagraphs, docxTable, renderDocx } from '../../shared/docx.ts';
import { type ExportTexts, exportTexts } from '../../i18n/export-texts.ts';
import { fallbackLanguage } from '../../i18n/i18n.ts';
import { processName } from '../../isms/process-texts.ts';
import { openPdf, pdfField, pdfHeading, pdfTime } from '../../shared/pdf.ts';
import type { AuditDetailResponse } from './internal-audit.schemas.ts';
import { turns } from '../../shared/yield.ts';

/** The audit report (ISO 27001 9.2.2 e, f): scope, criteria, team, dates, the result of each row and the findings raised. */

/** the report's content, the same in both formats, with the fixed words (and the processes' names) of the reader's language */
function outline(a: AuditDetailResponse, scopeName: string, t: ExportTexts, lang: string) {
  const resultWords = (r: string) => t(`audit.result.${r}`);
  const source =
    a.source === 'internal'
      ? t('audit.internal')
      : t('audit.external', {
          party: `${a.externalParty ? t(`audit.party.${a.externalParty}`) : ''}${a.externalOrganisation ? `, ${a.externalOrganisation}` : ''}`,
        });
  const fields: [string, string][] = [
    [t('audit.field.organisation'), scopeName],
    [t('audit.field.source'), source],
    [t('audit.field.status'), t(`audit.status.${a.status}`)],
    [t('audit.field.planned'), t('audit.plannedRange', { start: a.plannedStart, end: a.plannedEnd })],
    [t('audit.field.closed'), a.closedAt ? pdfTime(a.closedAt) : '—'],
    [t('audit.field.leadAuditor'), a.leadAuditor?.name ?? '—'],
    [t('audit.field.team'), a.team.map((m) => m.name).join(', ') || '—'],
  ];
  const criteria = [
    ...a.criteria.clauses.map((c) => `ISO/IEC 27001 ${c.clause} ${c.title}`),
    ...a.criteria.requirements.map((r) => `${r.identifier} ${r.title}`),
    ...(a.criteria.processes.length
      ? [t('audit.processes', { processes: a.criteria.processes.map((k) => processName(lang, k)).join(', ') })]
      : []),
  ];
  const rows = a.checklist.map((i) => ({
    n: String(i.position),
    title: i.title,
    result: i.result ? resultWords(i.result) : t('audit.notRecorded'),
    notes: i.notes,
    evidence: i.sampledEvidence.map((e) => `${e.reference} ${e.title}`).join('; '),
    finding: i.finding ? i.finding.reference : '',
  }));
  const findings = a.checklist
    .filter((i) => i.result && i.result !== 'conforming')
    .map(
      (i) =>
        `#${i.position} ${resultWords(i.result!)}: ${i.title}${i.finding ? ` → ${i.finding.reference}` : ''}${i.notes ? ` (${i.notes})` : ''}`,
    );
  const independence = a.independence.map((j) => t('audit.justification', { conflict: j.conflict, justification: j.justification }));
  return { title: `${a.reference} ${a.title}`, fields, scope: a.scope, criteria, rows, findings, independence, conclusion: a.conclusion };
}

export async function renderAuditPdf(a: AuditDetailResponse, scopeName: string, lang: string = fallbackLanguage): Promise<Buffer> {
  const t = exportTexts(lang);
  const o = outline(a, scopeName, t, lang);
  const { doc, done } = await openPdf({ size: 'A4', margin: 50, compress: false, info: { Title: o.title, Subject: t('audit.kind') } });
  const heading = (text: string) => pdfHeading(doc, text);
  doc
    .font('regular')
    .fontSize(9)
    .fillColor('#666')
    .text(t('audit.header', { scope: scopeName }));
  doc.moveDown(0.5).font('bold').fontSize(18).fillColor('black').text(o.title);
  doc.moveDown(0.3).font('regular').fontSize(10);
  for (const [label, value] of o.fields) pdfField(doc, label, value);
  heading(t('audit.heading.scope'));
  doc.text(o.scope || '—');
  heading(t('audit.heading.criteria'));
  if (o.criteria.length === 0) doc.text('—');
  for (const c of o.criteria) doc.text(`• ${c}`);
  if (o.independence.length) {
    heading(t('audit.heading.independence'));
    for (const j of o.independence) doc.text(`• ${j}`);
  }
  heading(t('audit.heading.checklist'));
  const turn = turns();
  for (const r of o.rows) {
    await turn();
    doc
      .font('bold')
      .text(`${r.n}. ${r.title}`, { continued: true })
      .font('regular')
      .text(`  ${r.result}${r.finding ? ` → ${r.finding}` : ''}`);
    if (r.notes) doc.fillColor('#333').text(r.notes).fillColor('black');
    if (r.evidence)
      doc
        .fillColor('#666')
        .text(t('audit.sampled', { evidence: r.evidence }))
        .fillColor('black');
  }
  heading(t('audit.heading.findings'));
  if (o.findings.length === 0) doc.text(t('audit.none'));
  for (const f of o.findings) doc.text(`• ${f}`);
  heading(t('audit.heading.conclusion'));
  doc.text(o.conclusion || '—');
  doc.end();
  return done;
}

export function renderAuditDocx(a: AuditDetailResponse, scopeName: string, lang: string = fallbackLanguage): Promise<Buffer> {
  const t = exportTexts(lang);
  const o = outline(a, scopeName, t, lang);
  const column = (c: string) => t(`audit.column.${c}`);
  return renderDocx({
    title: o.title,
    kind: t('audit.kind'),
    organisation: scopeName,
    fields: o.fields,
    body: [
      docxHeading(t('audit.heading.scope')),
      ...docxParagraphs(o.scope),
      docxHeading(t('audit.heading.criteria')),
      ...docxBullets(o.criteria),
      ...(o.independence.length ? [docxHeading(t('audit.heading.independence')), ...docxBullets(o.independence)] : []),
      docxHeading(t('audit.heading.checklist')),
      docxTable(
        ['#', ...['row', 'result', 'notes', 'evidence', 'finding'].map(column)],
        o.rows.map((r) => [r.n, r.title, r.result, r.notes, r.evidence, r.finding]),
      ),
      docxHeading(t('audit.heading.findings')),
      ...docxBullets(o.findings, t('audit.none')),
      docxHeading(t('audit.heading.conclusion')),
      ...docxParagraphs(o.conclusion),
    ],
  });
}
