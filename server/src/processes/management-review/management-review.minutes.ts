import { docxBullets, docxHeading, docxParagraphs, docxTable, renderDocx } from '../../shared/docx.ts';
import { openPdf, pdfField, pdfTime } from '../../shared/pdf.ts';
import type { CompiledInputs, InputSection, ReviewDetailResponse } from './management-review.schemas.ts';
import { decisionWords, statusWords } from './management-review.service.ts';

/** The minutes of a management review (ISO 27001 9.3): attendees, the inputs as frozen, discussion, decisions. */
const sectionTitles: Record<InputSection, string> = {
  actions: '9.3.2 a) Status of actions from previous management reviews',
  issues: '9.3.2 b) Changes in external and internal issues',
  interestedParties: '9.3.2 c) Changes in needs and expectations of interested parties',
  performance: '9.3.2 d) Feedback on the information security performance',
  feedback: '9.3.2 e) Feedback from interested parties',
  risks: '9.3.2 f) Results of risk assessment and status of the risk treatment plan',
  opportunities: '9.3.2 g) Opportunities for continual improvement',
  resources: 'Resources and costs',
  incidents: 'Information security incidents in the period',
};

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

function outline(r: ReviewDetailResponse, scopeName: string) {
  const present = r.attendees.filter((a) => a.present).map((a) => a.name);
  const absent = r.attendees.filter((a) => !a.present).map((a) => a.name);
  const fields: [string, string][] = [
    ['Organisation', scopeName],
    ['Status', statusWords[r.status]],
    ['Chair', r.chair?.name ?? '—'],
    ['Planned', r.plannedOn],
    ['Held', pdfTime(r.heldAt)],
    ['Period reviewed', `${r.periodFrom} to ${r.periodTo}`],
    ['Quorum', r.quorum === null ? '—' : String(r.quorum)],
    ['Present', present.join(', ') || '—'],
    ['Absent', absent.join(', ') || '—'],
    ['Inputs (SHA-256)', r.inputsHash ?? 'not frozen yet'],
    ['Minutes approved', r.approvedAt ? `${pdfTime(r.approvedAt)} by ${r.approvedBy?.name ?? ''}` : 'not yet'],
    ['Records register', r.minutesRecord?.reference ?? '—'],
  ];
  const frozen = r.inputs as (CompiledInputs & { commentary?: Record<string, string> }) | null;
  const commentary = { ...r.commentary, ...(frozen?.commentary ?? {}) } as Record<string, string | undefined>;
  const lines = frozen ? figureLines(frozen) : null;
  const sections = (Object.keys(sectionTitles) as InputSection[]).map((key) => ({
    title: sectionTitles[key],
    lines: lines ? lines[key] : ['Inputs not compiled yet'],
    commentary: commentary[key] ?? '',
  }));
  const decisions = r.decisionList.map((d) => ({
    n: String(d.position),
    kind: decisionWords[d.kind],
    title: d.title,
    owner: d.owner?.name ?? '—',
    due: d.dueOn,
    record: d.record.reference,
  }));
  return { title: `${r.reference} ${r.title}`, fields, sections, discussion: r.discussion, decisions };
}

export function renderMinutesPdf(r: ReviewDetailResponse, scopeName: string): Promise<Buffer> {
  const o = outline(r, scopeName);
  const { doc, done } = openPdf({
    size: 'A4',
    margin: 50,
    compress: false,
    info: { Title: o.title, Subject: 'Minutes of the management review' },
  });
  const heading = (text: string, size = 12) =>
    doc
      .moveDown(0.8)
      .font('bold')
      .fontSize(size)
      .fillColor('#1c4e80')
      .text(text)
      .moveDown(0.3)
      .font('regular')
      .fontSize(10)
      .fillColor('black');
  doc.font('regular').fontSize(9).fillColor('#666').text(`${scopeName} · Minutes of the management review`);
  doc.moveDown(0.5).font('bold').fontSize(18).fillColor('black').text(o.title);
  doc.moveDown(0.3).font('regular').fontSize(10);
  for (const [label, value] of o.fields) pdfField(doc, label, value);
  heading('Inputs (ISO/IEC 27001 9.3.2)', 13);
  for (const s of o.sections) {
    heading(s.title, 11);
    for (const l of s.lines) doc.text(`• ${l}`);
    if (s.commentary) doc.fillColor('#333').text(s.commentary).fillColor('black');
    if (!s.lines.length && !s.commentary) doc.text('—');
  }
  heading('Discussion', 13);
  doc.text(o.discussion || '—');
  heading('Decisions (ISO/IEC 27001 9.3.3)', 13);
  if (o.decisions.length === 0) doc.text('None.');
  for (const d of o.decisions)
    doc.font('bold').text(`${d.n}. ${d.kind}: ${d.title}`).font('regular').text(`Owner ${d.owner}, due ${d.due}, record ${d.record}`);
  doc.end();
  return done;
}

export function renderMinutesDocx(r: ReviewDetailResponse, scopeName: string): Promise<Buffer> {
  const o = outline(r, scopeName);
  return renderDocx({
    title: o.title,
    kind: 'Minutes of the management review',
    organisation: scopeName,
    fields: o.fields,
    body: [
      docxHeading('Inputs (ISO/IEC 27001 9.3.2)', 1),
      ...o.sections.flatMap((s) => [
        docxHeading(s.title),
        ...(s.lines.length ? docxBullets(s.lines) : []),
        ...(s.commentary || !s.lines.length ? docxParagraphs(s.commentary) : []),
      ]),
      docxHeading('Discussion', 1),
      ...docxParagraphs(o.discussion),
      docxHeading('Decisions (ISO/IEC 27001 9.3.3)', 1),
      ...(o.decisions.length
        ? [
            docxTable(
              ['#', 'Kind', 'Decision', 'Owner', 'Due', 'Record'],
              o.decisions.map((d) => [d.n, d.kind, d.title, d.owner, d.due, d.record]),
            ),
          ]
        : docxParagraphs('None.')),
    ],
  });
}
