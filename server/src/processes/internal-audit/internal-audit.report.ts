import { docxBullets, docxHeading, docxParagraphs, docxTable, renderDocx } from '../../shared/docx.ts';
import { openPdf, pdfField, pdfTime } from '../../shared/pdf.ts';
import type { AuditDetailResponse, AuditResult, AuditStatus } from './internal-audit.schemas.ts';

/** The audit report (ISO 27001 9.2.2 e, f): scope, criteria, team, dates, the result of each row and the findings raised. */
const resultWords: Record<AuditResult, string> = {
  conforming: 'Conforming',
  major_nonconformity: 'Major nonconformity',
  minor_nonconformity: 'Minor nonconformity',
  observation: 'Observation',
  opportunity: 'Opportunity for improvement',
};
const statusWords: Record<AuditStatus, string> = {
  planned: 'Planned',
  prepared: 'Prepared',
  fieldwork: 'Fieldwork',
  reporting: 'Reporting',
  closed: 'Closed',
};
const partyWords = { certification_body: 'Certification body', customer: 'Customer', supplier: 'Supplier' } as const;

/** the report's content, the same in both formats */
function outline(a: AuditDetailResponse, scopeName: string) {
  const source =
    a.source === 'internal'
      ? 'Internal audit'
      : `External audit: ${a.externalParty ? partyWords[a.externalParty] : ''}${a.externalOrganisation ? `, ${a.externalOrganisation}` : ''}`;
  const fields: [string, string][] = [
    ['Organisation', scopeName],
    ['Source', source],
    ['Status', statusWords[a.status]],
    ['Planned', `${a.plannedStart} to ${a.plannedEnd}`],
    ['Closed', a.closedAt ? pdfTime(a.closedAt) : '—'],
    ['Lead auditor', a.leadAuditor?.name ?? '—'],
    ['Audit team', a.team.map((m) => m.name).join(', ') || '—'],
  ];
  const criteria = [
    ...a.criteria.clauses.map((c) => `ISO/IEC 27001 ${c.clause} ${c.title}`),
    ...a.criteria.requirements.map((r) => `${r.identifier} ${r.title}`),
    ...(a.criteria.processes.length ? [`Processes: ${a.criteria.processes.join(', ')}`] : []),
  ];
  const rows = a.checklist.map((i) => ({
    n: String(i.position),
    title: i.title,
    result: i.result ? resultWords[i.result] : 'Not recorded',
    notes: i.notes,
    evidence: i.sampledEvidence.map((e) => `${e.reference} ${e.title}`).join('; '),
    finding: i.finding ? i.finding.reference : '',
  }));
  const findings = a.checklist
    .filter((i) => i.result && i.result !== 'conforming')
    .map(
      (i) =>
        `#${i.position} ${resultWords[i.result!]}: ${i.title}${i.finding ? ` → ${i.finding.reference}` : ''}${i.notes ? ` (${i.notes})` : ''}`,
    );
  const independence = a.independence.map((j) => `${j.conflict}. Justification: ${j.justification}`);
  return { title: `${a.reference} ${a.title}`, fields, scope: a.scope, criteria, rows, findings, independence, conclusion: a.conclusion };
}

export function renderAuditPdf(a: AuditDetailResponse, scopeName: string): Promise<Buffer> {
  const o = outline(a, scopeName);
  const { doc, done } = openPdf({ size: 'A4', margin: 50, compress: false, info: { Title: o.title, Subject: 'Audit report' } });
  const heading = (text: string) =>
    doc
      .moveDown(0.8)
      .font('bold')
      .fontSize(12)
      .fillColor('#1c4e80')
      .text(text)
      .moveDown(0.3)
      .font('regular')
      .fontSize(10)
      .fillColor('black');
  doc.font('regular').fontSize(9).fillColor('#666').text(`${scopeName} · Audit report`);
  doc.moveDown(0.5).font('bold').fontSize(18).fillColor('black').text(o.title);
  doc.moveDown(0.3).font('regular').fontSize(10);
  for (const [label, value] of o.fields) pdfField(doc, label, value);
  heading('Scope');
  doc.text(o.scope || '—');
  heading('Criteria');
  if (o.criteria.length === 0) doc.text('—');
  for (const c of o.criteria) doc.text(`• ${c}`);
  if (o.independence.length) {
    heading('Independence');
    for (const j of o.independence) doc.text(`• ${j}`);
  }
  heading('Checklist');
  for (const r of o.rows) {
    doc
      .font('bold')
      .text(`${r.n}. ${r.title}`, { continued: true })
      .font('regular')
      .text(`  ${r.result}${r.finding ? ` → ${r.finding}` : ''}`);
    if (r.notes) doc.fillColor('#333').text(r.notes).fillColor('black');
    if (r.evidence) doc.fillColor('#666').text(`Sampled: ${r.evidence}`).fillColor('black');
  }
  heading('Findings');
  if (o.findings.length === 0) doc.text('None.');
  for (const f of o.findings) doc.text(`• ${f}`);
  heading('Conclusion');
  doc.text(o.conclusion || '—');
  doc.end();
  return done;
}

export function renderAuditDocx(a: AuditDetailResponse, scopeName: string): Promise<Buffer> {
  const o = outline(a, scopeName);
  return renderDocx({
    title: o.title,
    kind: 'Audit report',
    organisation: scopeName,
    fields: o.fields,
    body: [
      docxHeading('Scope'),
      ...docxParagraphs(o.scope),
      docxHeading('Criteria'),
      ...docxBullets(o.criteria),
      ...(o.independence.length ? [docxHeading('Independence'), ...docxBullets(o.independence)] : []),
      docxHeading('Checklist'),
      docxTable(
        ['#', 'Checklist row', 'Result', 'Notes', 'Sampled evidence', 'Finding'],
        o.rows.map((r) => [r.n, r.title, r.result, r.notes, r.evidence, r.finding]),
      ),
      docxHeading('Findings'),
      ...docxBullets(o.findings, 'None.'),
      docxHeading('Conclusion'),
      ...docxParagraphs(o.conclusion),
    ],
  });
}
