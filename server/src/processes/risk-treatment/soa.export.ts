import { PassThrough, type Readable } from 'node:stream';
import { csvCell } from '../../shared/csv.ts';
import type ExcelJS from 'exceljs';
import type { Actor } from '../../auth/actor.ts';
import type { Deps } from '../../shared/context.ts';
import { docxHeading, docxTable, docxText, renderDocx } from '../../shared/docx.ts';
import { oscalTimestamp, PRAXIS_OSCAL_NS, uuidV5 } from '../../shared/oscal.ts';
import { openPdf, pdfField, pdfTime as stamp } from '../../shared/pdf.ts';
import { annexATitle, catalogIn } from '../../catalogs/iso27001-annex-a.de.ts';
import { fallbackLanguage } from '../../i18n/i18n.ts';
import { type ExportTexts, exportTexts } from '../../i18n/export-texts.ts';
import { type ImplementationStatus, justificationIn } from './soa.rules.ts';
import { loadSoaExport, type SoaExportData } from './soa.service.ts';
import type { SoaEntryResponse } from './soa.schemas.ts';
import { turns } from '../../shared/yield.ts';

const english = exportTexts(fallbackLanguage);
const applicableLabel = (t: ExportTexts, a: boolean | null) => t(a === true ? 'yes' : a === false ? 'no' : 'undecided');
const statusLabel = (t: ExportTexts, s: ImplementationStatus) => t(`implementation.${s}`);
const controlsLabel = (e: SoaEntryResponse) => e.controls.map((c) => `${c.reference} ${c.title}`).join('; ');

/**
 * The SoA's words for a reader: the catalog's own title and the requirement and group titles of the built-in Annex A
 * catalog in the reader's language (its German edition for German readers), every other catalog as imported, and the
 * justifications Praxis pre-filled from the treatment decisions.
 */
function inLanguage(d: SoaExportData, lang: string): SoaExportData {
  if (lang === fallbackLanguage) return d;
  const title = (identifier: string, t: string) => annexATitle(d.soa.catalog.key, identifier, t, lang);
  return {
    ...d,
    soa: { ...d.soa, catalog: catalogIn(d.soa.catalog, lang) },
    entries: d.entries.map((e) => ({
      ...e,
      requirement: { ...e.requirement, title: title(e.requirement.identifier, e.requirement.title) },
      group: e.group ? { ...e.group, title: title(e.group.identifier, e.group.title) } : e.group,
      justification: justificationIn(lang, e.justification, e.decisionSource),
    })),
  };
}
const requirementTitle = (t: ExportTexts, e: SoaEntryResponse) =>
  e.requirement.withdrawn ? t('soa.withdrawn', { title: e.requirement.title }) : e.requirement.title;
/** spreadsheet cells that start like a formula are shown as text, never run */
const cell = csvCell;

export function describeVersion(d: SoaExportData, t: ExportTexts = english): string {
  if (d.state === 'approved')
    return d.approval
      ? t('soa.versionApprovedBy', { number: d.number, at: stamp(d.approval.at), by: d.approval.by ?? t('formerUser') })
      : t('soa.versionApproved', { number: d.number });
  return t(d.state === 'submitted' ? 'soa.versionSubmitted' : 'soa.versionDraft', { number: d.number });
}

export const exportFileName = (d: SoaExportData, ext: string) =>
  `${d.soa.reference}-v${d.number}${d.state === 'approved' ? '' : '-draft'}.${ext}`;

// ------------------------------------------------------------------------------------------------ XLSX

const xlsxColumns = [
  { header: 'identifier', width: 14 },
  { header: 'title', width: 48 },
  { header: 'applicable', width: 12 },
  { header: 'justification', width: 60 },
  { header: 'implementationStatus', width: 22 },
  { header: 'controls', width: 48 },
  { header: 'group', width: 30 },
];

/**
 * The SoA as a spreadsheet, written row by row into a stream (exceljs' streaming writer): a header block (scope,
 * catalog, version, approval), then one row per requirement under a frozen, filterable header row.
 */
