import { docxBullets, docxHeading, docxParagraphs, docxTable, renderDocx } from '../../shared/docx.ts';
import { type ExportTexts, exportTexts } from '../../i18n/export-texts.ts';
import { fallbackLanguage, translate } from '../../i18n/i18n.ts';
import { openPdf, pdfField, pdfHeading, pdfTime as fmt } from '../../shared/pdf.ts';
import type { IncidentDetailResponse } from './incident.schemas.ts';
import { turns } from '../../shared/yield.ts';

const english = exportTexts(fallbackLanguage);

/** the report's facts, the same in both formats, in the words of the reader's language (`t`, `lang`) */
function outline(incident: IncidentDetailResponse, t: ExportTexts, lang: string) {
  const word = (group: string, code: string | null | undefined, none: string) => (code ? t(`incident.${group}.${code}`) : none);
  const yes = (b: boolean) => t(b ? 'risk.yes' : 'risk.no');
  const facts: [string, string][] = [
    [t('incident.field.reference'), incident.reference],
    [t('incident.field.status'), word('status', incident.status, '—')],
    [t('incident.field.kind'), word('type', incident.kind, '—')],
    [
      t('incident.field.reported'),
      t('incident.reportedBy', { at: fmt(incident.reportedAt), name: incident.reporter?.name ?? t('incident.unknown') }),
    ],
    [t('incident.field.noticed'), fmt(incident.noticedAt)],
    [t('incident.field.awareSince'), fmt(incident.awareAt)],
    [t('incident.field.handler'), incident.handler?.name ?? '—'],
  ];
  const impact = (['confidentiality', 'integrity', 'availability'] as const).filter((c) => incident.impact[c]);
  const classification: [string, string][] = [
    [t('incident.field.category'), word('category', incident.category, t('incident.notTriaged'))],
    [t('incident.field.severity'), word('severity', incident.severity, t('incident.notTriaged'))],
    [t('incident.field.impact'), impact.map((c) => t(`incident.impact.${c}`)).join(', ') || t('incident.noneRecorded')],
    [t('incident.field.personalData'), yes(incident.personalData)],
    [t('incident.field.nis2'), yes(incident.nis2Significant)],
    [t('incident.field.assets'), incident.assets.map((a) => `${a.reference} ${a.name}`).join('; ')],
  ];
  const notifications = incident.notifications.map((n) => {
    const sent = n.sentAt
      ? [
          t('incident.sent', { at: fmt(n.sentAt), recipient: n.recipient ?? '' }),
          n.externalReference ? ` ${t('incident.ref', { reference: n.externalReference })}` : '',
          n.late ? ` — ${t('incident.late', { reason: n.lateReason ?? '' })}` : '',
        ].join('')
      : t('incident.notSent');
    return {
      label: lang === fallbackLanguage ? n.label : translate(lang, `tasks:regime.${n.regime}`),
      text: `${t('incident.due', { at: fmt(n.dueAt) })} · ${sent}`,
    };
  });
  const timeline = incident.timeline.map((e) => ({
    at: fmt(e.at),
    actor: e.actor,
    text: `${e.measure ? `[${t(`incident.measure.${e.measure}`)}] ` : ''}${e.text}`,
  }));
  return { title: `${incident.reference} ${incident.title}`, facts, classification, notifications, timeline };
}

/** The incident report as DOCX: the same content as the PDF, the timeline as a table. */
export function renderIncidentDocx(incident: IncidentDetailResponse, scopeName: string, lang: string = fallbackLanguage): Promise<Buffer> {
  const t = lang === fallbackLanguage ? english : exportTexts(lang);
  const o = outline(incident, t, lang);
  return renderDocx({
    title: o.title,
    kind: t('incident.kind'),
    organisation: scopeName,
    fields: o.facts,
    body: [
      docxHeading(t('incident.heading.description')),
      ...docxParagraphs(incident.description),
      docxHeading(t('incident.heading.affected')),
      ...docxParagraphs(incident.affected),
      docxHeading(t('incident.heading.classification')),
      docxTable([t('incident.column.aspect'), t('incident.column.assessment')], o.classification),
      docxHeading(t('incident.heading.notifications')),
      ...docxBullets(
        o.notifications.map((n) => `${n.label}: ${n.text}`),
        t('incident.noneOwed'),
      ),
      docxHeading(t('incident.heading.timeline')),
      ...(o.timeline.length
        ? [
            docxTable(
              [t('incident.column.when'), t('incident.column.who'), t('incident.column.what')],
              o.timeline.map((e) => [e.at, e.actor, e.text]),
            ),
          ]
        : docxParagraphs('')),
      docxHeading(t('incident.heading.lessons')),
      ...docxParagraphs(incident.lessonsLearned),
    ],
  });
}

/** The incident report an auditor or authority receives: facts, classification, timeline, notifications, lessons. */
export async function renderIncidentPdf(
  incident: IncidentDetailResponse,
  scopeName: string,
  lang: string = fallbackLanguage,
): Promise<Buffer> {
  const t = lang === fallbackLanguage ? english : exportTexts(lang);
  const { doc, done } = await openPdf({
    size: 'A4',
    margin: 50,
    compress: false,
    info: { Title: `${incident.reference} ${incident.title}`, Subject: t('incident.kind') },
  });

  const heading = (text: string) => pdfHeading(doc, text);
  const field = (label: string, value: string) => pdfField(doc, label, value);

  doc
    .font('regular')
    .fontSize(9)
    .fillColor('#666')
    .text(t('incident.generated', { scope: scopeName, at: fmt(new Date().toISOString()) }));
  doc.moveDown(0.5).font('bold').fontSize(18).fillColor('black').text(`${incident.reference} ${incident.title}`);
  doc.moveDown(0.3).font('regular').fontSize(10);
  const o = outline(incident, t, lang);
  for (const [label, value] of o.facts.slice(1)) field(label, value);

  heading(t('incident.heading.description'));
  doc.text(incident.description || '—');
  field(t('incident.heading.affected'), incident.affected);

  heading(t('incident.heading.classification'));
  for (const [label, value] of o.classification) field(label, value);

  heading(t('incident.heading.notifications'));
  if (o.notifications.length === 0) doc.text(t('incident.noneOwed'));
  for (const n of o.notifications) {
    doc.font('bold').text(n.label);
    doc.font('regular').text(n.text);
  }

  heading(t('incident.heading.timeline'));
  const turn = turns();
  for (const e of o.timeline) {
    await turn();
    doc.font('bold').text(`${e.at} · ${e.actor}`, { continued: true }).font('regular').text(`  ${e.text}`);
  }

  heading(t('incident.heading.lessons'));
  doc.text(incident.lessonsLearned || '—');
  doc.end();
  return done;
}
