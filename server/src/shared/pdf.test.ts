import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { docxText, pdfText } from '../test/document-text.ts';
import { fontRuns, openPdf, pdfField, pdfHeading } from './pdf.ts';

const samples = [
  'Ärger über Café, Straße, Łódź, São Paulo, Ærø, naïve',
  'Ελληνικά: Διαρροή δεδομένων',
  'Русский: Утечка данных',
  '数据泄露 事件报告',
  'Status resolved → closed',
  'Score ≤ 6 and ≥ 3 … • one – two — three “quoted” 1.250 €',
];

async function render(lines: string[]) {
  const { doc, done } = await openPdf({ size: 'A4', margin: 50, info: { Title: lines[0] } });
  doc.font('bold').fontSize(16).text(lines[0]!);
  doc.font('regular').fontSize(10);
  for (const line of lines.slice(1)) doc.text(line);
  doc.font('bold').text('Label: ', { continued: true }).font('regular').text('INC-0001 数据泄露 → closed');
  doc.end();
  return done;
}

/** Every glyph drawn on the first page with the text it stands for and where it sits (pdfjs' operator list). */
type Glyph = { ch: string; x: number; right: number; y: number };
async function glyphs(pdf: Buffer): Promise<Glyph[]> {
  const { getDocument, OPS } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const task = getDocument({ data: new Uint8Array(pdf), verbosity: 0 });
  const ops = await (await (await task.promise).getPage(1)).getOperatorList();
  const out: Glyph[] = [];
  let x = 0;
  let y = 0;
  let size = 0;
  ops.fnArray.forEach((fn, i) => {
    const args = ops.argsArray[i];
    if (fn === OPS.setTextMatrix) [x, y] = [args[0][4], args[0][5]];
    else if (fn === OPS.setFont) size = args[1];
    else if (fn === OPS.showText)
      for (const g of args[0] as ({ unicode: string; width: number } | number)[]) {
        if (typeof g === 'number') x -= (g * size) / 1000;
        else {
          const w = (g.width * size) / 1000;
          // a ligature (lam-alef) is one glyph for two letters
          for (const ch of g.unicode) if (!/[\s\p{Cc}]/u.test(ch)) out.push({ ch, x, right: x + w, y });
          x += w;
        }
      }
  });
  await task.destroy();
  return out;
}

/** The glyphs line by line, top line first; each line's letters as a reader's eye meets them, left to right. */
async function visualLines(pdf: Buffer) {
  const lines = new Map<number, Glyph[]>();
  for (const g of await glyphs(pdf)) {
    const key = Math.round(g.y * 10) / 10;
    lines.set(key, [...(lines.get(key) ?? []), g]);
  }
  return [...lines.entries()]
    .sort((a, b) => b[0] - a[0])
    .map(([, gs]) => {
      const sorted = [...gs].sort((a, b) => a.x - b.x);
      const right = Math.max(...gs.map((g) => g.right));
      return {
        text: sorted.map((g) => g.ch).join(''),
        left: sorted[0]!.x,
        right,
        y: gs[0]!.y,
        inked: gs.reduce((w, g) => w + g.right - g.x, 0),
      };
    });
}

const letters = (s: string) => s.replace(/[\s\p{Cc}]/gu, '');
const reversed = (s: string) => [...letters(s)].reverse().join('');

