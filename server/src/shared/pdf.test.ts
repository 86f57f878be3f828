import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { docxText, pdfText } from '../test/document-text.ts';
import { fontRuns, openPdf } from './pdf.ts';

const samples = [
  'Ärger über Café, Straße, Łódź, São Paulo, Ærø, naïve',
  'Ελληνικά: Διαρροή δεδομένων',
  'Русский: Утечка данных',
  '数据泄露 事件报告',
  'Status resolved → closed',
  'Score ≤ 6 and ≥ 3 … • one – two — three “quoted” 1.250 €',
];

async function render(lines: string[]) {
  const { doc, done } = openPdf({ size: 'A4', margin: 50, info: { Title: lines[0] } });
  doc.font('bold').fontSize(16).text(lines[0]!);
  doc.font('regular').fontSize(10);
  for (const line of lines.slice(1)) doc.text(line);
  doc.font('bold').text('Label: ', { continued: true }).font('regular').text('INC-0001 数据泄露 → closed');
  doc.end();
  return done;
}

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
      if (/from '(pdfkit|docx)(\/[^']*)?'/.test(source) && !['shared/pdf.ts', 'shared/docx.ts'].includes(file.split(path.sep).join('/')))
        offenders.push(file);
    }
    expect(offenders).toEqual([]);
  });
});
