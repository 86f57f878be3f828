import { openPdf, pdfField, pdfTime as fmt } from '../../shared/pdf.ts';
import type { IncidentDetailResponse } from './incident.schemas.ts';

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
      .font('Helvetica-Bold')
      .fontSize(12)
      .fillColor('#1c4e80')
      .text(text)
      .moveDown(0.3)
      .font('Helvetica')
      .fontSize(10)
      .fillColor('black');
  const field = (label: string, value: string) => pdfField(doc, label, value);

  doc
    .font('Helvetica')
    .fontSize(9)
    .fillColor('#666')
    .text(`${scopeName} · Incident report · generated ${fmt(new Date().toISOString())}`);
  doc.moveDown(0.5).font('Helvetica-Bold').fontSize(18).fillColor('black').text(`${incident.reference} ${incident.title}`);
  doc.moveDown(0.3).font('Helvetica').fontSize(10);
  field('Status', incident.status);
  field('Kind', incident.kind);
  field('Reported', `${fmt(incident.reportedAt)} by ${incident.reporter?.name ?? 'unknown'}`);
  field('Noticed', fmt(incident.noticedAt));
  field('Aware since', fmt(incident.awareAt));
  field('Handler', incident.handler?.name ?? '—');

  heading('Description');
  doc.text(incident.description || '—');
  field('Affected', incident.affected);

  heading('Classification');
  field('Category', incident.category?.replace(/_/g, ' ') ?? 'not triaged');
  field('Severity', incident.severity ?? 'not triaged');
  field(
    'Impact',
    (['confidentiality', 'integrity', 'availability'] as const).filter((c) => incident.impact[c]).join(', ') || 'none recorded',
  );
  field('Personal data involved', incident.personalData ? 'yes' : 'no');
  field('Possibly significant under NIS2', incident.nis2Significant ? 'yes' : 'no');
  field('Affected assets', incident.assets.map((a) => `${a.reference} ${a.name}`).join('; '));

  heading('Regulatory notifications');
  if (incident.notifications.length === 0) doc.text('None owed.');
  for (const n of incident.notifications) {
    doc.font('Helvetica-Bold').text(n.label);
    doc
      .font('Helvetica')
      .text(
        `Due ${fmt(n.dueAt)} · ${n.sentAt ? `sent ${fmt(n.sentAt)} to ${n.recipient}${n.externalReference ? ` (ref. ${n.externalReference})` : ''}${n.late ? ` — late: ${n.lateReason}` : ''}` : 'not sent yet'}`,
      );
  }

  heading('Timeline');
  for (const e of incident.timeline) {
    doc
      .font('Helvetica-Bold')
      .text(`${fmt(e.at)} · ${e.actor}`, { continued: true })
      .font('Helvetica')
      .text(`  ${e.measure ? `[${e.measure.replace(/_/g, ' ')}] ` : ''}${e.text}`);
  }

  heading('Lessons learned');
  doc.text(incident.lessonsLearned || '—');
  doc.end();
  return done;
}