export function streamSoaXlsx(d: SoaExportData, t: ExportTexts = english): Readable {
  const out = new PassThrough();
  const write = async () => {
    // exceljs loads when a workbook is written, not when the server starts (it is the largest module of the start)
    const { default: Excel } = await import('exceljs');
    const wb = new Excel.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
    wb.creator = 'Praxis';
    wb.created = new Date(d.generatedAt);
    const meta: [string, string][] = [
      [t('soa.title'), `${d.soa.reference} ${d.soa.title}`],
      [t('soa.field.scope'), d.scope.name],
      [t('soa.field.catalog'), `${d.soa.catalog.title} (${d.soa.catalog.version})`],
      [t('soa.field.version'), describeVersion(d, t)],
      [t('soa.field.generated'), stamp(d.generatedAt)],
    ];
    const headerRow = meta.length + 2;
    const last = String.fromCharCode(64 + xlsxColumns.length);
    const ws = wb.addWorksheet(t('soa.sheet'), {
      views: [{ state: 'frozen', ySplit: headerRow, xSplit: 0 }],
      autoFilter: `A${headerRow}:${last}${headerRow}`,
    } as Partial<ExcelJS.AddWorksheetOptions>);
    ws.columns = xlsxColumns.map((c) => ({ width: c.width }));
    for (const [label, value] of meta) {
      const row = ws.addRow([label, value]);
      row.getCell(1).font = { bold: true };
      row.commit();
    }
    ws.addRow([]).commit();
    const header = ws.addRow(xlsxColumns.map((c) => t(`soa.column.${c.header}`)));
    header.font = { bold: true, color: { argb: 'FFFFFFFF' } };
    header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FF1C4E80' } };
    header.commit();
    for (const e of d.entries) {
      const row = ws.addRow([
        e.requirement.label,
        cell(requirementTitle(t, e)),
        applicableLabel(t, e.applicable),
        cell(e.justification),
        statusLabel(t, e.implementationStatus),
        cell(controlsLabel(e)),
        e.group ? cell(`${e.group.label} ${e.group.title}`.trim()) : '',
      ]);
      row.alignment = { vertical: 'top', wrapText: true };
      row.commit();
    }
    ws.commit();
    await wb.commit();
  };
  write().catch((err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))));
  return out;
}

// ------------------------------------------------------------------------------------------------ PDF

