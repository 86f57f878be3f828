import { Readable } from 'node:stream';
import type { Text, TextParams } from '../../i18n/i18n.ts';
import { AppError, invalid } from '../errors.ts';
import { IMPORT_MAX_BYTES, IMPORT_MAX_ROWS } from './import.schemas.ts';

/** One cell as text; a formula is marked (a spreadsheet's result is not taken on trust). */
export interface Cell {
  text: string;
  formula: boolean;
}
export interface Sheet {
  headers: string[];
  rows: { line: number; cells: Cell[] }[];
}
/** The texts an import speaks in: a key of the import's own catalog section, else of the shared `errors:import`. */
export type ImportText = (key: string, params?: TextParams) => Text;

/** The text of an exceljs cell value; formulas are marked, dates become ISO days. */
export function cellOf(value: unknown): Cell {
  if (value === null || value === undefined) return { text: '', formula: false };
  if (value instanceof Date) return { text: value.toISOString().slice(0, 10), formula: false };
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if ('formula' in v || 'sharedFormula' in v) return { text: '', formula: true };
    if (Array.isArray(v.richText))
      return {
        text: (v.richText as { text: string }[])
          .map((r) => r.text)
          .join('')
          .trim(),
        formula: false,
      };
    if ('text' in v) return cellOf(v.text);
    if ('error' in v) return { text: String(v.error), formula: false };
    return { text: '', formula: false };
  }
  const text = String(value).trim();
  // CSV has no formulas, but a spreadsheet opening the file would run one
  return { text, formula: typeof value === 'string' && text.startsWith('=') };
}

export function tooLarge(text: ImportText, maxBytes = IMPORT_MAX_BYTES): AppError {
  return new AppError('payload_too_large', text('tooLarge', { megabytes: Math.round(maxBytes / (1024 * 1024)) }), { field: 'file' });
}

/**
 * Reads the first worksheet of an XLSX file or a CSV file (comma or semicolon separated) into headers and rows: the
 * first non-empty row holds the headers. Refuses a file over the size limit (413), one that is neither (400), an empty
 * sheet, too many rows and two columns with one header.
 */
export async function readSheet(
  content: Buffer,
  text: ImportText,
  limits = { maxBytes: IMPORT_MAX_BYTES, maxRows: IMPORT_MAX_ROWS },
): Promise<Sheet> {
  if (content.length > limits.maxBytes) throw tooLarge(text, limits.maxBytes);
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  let worksheet: import('exceljs').Worksheet | undefined;
  const isZip = content.length >= 4 && content.readUInt32LE(0) === 0x04034b50;
  try {
    if (isZip) {
      await workbook.xlsx.load(content as unknown as ArrayBuffer);
      worksheet = workbook.worksheets[0];
    } else {
      let csv = content.toString('utf8');
      if (csv.includes('\u0000') || csv.includes('\uFFFD')) throw new Error('not text');
      if (csv.startsWith('\uFEFF')) csv = csv.slice(1);
      const firstLine = csv.slice(0, csv.indexOf('\n') === -1 ? csv.length : csv.indexOf('\n'));
      const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
      worksheet = await workbook.csv.read(Readable.from([csv]), {
        parserOptions: { delimiter },
        map: (v: unknown) => v,
      } as Parameters<typeof workbook.csv.read>[1]);
    }
  } catch {
    throw invalid('file', text('unreadable'));
  }
  const raw: { line: number; cells: Cell[] }[] = [];
  worksheet?.eachRow({ includeEmpty: false }, (row, line) => {
    const values = row.values as unknown[];
    const cells = values.slice(1).map(cellOf);
    if (cells.some((c) => c.text !== '' || c.formula)) raw.push({ line, cells });
  });
  const [head, ...rows] = raw;
  if (!head || rows.length === 0) throw invalid('file', text('emptySheet'));
  if (rows.length > limits.maxRows) throw invalid('file', text('tooManyRows', { max: limits.maxRows }));
  const headers = head.cells.map((c, i) => c.text || `#${i + 1}`);
  const seen = new Set<string>();
  for (const h of headers) {
    if (seen.has(h)) throw invalid('file', text('duplicateHeader', { column: h }));
    seen.add(h);
  }
  return { headers, rows };
}
