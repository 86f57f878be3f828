import { docxBullets, docxHeading, docxParagraphs, docxTable, renderDocx } from '../../shared/docx.ts';
import { type ExportTexts, exportTexts } from '../../i18n/export-texts.ts';
import { fallbackLanguage } from '../../i18n/i18n.ts';
import { openPdf, pdfField, pdfHeading, pdfTime } from '../../shared/pdf.ts';
import type { CompiledInputs, InputSection, ReviewDetailResponse } from './management-review.schemas.ts';
import { decisionWords } from './management-review.service.ts';

/** The minutes of a management review (ISO 27001 9.3): attendees, the inputs as frozen, discussion, decisions. */

/** the input sections in the order of ISO/IEC 27001 9.3.2 (their titles are in the exports catalog, `minutes.section`) */
const sectionKeys: InputSection[] = [
  'actions',
  'issues',
  'interestedParties',
  'performance',
  'feedback',
  'risks',
  'opportunities',
  'resources',
  'incidents',
];

const money = (n: number) => n.toLocaleString('en-GB', { maximumFractionDigits: 2 });

/** the figures of each section as lines of text, the same in both formats */
function figureLines(i: CompiledInputs): Record<InputSection, string[]> {
  const p = i.performance;
  return {
    actions: [
      `${i.actions.open} open (${i.actions.overdue} overdue), ${i.actions.done} done`,
      ...i.actions.decisions.map(
        (d) =>
          `${d.reviewRef}: ${decisionWords[d.kind]} "${d.title}" → ${d.record.reference} (${d.open ? 'open' : 'done'}${d.owner ? `, ${d.owner}` : ''}, due ${d.dueOn})`,
      ),
    ],
    issues: [],
    interestedParties: [],
    performance: [
      `Nonconformities: ${p.nonconformities.opened} opened and ${p.nonconformities.closed} closed in the period, ${p.nonconformities.open} open; ${p.nonconformities.overdueActions} corrective actions overdue`,
      p.measures.length === 0
        ? 'Measurements: no measurements recorded in Praxis for this period'
        : `Measurements: ${p.measures.length} measures`,
      ...p.measures.map(
        (m) =>
          `${m.reference} ${m.name}: ${m.latest ? `${m.latest.value} ${m.unit} (${m.latest.status.replace('_', ' ')})` : 'no value in the period'}, target ${m.target} ${m.unit}${m.breaches ? `, ${m.breaches} breaches` : ''}`,
      ),
      p.audits.held === 0 && p.audits.majorNonconformities + p.audits.minorNonconformities + p.audits.observations === 0
        ? 'Audits: no audits recorded in Praxis for this period'
        : `Audits: ${p.audits.held} closed; ${p.audits.majorNonconformities} major and ${p.audits.minorNonconformities} minor nonconformities, ${p.audits.observations} observations, ${p.audits.opportunities} opportunities; ${p.audits.openNonconformities} audit nonconformities open`,
    ],
    feedback: [],
    risks: [
      `${i.risks.total} risks not closed: ${i.risks.byLevel.map((l) => `${l.label || 'not assessed'} ${l.count}`).join(', ') || 'none'}`,
      `${i.risks.aboveCriteriaUntreated} above the acceptance criteria without a decided treatment; ${i.risks.pastReview} past their review date`,
      `Treatment actions: ${i.risks.treatmentActions.open} open, ${i.risks.treatmentActions.overdue} overdue`,
    ],
    opportunities: [
      `${i.opportunities.raised} raised in the period (${i.opportunities.implemented} of them implemented), ${i.opportunities.open} open`,
    ],
    resources: [
      `Cost estimate of applicable controls: ${money(i.resources.controlCosts)}; of risk treatment actions: ${money(i.resources.treatmentActionCosts)}`,
    ],
    incidents: [
      `${i.incidents.reported} reported in the period${i.incidents.bySeverity.length ? `: ${i.incidents.bySeverity.map((s) => `${s.severity ?? 'not triaged'} ${s.count}`).join(', ')}` : ''}`,
    ],
  };
}