/** The SoA as a PDF: a title page with the metadata and counts, then the table, group by group. */
export async function renderSoaPdf(d: SoaExportData, t: ExportTexts = english): Promise<Buffer> {
  const { doc, done } = await openPdf(
    {
      size: 'A4',
      layout: 'landscape',
      margin: 40,
      bufferPages: true,
      info: { Title: `${d.soa.reference} ${d.soa.title}`, Subject: t('soa.title') },
    },
    true,
  );

  // title page
  doc
    .font('regular')
    .fontSize(10)
    .fillColor('#666')
    .text(`${d.scope.name} · ${t('soa.kind')}`);
  doc.moveDown(2).font('bold').fontSize(22).fillColor('black').text(d.soa.title);
  doc.moveDown(0.5).font('regular').fontSize(12).text(d.soa.reference);
  doc.moveDown(1.5).fontSize(11);
  const field = (label: string, value: string) => pdfField(doc, label, value);
  const applicable = d.entries.filter((e) => e.applicable === true).length;
  const excluded = d.entries.filter((e) => e.applicable === false).length;
  const counts = { total: d.entries.length, applicable, excluded, undecided: d.entries.length - applicable - excluded };
  field(t('soa.field.scope'), d.scope.name);
  field(t('soa.field.catalog'), `${d.soa.catalog.title} (${d.soa.catalog.version})`);
  field(t('soa.field.version'), describeVersion(d, t));
  field(t('soa.field.generated'), stamp(d.generatedAt));
  field(t('soa.field.requirements'), t('soa.counts', counts));
  const byStatus = new Map<ImplementationStatus, number>();
  for (const e of d.entries) byStatus.set(e.implementationStatus, (byStatus.get(e.implementationStatus) ?? 0) + 1);
  field(t('soa.field.implementation'), [...byStatus].map(([s, n]) => `${statusLabel(t, s)} ${n}`).join(', '));

  // the table
  const columns = [
    { title: t('soa.column.identifier'), width: 62 },
    { title: t('soa.column.title'), width: 170 },
    { title: t('soa.column.applicable'), width: 58 },
    { title: t('soa.column.justification'), width: 230 },
    { title: t('soa.column.status'), width: 70 },
    { title: t('soa.column.controls'), width: 171 },
  ];
  const left = doc.page.margins.left;
  const bottom = () => doc.page.height - doc.page.margins.bottom - 20;
  const pad = 3;
  const drawRow = (values: string[], options: { bold?: boolean; fill?: string; color?: string } = {}) => {
    doc.font(options.bold ? 'bold' : 'regular').fontSize(8);
    const height = Math.max(...values.map((v, i) => doc.heightOfString(v || ' ', { width: columns[i]!.width - 2 * pad }))) + 2 * pad;
    if (doc.y + height > bottom()) {
      doc.addPage();
      drawHeader();
      doc.font(options.bold ? 'bold' : 'regular').fontSize(8);
    }
    const y = doc.y;
    if (options.fill)
      doc
        .rect(
          left,
          y,
          columns.reduce((s, c) => s + c.width, 0),
          height,
        )
        .fill(options.fill);
    let x = left;
    values.forEach((v, i) => {
      doc.fillColor(options.color ?? 'black').text(v, x + pad, y + pad, { width: columns[i]!.width - 2 * pad });
      x += columns[i]!.width;
    });
    doc
      .moveTo(left, y + height)
      .lineTo(x, y + height)
      .lineWidth(0.3)
      .strokeColor('#bbb')
      .stroke();
    doc.x = left;
    doc.y = y + height;
  };
  const drawHeader = () =>
    drawRow(
      columns.map((c) => c.title),
      { bold: true, fill: '#1c4e80', color: 'white' },
    );
  const spanRow = (text: string) => {
    doc.font('bold').fontSize(9);
    const height = doc.heightOfString(text, { width: 700 }) + 2 * pad;
    if (doc.y + height > bottom()) {
      doc.addPage();
      drawHeader();
    }
    const y = doc.y;
    doc
      .rect(
        left,
        y,
        columns.reduce((s, c) => s + c.width, 0),
        height,
      )
      .fill('#e7eef6');
    doc
      .fillColor('black')
      .font('bold')
      .fontSize(9)
      .text(text, left + pad, y + pad);
    doc.x = left;
    doc.y = y + height;
  };

  doc.addPage();
  drawHeader();
  let group: string | null = null;
  const turn = turns();
  for (const e of d.entries) {
    await turn(); // a catalog's rows take seconds to lay out: others are answered in between
    const g = e.group ? `${e.group.label} ${e.group.title}`.trim() : null;
    if (g && g !== group) spanRow(g);
    group = g;
    drawRow([
      e.requirement.label,
      requirementTitle(t, e),
      applicableLabel(t, e.applicable),
      e.justification,
      statusLabel(t, e.implementationStatus),
      e.controls.map((c) => `${c.reference} ${c.title}`).join('\n'),
    ]);
  }
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // the footer sits in the bottom margin: without this, pdfkit would start a new page for it
    doc.page.margins.bottom = 0;
    doc
      .font('regular')
      .fontSize(8)
      .fillColor('#666')
      .text(
        `${d.soa.reference} · ${describeVersion(d, t)} · ${t('page', { page: i + 1, pages: range.count })}`,
        left,
        doc.page.height - 30,
        {
          width: doc.page.width - 2 * left,
          align: 'center',
          lineBreak: false,
        },
      );
  }
  doc.end();
  return done;
}

// ------------------------------------------------------------------------------------------------ DOCX

/** The SoA as DOCX: the metadata block with the counts, then one table per group of requirements. */
export function renderSoaDocx(d: SoaExportData, t: ExportTexts = english): Promise<Buffer> {
  const applicable = d.entries.filter((e) => e.applicable === true).length;
  const excluded = d.entries.filter((e) => e.applicable === false).length;
  const byStatus = new Map<ImplementationStatus, number>();
  for (const e of d.entries) byStatus.set(e.implementationStatus, (byStatus.get(e.implementationStatus) ?? 0) + 1);
  const groups: { title: string | null; rows: string[][] }[] = [];
  for (const e of d.entries) {
    const g = e.group ? `${e.group.label} ${e.group.title}`.trim() : null;
    if (!groups.length || groups.at(-1)!.title !== g) groups.push({ title: g, rows: [] });
    groups
      .at(-1)!
      .rows.push([
        e.requirement.label,
        requirementTitle(t, e),
        applicableLabel(t, e.applicable),
        e.justification,
        statusLabel(t, e.implementationStatus),
        e.controls.map((c) => `${c.reference} ${c.title}`).join('\n'),
      ]);
  }
  const header = (['identifier', 'title', 'applicable', 'justification', 'status', 'controls'] as const).map((c) => t(`soa.column.${c}`));
  const counts = { total: d.entries.length, applicable, excluded, undecided: d.entries.length - applicable - excluded };
  return renderDocx({
    title: `${d.soa.reference} ${d.soa.title}`,
    kind: t('soa.kind'),
    organisation: d.scope.name,
    fields: [
      [t('soa.field.reference'), d.soa.reference],
      [t('soa.field.scope'), d.scope.name],
      [t('soa.field.catalog'), `${d.soa.catalog.title} (${d.soa.catalog.version})`],
      [t('soa.field.version'), describeVersion(d, t)],
      [t('soa.field.generated'), stamp(d.generatedAt)],
      [t('soa.field.requirements'), t('soa.counts', counts)],
      [t('soa.field.implementation'), [...byStatus].map(([st, n]) => `${statusLabel(t, st)} ${n}`).join(', ')],
    ],
    body: groups.length
      ? groups.flatMap((g) => [...(g.title ? [docxHeading(g.title)] : []), docxTable(header, g.rows)])
      : [docxText(t('soa.noRequirements'))],
  });
}

