import { docxBullets, docxHeading, docxParagraphs, docxTable, renderDocx } from '../../shared/docx.ts';
import { type ExportTexts, exportTexts } from '../../i18n/export-texts.ts';
import { fallbackLanguage, type TextParams, translate } from '../../i18n/i18n.ts';
import { openPdf, pdfField, pdfHeading, pdfTime } from '../../shared/pdf.ts';
import { type CompiledInputs, type InputSection, inputSections, type ReviewDetailResponse } from './management-review.schemas.ts';
import { levelLabelIn } from '../risk-assessment/index.ts';

/** The minutes of a management review (ISO 27001 9.3): attendees, the inputs as frozen, discussion, decisions. */

/** the input sections in the order of ISO/IEC 27001 9.3.2 (their titles are in the exports catalog, `minutes.section`) */
const sectionKeys: readonly InputSection[] = inputSections;

/**
 * The figures of each section as lines of text in the reader's language (the `reviews:figure` texts, as the review page
 * words them), the same in both formats. Built-in risk-level labels are worded for the reader, typed ones stay as typed.
 */
function figureLines(i: CompiledInputs, lang: string): Record<InputSection, string[]> {
  const f = (key: string, params: TextParams = {}) => translate(lang, `reviews:figure.${key}`, params);
  const number = (n: number) => n.toLocaleString(lang, { maximumFractionDigits: 2 });
  const list = (items: string[]) => new Intl.ListFormat(lang, { type: 'conjunction' }).format(items);
  const p = i.performance;
  const levels = i.risks.byLevel.map((l) => `${l.label ? levelLabelIn(l.level, l.label, lang) : f('notAssessed')} ${number(l.count)}`);
  const bySeverity = i.incidents.bySeverity.map(
    (s) => `${s.severity ? f(`severity.${s.severity}`, { defaultValue: s.severity }) : f('notTriaged')} ${number(s.count)}`,
  );
  return {
    actions: [
      f('actions', { open: i.actions.open, overdue: i.actions.overdue, done: i.actions.done }),
      ...(i.actions.decisions.length === 0 ? [f('noEarlierDecisions')] : []),
      ...i.actions.decisions.map((d) =>
        f(d.owner ? 'decisionWithOwner' : 'decision', {
          reviewRef: d.reviewRef,
          kind: d.kind,
          title: d.title,
          record: d.record.reference,
          state: d.open ? 'open' : 'done',
          owner: d.owner,
          dueOn: d.dueOn,
        }),
      ),
    ],
    issues: [],
    interestedParties: [],
    performance: [
      f('nonconformities', p.nonconformities),
      p.measures.length === 0 ? f('noMeasurements') : f('measures', { count: p.measures.length }),
      ...p.measures.map((m) => {
        const line = m.latest
          ? f('measureValue', {
              reference: m.reference,
              name: m.name,
              value: number(m.latest.value),
              unit: m.unit,
              status: f(`measureStatus.${m.latest.status}`, { defaultValue: m.latest.status }),
              target: number(m.target),
            })
          : f('measureNoValue', { reference: m.reference, name: m.name });
        return m.breaches ? `${line} · ${f('breaches', { count: m.breaches })}` : line;
      }),
      p.audits.held + p.audits.majorNonconformities + p.audits.minorNonconformities + p.audits.observations === 0
        ? f('noAudits')
        : f('audits', p.audits),
      f('objectives'),
    ],
    feedback: [],
    risks: [
      f('risks', { total: i.risks.total, levels: levels.length ? list(levels) : f('none') }),
      f('riskCriteria', { aboveCriteriaUntreated: i.risks.aboveCriteriaUntreated, pastReview: i.risks.pastReview }),
      f('treatmentActions', i.risks.treatmentActions),
    ],
    opportunities: [f('opportunities', i.opportunities)],
    resources: [f('resources', { controls: number(i.resources.controlCosts), actions: number(i.resources.treatmentActionCosts) })],
    incidents: [
      i.incidents.reported === 0 ? f('noIncidents') : f('incidents', { count: i.incidents.reported, bySeverity: list(bySeverity) }),
    ],
  };
}

/** the minutes' content in the reader's language: fixed words, figure lines and built-in risk-level labels */
function outline(r: ReviewDetailResponse, scopeName: string, t: ExportTexts, lang: string) {
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
  const lines = frozen ? figureLines(frozen, lang) : null;
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
  const o = outline(r, scopeName, t, lang);
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
  const o = outline(r, scopeName, t, lang);
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
