import { docxBullets, docxHeading, docxParagraphs, docxTable, renderDocx } from '../../shared/docx.ts';
import { openPdf, pdfField, pdfTime as fmt } from '../../shared/pdf.ts';
import type { IncidentDetailResponse } from './incident.schemas.ts';

const words = (code: string | null | undefined, none: string) => (code ? code.replace(/_/g, ' ') : none);

/** the report's facts, the same in both formats */
function outline(incident: IncidentDetailResponse) {
  const facts: [string, string][] = [
    ['Reference', incident.reference],
    ['Status', words(incident.status, '—')],
    ['Kind', words(incident.kind, '—')],
    ['Reported', `${fmt(incident.reportedAt)} by ${incident.reporter?.name ?? 'unknown'}`],
    ['Noticed', fmt(incident.noticedAt)],
    ['Aware since', fmt(incident.awareAt)],
    ['Handler', incident.handler?.name ?? '—'],
  ];
  const classification: [string, string][] = [
    ['Category', words(incident.category, 'not triaged')],
    ['Severity', incident.severity ?? 'not triaged'],
    ['Impact', (['confidentiality', 'integrity', 'availability'] as const).filter((c) => incident.impact[c]).join(', ') || 'none recorded'],
    ['Personal data involved', incident.personalData ? 'yes' : 'no'],
    ['Possibly significant under NIS2', incident.nis2Significant ? 'yes' : 'no'],
    ['Affected assets', incident.assets.map((a) => `${a.reference} ${a.name}`).join('; ')],
  ];
  const notifications = incident.notifications.map((n) => ({
    label: n.label,
    text: `Due ${fmt(n.dueAt)} · ${n.sentAt ? `sent ${fmt(n.sentAt)} to ${n.recipient}${n.externalReference ? ` (ref. ${n.externalReference})` : ''}${n.late ? ` — late: ${n.lateReason}` : ''}` : 'not sent yet'}`,
  }));
  const timeline = incident.timeline.map((e) => ({
    at: fmt(e.at),
    actor: e.actor,
    text: `${e.measure ? `[${words(e.measure, '')}] ` : ''}${e.text}`,
  }));
  return { title: `${incident.reference} ${incident.title}`, facts, classification, notifications, timeline };
}

/** The incident report as DOCX: the same content as the PDF, the timeline as a table. */
export function renderIncidentDocx(incident: IncidentDetailResponse, scopeName: string): Promise<Buffer> {
  const o = outline(incident);
  return renderDocx({
    title: o.title,
    kind: 'Incident report',
    organisation: scopeName,
    fields: o.facts,
    body: [
      docxHeading('Description'),
      ...docxParagraphs(incident.description),
      docxHeading('Affected'),
      ...docxParagraphs(incident.affected),
      docxHeading('Classification'),
      docxTable(['Aspect', 'Assessment'], o.classification),
      docxHeading('Regulatory notifications'),
      ...docxBullets(
        o.notifications.map((n) => `${n.label}: ${n.text}`),
        'None owed.',
      ),
      docxHeading('Timeline'),
      ...(o.timeline.length
        ? [
            docxTable(
              ['When', 'Who', 'What'],
              o.timeline.map((e) => [e.at, e.actor, e.text]),
            ),
          ]
        : docxParagraphs('')),
      docxHeading('Lessons learned'),
      ...docxParagraphs(incident.lessonsLearned),
    ],
  });
}

/** The incident report an auditor or authority receives: facts, classification, timeline, notifications, lessons. */
export function renderIncidentPdf(incident: IncidentDetailResponse, scopeName: string): Promise<Buffer> {
  const { doc, done } = openPdf({
    size: 'A4',
    margin: 50,
    compress: false,
    info: { Title: `${incident.reference} ${incident.title}`, Subject: 'Incident report' },
  });

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
  const field = (label: string, value: string) => pdfField(doc, label, value);

  doc
    .font('regular')
    .fontSize(9)
    .fillColor('#666')
    .text(`${scopeName} · Incident report · generated ${fmt(new Date().toISOString())}`);
  doc.moveDown(0.5).font('bold').fontSize(18).fillColor('black').text(`${incident.reference} ${incident.title}`);
  doc.moveDown(0.3).font('regular').fontSize(10);
  const o = outline(incident);
  for (const [label, value] of o.facts.slice(1)) field(label, value);

  heading('Description');
  doc.text(incident.description || '—');
  field('Affected', incident.affected);

  heading('Classification');
  for (const [label, value] of o.classification) field(label, value);

  heading('Regulatory notifications');
  if (o.notifications.length === 0) doc.text('None owed.');
  for (const n of o.notifications) {
    doc.font('bold').text(n.label);
    doc.font('regular').text(n.text);
  }

  heading('Timeline');
  for (const e of o.timeline) {
    doc.font('bold').text(`${e.at} · ${e.actor}`, { continued: true }).font('regular').text(`  ${e.text}`);
  }

  heading('Lessons learned');
  doc.text(incident.lessonsLearned || '—');
  doc.end();
  return done;
}