// ------------------------------------------------------------------------------------------------ OSCAL

export { oscalTimestamp, PRAXIS_OSCAL_NS, uuidV5 };

/**
 * OSCAL's implementation states (implemented | partial | planned | alternative | not-applicable) have none for a
 * requirement whose implementation has not started (no control, no plan) or whose applicability nobody has decided:
 * such entries carry no implementation-status rather than a "planned" that no plan stands behind; their own words say
 * what they are.
 */
const oscalState: Record<ImplementationStatus, 'implemented' | 'partial' | 'planned' | 'not-applicable' | null> = {
  not_started: null,
  planned: 'planned',
  in_progress: 'partial',
  implemented: 'implemented',
  verified: 'implemented',
  not_applicable: 'not-applicable',
};

/** OSCAL strings may not be empty nor start or end with white space. */
const text = (s: string, fallback: string) => s.trim() || fallback;

/** The by-component implementation status of an entry: OSCAL's state where one is true, else a remark in words. */
function byComponentStatus(e: SoaExportData['entries'][number]) {
  if (e.applicable === null) return { remarks: 'Applicability not decided yet; no implementation status is stated.' };
  const state = oscalState[e.implementationStatus];
  if (state === null) return { remarks: 'Not started: no control implements this requirement yet, and none is planned.' };
  return { 'implementation-status': { state } };
}

/**
 * The SoA as an OSCAL System Security Plan (1.0.4): the ISMS scope is the system, and every requirement of the catalog
 * is an implemented-requirement carrying applicability, justification and implementation status (by-component, with
 * the OSCAL states implemented | partial | planned | not-applicable) and the controls that implement it.
 */