describe('PDFs render any text', () => {
  it('reads back Latin with diacritics, Greek, Cyrillic, CJK and the signs Praxis prints', async () => {
    const pdf = await render(['INC-0001 数据泄露 Δ Ж é', ...samples]);
    const text = await pdfText(pdf);
    for (const line of samples) expect(text).toContain(line);
    expect(text).toContain('INC-0001 数据泄露 Δ Ж é');
    // a mixed line stays one line: the runs sit on one baseline
    expect(text).toContain('Label: INC-0001 数据泄露 → closed');
    // no built-in WinAnsi font is left in the file; the fonts are embedded as subsets (a few glyphs, not the whole
    // 10 MB CJK font)
    expect(pdf.toString('latin1')).not.toMatch(/\/BaseFont \/Helvetica/);
    expect(pdf.toString('latin1')).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansSC/);
    expect(pdf.length).toBeLessThan(120_000);
  });

  it('keeps right-to-left words whole', async () => {
    // each word renders whole and shaped; in which order an extractor reads the words of a right-to-left line (and
    // what it makes of the spaces between them) is its own business, so the check is per word
    const text = (await pdfText(await render(['Title', 'שלום עולם', 'مرحبا بالعالم']))).replace(/[\p{Cc}\s]/gu, '');
    for (const word of ['שלום', 'עולם', 'مرحبا', 'بالعالم']) expect(text).toContain(word);
  });

  it('lays right-to-left text out right to left, with Latin and numbers inside left to right, one line at a time', async () => {
    const { doc, done } = await openPdf({ size: 'A4', margin: 50 });
    const right = doc.page.width - 50;
    doc.font('regular').fontSize(10);
    doc.text('שלום עולם');
    doc.text('مرحبا بالعالم');
    doc.text('Incident שלום 42');
    doc.text('הדוח ISO 27001 נסגר (בדיקה)');
    doc.text('الحادث 42');
    pdfField(doc, 'Owner', 'דנה כהן');
    // a narrow cell: wraps, and each rendered line is ordered on its own
    const words = 'אחד שתיים שלוש ארבע חמש שש שבע שמונה תשע עשר';
    const y = doc.y + 20;
    const height = doc.heightOfString(words, { width: 90 });
    doc.text(words, 300, y, { width: 90 });
    expect(doc.y - y).toBeCloseTo(height, 3);
    doc.end();
    const lines = await visualLines(await done);

    // a right-to-left paragraph: the first letter read is the rightmost, and the line ends at the right margin
    expect(lines[0]!.text).toBe(reversed('שלום עולם'));
    expect(lines[0]!.right).toBeCloseTo(right, 0);
    expect(lines[1]!.text).toBe(reversed('مرحبا بالعالم'));
    expect(lines[1]!.right).toBeCloseTo(right, 0);
    // a left-to-right paragraph stays at the left margin; the Hebrew word (and the number after it, UAX #9) are a
    // right-to-left run inside it, the digits themselves left to right
    expect(lines[2]!.text).toBe(`Incident42${reversed('שלום')}`);
    expect(lines[2]!.left).toBeCloseTo(50, 0);
    // a right-to-left paragraph with a Latin name and a number inside; brackets mirrored as the reader expects
    expect(lines[3]!.text).toBe(`(${reversed('בדיקה')})${reversed('נסגר')}ISO27001${reversed('הדוח')}`);
    expect(lines[3]!.right).toBeCloseTo(right, 0);
    expect(lines[4]!.text).toBe(`42${reversed('الحادث')}`);
    // a field: the label first (left), the value's right-to-left run after it
    expect(lines[5]!.text).toBe(`Owner:${reversed('דנה כהן')}`);
    expect(lines[5]!.left).toBeCloseTo(50, 0);

    const cell = lines.slice(6);
    expect(cell.length).toBeGreaterThan(2);
    // read right to left, top line first, the cell gives back every word once, in order
    expect(cell.map((l) => [...l.text].reverse().join('')).join('')).toBe(letters(words));
    for (const l of cell) {
      expect(l.left).toBeGreaterThanOrEqual(300 - 0.5);
      expect(l.right).toBeCloseTo(390, 0);
    }
  });

  it('shapes Arabic by its neighbours, aligns headings, honours align and breaks pages in long right-to-left text', async () => {
    const { doc, done } = await openPdf({ size: 'A4', margin: 50 });
    const right = doc.page.width - 50;
    pdfHeading(doc, 'الحوادث');
    doc.text('ببب');
    doc.text('ب ب ب');
    doc.text('שלום', { align: 'left' });
    doc.text('שלום', { align: 'center' });
    doc.text(Array.from({ length: 900 }, (_, i) => `שלום ${i + 1}`).join(' '));
    doc.end();
    const pdf = await done;
    const lines = await visualLines(pdf);
    expect(lines[0]!.text).toBe(reversed('الحوادث'));
    expect(lines[0]!.right).toBeCloseTo(right, 0);
    // joined letters take their initial, medial and final forms, narrower than the same letters standing alone
    expect(lines[1]!.text).toBe('ببب');
    expect(lines[1]!.inked).toBeLessThan(lines[2]!.inked - 1);
    expect(lines[3]!.left).toBeCloseTo(50, 0);
    expect((lines[4]!.left + lines[4]!.right) / 2).toBeCloseTo(doc.page.width / 2, 0);
    // the long paragraph fills the first page down to its bottom margin and goes on on the next
    expect(lines.at(-1)!.right).toBeCloseTo(right, 0);
    expect(lines.at(-1)!.y).toBeGreaterThan(50);
    expect(lines.at(-1)!.y).toBeLessThan(100);
    const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const task = getDocument({ data: new Uint8Array(pdf), verbosity: 0 });
    expect((await task.promise).numPages).toBe(2);
    await task.destroy();
  });

  it('leaves left-to-right text where it was', async () => {
    const { doc, done } = await openPdf({ size: 'A4', margin: 50 });
    doc.font('regular').fontSize(10).text('Status → 数据 and Ωμέγα 42');
    pdfField(doc, 'Label', 'value');
    doc.end();
    const lines = await visualLines(await done);
    expect(lines.map((l) => l.text)).toEqual(['Status→数据andΩμέγα42', 'Label:value']);
    expect(lines[0]!.left).toBeCloseTo(50, 0);
  });

  it('picks the family per run: letters by script, signs with the run they are in', () => {
    expect(fontRuns('Status → 数据 and Ωμέγα')).toEqual([
      { family: 'sans', text: 'Status ' },
      { family: 'cjk', text: '→ 数据 ' },
      { family: 'sans', text: 'and Ωμέγα' },
    ]);
    expect(fontRuns('אב 12')).toEqual([{ family: 'hebrew', text: 'אב 12' }]);
    expect(fontRuns('')).toEqual([]);
  });

  it('reads DOCX text back (the helper the export tests use)', async () => {
    const { Document, Packer, Paragraph } = await import('docx');
    const buf = await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph('A & B → 数据')] }] }));
    expect(await docxText(buf)).toContain('A & B → 数据');
  });

  it('is the one way to PDF and DOCX: no other server file imports pdfkit or docx', () => {
    const root = path.resolve(import.meta.dirname, '..');
    const offenders: string[] = [];
    for (const file of fs.readdirSync(root, { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.ts') || file.endsWith('.test.ts')) continue;
      const source = fs.readFileSync(path.join(root, file), 'utf8');
      if (
        /(from |import\()'(pdfkit|docx)(\/[^']*)?'/.test(source) &&
        !['shared/pdf.ts', 'shared/docx.ts'].includes(file.split(path.sep).join('/'))
      )
        offenders.push(file);
    }
    expect(offenders).toEqual([]);
  });
});