/** the minutes' content with the fixed words of the reader's language (the figure lines stay in English for now) */
function outline(r: ReviewDetailResponse, scopeName: string, t: ExportTexts) {
  const present = r.attendees.filter((a) => a.present).map((a) => a.name);
  const absent = r.attendees.filter((a) => !a.present).map((a) => a.name);
  const f = (key: string) => t(`minutes.field.${key}`);
  const fields: [string, string][] = [
    [f('organisation'), scopeName],
    [f('status'), t(`minutes.status.${r.status}`)],
    [f('chair'), r.chair?.name ?? '—'],
    [f('planned'), r.plannedOn],
    [f('held'), pdfTime(r.heldAt)],
    [f('period'), t('minutes.periodRange', { from: r.periodFrom, to: r.periodTo })],
    [f('quorum'), r.quorum === null ? '—' : String(r.quorum)],
    [f('present'), present.join(', ') || '—'],
    [f('absent'), absent.join(', ') || '—'],
    [f('inputsHash'), r.inputsHash ?? t('minutes.notFrozen')],
    [
      f('approved'),
      r.approvedAt ? t('minutes.approvedBy', { at: pdfTime(r.approvedAt), name: r.approvedBy?.name ?? '' }) : t('minutes.notYet'),
    ],
    [f('record'), r.minutesRecord?.reference ?? '—'],
  ];
  const frozen = r.inputs as (CompiledInputs & { commentary?: Record<string, string> }) | null;
  const commentary = { ...r.commentary, ...(frozen?.commentary ?? {}) } as Record<string, string | undefined>;
  const lines = frozen ? figureLines(frozen) : null;
  const sections = sectionKeys.map((key) => ({
    title: t(`minutes.section.${key}`),
    lines: lines ? lines[key] : [t('minutes.notCompiled')],
    commentary: commentary[key] ?? '',
  }));
  const decisions = r.decisionList.map((d) => ({
    n: String(d.position),
    kind: t(`minutes.decisionKind.${d.kind}`),
    title: d.title,
    owner: d.owner?.name ?? '—',
    due: d.dueOn,
    record: d.record.reference,
  }));
  return { title: `${r.reference} ${r.title}`, fields, sections, discussion: r.discussion, decisions };
}

export async function renderMinutesPdf(r: ReviewDetailResponse, scopeName: string, lang: string = fallbackLanguage): Promise<Buffer> {
  const t = exportTexts(lang);
  const o = outline(r, scopeName, t);
  const { doc, done } = await openPdf({
    size: 'A4',
    margin: 50,
    compress: false,
    info: { Title: o.title, Subject: t('minutes.kind') },
  });
  const heading = (text: string, size = 12) => pdfHeading(doc, text, size);
  doc
    .font('regular')
    .fontSize(9)
    .fillColor('#666')
    .text(t('minutes.header', { scope: scopeName }));
  doc.moveDown(0.5).font('bold').fontSize(18).fillColor('black').text(o.title);
  doc.moveDown(0.3).font('regular').fontSize(10);
  for (const [label, value] of o.fields) pdfField(doc, label, value);
  heading(t('minutes.heading.inputs'), 13);
  for (const s of o.sections) {
    heading(s.title, 11);
    for (const l of s.lines) doc.text(`• ${l}`);
    if (s.commentary) doc.fillColor('#333').text(s.commentary).fillColor('black');
    if (!s.lines.length && !s.commentary) doc.text('—');
  }
  heading(t('minutes.heading.discussion'), 13);
  doc.text(o.discussion || '—');
  heading(t('minutes.heading.decisions'), 13);
  if (o.decisions.length === 0) doc.text(t('minutes.none'));
  for (const d of o.decisions)
    doc
      .font('bold')
      .text(`${d.n}. ${d.kind}: ${d.title}`)
      .font('regular')
      .text(t('minutes.decisionLine', { owner: d.owner, due: d.due, record: d.record }));
  doc.end();
  return done;
}

export function renderMinutesDocx(r: ReviewDetailResponse, scopeName: string, lang: string = fallbackLanguage): Promise<Buffer> {
  const t = exportTexts(lang);
  const o = outline(r, scopeName, t);
  return renderDocx({
    title: o.title,
    kind: t('minutes.kind'),
    organisation: scopeName,
    fields: o.fields,
    body: [
      docxHeading(t('minutes.heading.inputs'), 1),
      ...o.sections.flatMap((s) => [
        docxHeading(s.title),
        ...(s.lines.length ? docxBullets(s.lines) : []),
        ...(s.commentary || !s.lines.length ? docxParagraphs(s.commentary) : []),
      ]),
      docxHeading(t('minutes.heading.discussion'), 1),
      ...docxParagraphs(o.discussion),
      docxHeading(t('minutes.heading.decisions'), 1),
      ...(o.decisions.length
        ? [
            docxTable(
              ['#', ...['kind', 'decision', 'owner', 'due', 'record'].map((c) => t(`minutes.column.${c}`))],
              o.decisions.map((d) => [d.n, d.kind, d.title, d.owner, d.due, d.record]),
            ),
          ]
        : docxParagraphs(t('minutes.none'))),
    ],
  });
}
