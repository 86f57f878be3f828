import type { FileChild, HeadingLevel, Paragraph, Table } from 'docx';

/**
 * Every Word document Praxis makes is built here (with the `docx` library): a grey line naming the organisation and
 * the kind of document, the title, the metadata block (reference, version, status, approval, dates, owner: whatever
 * the document has) as a two-column table, then the body the module builds from these helpers.
 *
 * The library loads with the first document, not with the server (`cli/praxis-cli.test.ts` fails if the start loads it
 * again): the helpers answer blocks that `renderDocx` builds once it has loaded the library, body first, in order.
 */

type Docx = typeof import('docx');

/** What a body holds: paragraphs and tables made by the helpers below, built by `renderDocx`. */
export interface DocxBlock {
  build(docx: Docx): FileChild;
}
const paragraph = (build: (docx: Docx) => Paragraph): DocxBlock => ({ build });
const table = (build: (docx: Docx) => Table): DocxBlock => ({ build });

export const DOCX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

type Heading = (typeof HeadingLevel)[keyof typeof HeadingLevel];
const headings = ({ HeadingLevel }: Docx): Heading[] => [
  HeadingLevel.HEADING_1,
  HeadingLevel.HEADING_2,
  HeadingLevel.HEADING_3,
  HeadingLevel.HEADING_4,
  HeadingLevel.HEADING_5,
  HeadingLevel.HEADING_6,
];

/** A paragraph; line breaks in the text stay line breaks. */
export const docxText = (text: string, options: { bold?: boolean; italics?: boolean; color?: string } = {}) =>
  paragraph(
    ({ Paragraph, TextRun }) =>
      new Paragraph({
        children: text.split('\n').map((line, i) => new TextRun({ text: line, break: i > 0 ? 1 : 0, ...options })),
      }),
  );

/** Paragraphs for a text that may be empty ("—"). */
export const docxParagraphs = (text: string | null | undefined, empty = '—') =>
  (text?.trim() ? text : empty).split(/\n{2,}/).map((t) => docxText(t));

/** A heading, level 1 to 6. */
export const docxHeading = (text: string, level = 2) =>
  paragraph((docx) => new docx.Paragraph({ text, heading: headings(docx)[Math.min(Math.max(level, 1), 6) - 1] }));

/** A bulleted list, or one paragraph with `empty` when there is nothing to list. */
export const docxBullets = (items: string[], empty = '—', level = 0): DocxBlock[] =>
  items.length ? items.map((text) => paragraph(({ Paragraph }) => new Paragraph({ text, bullet: { level } }))) : [docxText(empty)];

/** One item of a list: bulleted, or numbered with its own number (`marker`, "3."), indented by level. */
export const docxListItem = (text: string, level = 0, marker?: string) =>
  paragraph(({ Paragraph, TextRun }) =>
    marker === undefined
      ? new Paragraph({ text, bullet: { level: Math.min(level, 8) } })
      : new Paragraph({ children: [new TextRun(`${marker} ${text}`)], indent: { left: 360 * (level + 1) } }),
  );

/** A block of code or preformatted text, in a monospaced font, line breaks kept. */
export const docxCode = (text: string) =>
  paragraph(
    ({ Paragraph, TextRun }) =>
      new Paragraph({
        children: text.split('\n').map((line, i) => new TextRun({ text: line, font: 'Courier New', break: i > 0 ? 1 : 0 })),
      }),
  );

/** A "Label: value" line with the label in bold. */
export const docxField = (label: string, value: string) =>
  paragraph(
    ({ Paragraph, TextRun }) => new Paragraph({ children: [new TextRun({ text: `${label}: `, bold: true }), new TextRun(value || '—')] }),
  );

const cell = (
  { Paragraph, ShadingType, TableCell, TextRun }: Docx,
  text: string,
  options: { bold?: boolean; fill?: string; color?: string } = {},
) =>
  new TableCell({
    ...(options.fill && { shading: { type: ShadingType.CLEAR, color: 'auto', fill: options.fill } }),
    children: text
      .split('\n')
      .map(
        (line) => new Paragraph({ children: [new TextRun({ text: line, bold: options.bold ?? false, color: options.color ?? '000000' })] }),
      ),
  });

/** A full-width table with a header row that repeats on each page. */
export const docxTable = (header: string[], rows: string[][]) =>
  table(
    (docx) =>
      new docx.Table({
        width: { size: 100, type: docx.WidthType.PERCENTAGE },
        rows: [
          new docx.TableRow({
            tableHeader: true,
            children: header.map((t) => cell(docx, t, { bold: true, fill: '1C4E80', color: 'FFFFFF' })),
          }),
          ...rows.map((r) => new docx.TableRow({ children: r.map((t) => cell(docx, t)) })),
        ],
      }),
  );

/** The metadata block: label and value per row. */
export const docxMetadata = (fields: [string, string][]) =>
  table(
    (docx) =>
      new docx.Table({
        width: { size: 100, type: docx.WidthType.PERCENTAGE },
        rows: fields.map(
          ([label, value]) =>
            new docx.TableRow({ children: [cell(docx, label, { bold: true, fill: 'E7EEF6' }), cell(docx, value || '—')] }),
        ),
      }),
  );

/** The document: kind line, title, metadata block, body. */
export async function renderDocx(d: {
  title: string;
  /** the kind of document ("Incident report"), also the file's subject */
  kind: string;
  /** the organisation (scope) it belongs to */
  organisation: string;
  fields: [string, string][];
  body: DocxBlock[];
}): Promise<Buffer> {
  const docx = await import('docx');
  // the body first, as when its helpers built their parts before this was called
  const body = d.body.map((b) => b.build(docx));
  const doc = new docx.Document({
    title: d.title,
    subject: d.kind,
    description: d.kind,
    creator: 'Praxis',
    sections: [
      {
        children: [
          docxText(`${d.organisation} · ${d.kind}`, { color: '666666' }).build(docx),
          new docx.Paragraph({ text: d.title, heading: docx.HeadingLevel.TITLE }),
          docxMetadata(d.fields).build(docx),
          ...body,
        ],
      },
    ],
  });
  return docx.Packer.toBuffer(doc);
}