export function buildSoaOscal(d: SoaExportData) {
  const key = (name: string) => uuidV5(`${d.soa.id}:${d.state}:${d.number}:${name}`);
  const component = key('component');
  const prop = (name: string, value: string) => ({ name, ns: PRAXIS_OSCAL_NS, value });
  const approver = d.approval?.by ? { uuid: key('approver'), type: 'person', name: d.approval.by } : null;
  const catalogResource = key(`catalog:${d.soa.catalog.id}`);
  return {
    'system-security-plan': {
      uuid: key('ssp'),
      metadata: {
        title: `${d.soa.title} — ${d.scope.name}`,
        ...(d.approval && { published: oscalTimestamp(d.approval.at) }),
        'last-modified': oscalTimestamp(d.state === 'approved' && d.approval ? d.approval.at : d.soa.updatedAt),
        version: d.state === 'approved' ? String(d.number) : `${d.number}-draft`,
        'oscal-version': '1.0.4',
        props: [prop('soa-reference', d.soa.reference), prop('soa-state', d.state)],
        ...(approver && {
          roles: [{ id: 'approver', title: 'Approver of the Statement of Applicability' }],
          parties: [approver],
          'responsible-parties': [{ 'role-id': 'approver', 'party-uuids': [approver.uuid] }],
        }),
        remarks: `Statement of Applicability (ISO/IEC 27001 6.1.3 d) exported by Praxis on ${oscalTimestamp(d.generatedAt)}.`,
      },
      // the baseline is the catalog, described as a resource of this document's back matter
      'import-profile': {
        href: `#${catalogResource}`,
        remarks: `${d.soa.catalog.title} (${d.soa.catalog.version})`,
      },
      'system-characteristics': {
        'system-ids': [{ 'identifier-type': PRAXIS_OSCAL_NS, id: d.scope.id }],
        'system-name': text(d.scope.name, 'ISMS scope'),
        description: text(d.scope.description, `The ISMS scope "${d.scope.name}".`),
        'security-sensitivity-level': 'not-categorized',
        'system-information': {
          'information-types': [
            {
              uuid: key('information'),
              title: 'Information within the ISMS scope',
              description: 'The information assets of the scope, assessed in its risk assessment (ISO/IEC 27001 6.1.2).',
              'confidentiality-impact': { base: 'not-categorized' },
              'integrity-impact': { base: 'not-categorized' },
              'availability-impact': { base: 'not-categorized' },
            },
          ],
        },
        'security-impact-level': {
          'security-objective-confidentiality': 'not-categorized',
          'security-objective-integrity': 'not-categorized',
          'security-objective-availability': 'not-categorized',
        },
        status: { state: 'operational' },
        'authorization-boundary': {
          description: `The boundaries and applicability of the ISMS scope "${d.scope.name}" (ISO/IEC 27001 4.3).`,
        },
      },
      'system-implementation': {
        users: [{ uuid: key('users'), title: 'Members of the ISMS scope' }],
        components: [
          {
            uuid: component,
            type: 'this-system',
            title: text(d.scope.name, 'ISMS scope'),
            description: 'The information security management system of the scope.',
            status: { state: 'operational' },
          },
        ],
      },
      'control-implementation': {
        description: `Applicability and implementation of each requirement of ${d.soa.catalog.title}.`,
        'implemented-requirements': d.entries.map((e) => ({
          uuid: key(`requirement:${e.requirement.id}`),
          'control-id': e.requirement.identifier,
          props: [
            prop('label', e.requirement.label),
            prop('applicable', e.applicable === true ? 'yes' : e.applicable === false ? 'no' : 'undecided'),
            prop('implementation-status', e.implementationStatus),
            ...(e.requirement.withdrawn ? [prop('withdrawn', 'yes')] : []),
            ...e.controls.map((c) => prop('control', c.reference)),
          ],
          'by-components': [
            {
              'component-uuid': component,
              uuid: key(`by-component:${e.requirement.id}`),
              description: text(
                e.justification,
                e.applicable === null ? 'Applicability not decided yet.' : e.applicable ? 'Applicable.' : 'Not applicable.',
              ),
              ...byComponentStatus(e),
            },
          ],
          ...(e.justification.trim() && { remarks: e.justification.trim() }),
        })),
      },
      'back-matter': {
        resources: [
          {
            uuid: catalogResource,
            title: text(d.soa.catalog.title, d.soa.catalog.key),
            description: `The control catalog whose requirements this Statement of Applicability decides: ${text(d.soa.catalog.title, d.soa.catalog.key)}, version ${text(d.soa.catalog.version, 'unknown')}.`,
            props: [
              prop('catalog-key', text(d.soa.catalog.key, 'catalog')),
              prop('catalog-version', text(d.soa.catalog.version, 'unknown')),
            ],
            citation: { text: `${text(d.soa.catalog.title, d.soa.catalog.key)} (${text(d.soa.catalog.version, 'unknown')})` },
          },
        ],
      },
    },
  };
}

// ------------------------------------------------------------------------------------------------ what the routes call

type ExportTarget = { scopeId: string; id: string; version?: number | undefined };

/**
 * XLSX of the working copy or an approved version: access is checked and the data loaded before the first byte. The
 * file speaks the language of the user who asks (`lang`, from Accept-Language): headers, labels and built-in titles.
 */
export async function exportSoaXlsx(deps: Deps, actor: Actor, t: ExportTarget, lang: string = fallbackLanguage) {
  const d = await loadSoaExport(deps, actor, t.scopeId, t.id, t.version);
  return { fileName: exportFileName(d, 'xlsx'), stream: streamSoaXlsx(inLanguage(d, lang), exportTexts(lang)) };
}

export async function exportSoaPdf(deps: Deps, actor: Actor, t: ExportTarget, lang: string = fallbackLanguage) {
  const d = await loadSoaExport(deps, actor, t.scopeId, t.id, t.version);
  return { fileName: exportFileName(d, 'pdf'), body: await renderSoaPdf(inLanguage(d, lang), exportTexts(lang)) };
}

export async function exportSoaDocx(deps: Deps, actor: Actor, t: ExportTarget, lang: string = fallbackLanguage) {
  const d = await loadSoaExport(deps, actor, t.scopeId, t.id, t.version);
  return { fileName: exportFileName(d, 'docx'), body: await renderSoaDocx(inLanguage(d, lang), exportTexts(lang)) };
}

export async function exportSoaOscal(deps: Deps, actor: Actor, t: ExportTarget) {
  const d = await loadSoaExport(deps, actor, t.scopeId, t.id, t.version);
  return { fileName: exportFileName(d, 'oscal.json'), document: buildSoaOscal(d) };
}
