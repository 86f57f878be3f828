import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';

/**
 * Every PDF Praxis makes is opened here (`openPdf`), so that any text renders: PDFKit's built-in Helvetica speaks only
 * WinAnsi ("数据泄露", Greek or "→" come out as other characters), so the documents embed the Noto fonts (SIL Open Font
 * Licence 1.1, from the @expo-google-fonts packages, which ship the TTF files): Noto Sans for Latin, Greek and
 * Cyrillic, Noto Sans Hebrew and Arabic for right-to-left text, and Noto Sans SC for Chinese, Japanese kana and the
 * arrows and mathematical signs Noto Sans lacks. PDFKit embeds only the glyphs used (a subset), so files stay small.
 *
 * A document's `text()` picks the font per run of text: each letter goes to the first family that has its glyph, other
 * characters (spaces, digits, punctuation, marks) stay with the run they are in when its font has them. Fontkit shapes
 * each run and lays an Arabic or Hebrew run out right to left; a paragraph that mixes directions keeps its runs in
 * reading order (no full bidirectional reordering), so each right-to-left run reads correctly on its own.
 */

const require = createRequire(import.meta.url);

/** The weights a document asks for with `doc.font(…)`: the families below are chosen per run of text. */
export type PdfFont = 'regular' | 'bold' | 'italic';
const weights: PdfFont[] = ['regular', 'bold', 'italic'];

type Family = { key: string; files: Record<PdfFont, string> };
const family = (key: string, pkg: string, stem: string, italic = false): Family => {
  const file = (style: string) => require.resolve(`${pkg}/${style}/${stem}_${style}.ttf`);
  return {
    key,
    files: { regular: file('400Regular'), bold: file('700Bold'), italic: italic ? file('400Regular_Italic') : file('400Regular') },
  };
};

/** in order of preference; the first one is the document's own */
const families: Family[] = [
  family('sans', '@expo-google-fonts/noto-sans', 'NotoSans', true),
  family('hebrew', '@expo-google-fonts/noto-sans-hebrew', 'NotoSansHebrew'),
  family('arabic', '@expo-google-fonts/noto-sans-arabic', 'NotoSansArabic'),
  family('cjk', '@expo-google-fonts/noto-sans-sc', 'NotoSansSC'),
];
const fontName = (f: Family, w: PdfFont) => `noto-${f.key}-${w}`;

/** fontkit (PDFKit's own font reader) answers which glyphs a font has; it ships no types, hence the narrow one here */
type Coverage = { hasGlyphForCodePoint(codePoint: number): boolean; ascent: number; unitsPerEm: number };
const fontkit = require('fontkit') as { openSync(path: string): Coverage };
const coverage = new Map<string, Coverage>();
const covers = (f: Family, codePoint: number) => {
  let c = coverage.get(f.key);
  if (!c) {
    c = fontkit.openSync(f.files.regular);
    coverage.set(f.key, c);
  }
  return c.hasGlyphForCodePoint(codePoint);
};

const stays = /[\s\p{M}\p{N}\p{P}\p{S}\p{Cf}]/u;

/** The text cut into runs, each with the family that draws it. */
export function fontRuns(text: string): { family: string; text: string }[] {
  const runs: { family: Family; text: string }[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const current = runs.at(-1);
    if (current && stays.test(ch) && (/[\s\p{M}\p{Cf}]/u.test(ch) || covers(current.family, cp))) {
      current.text += ch;
      continue;
    }
    const f = families.find((x) => covers(x, cp)) ?? current?.family ?? families[0]!;
    if (current && current.family === f) current.text += ch;
    else runs.push({ family: f, text: ch });
  }
  return runs.map((r) => ({ family: r.family.key, text: r.text }));
}

/** A UTC timestamp as the reports print it ("2026-03-02 09:00 UTC"), or "—" without one. */
export const pdfTime = (iso: string | null | undefined) => (iso ? `${iso.replace('T', ' ').slice(0, 16)} UTC` : '—');

/**
 * A PDF to write and the promise of its bytes, kept once `doc.end()` is called. With `rejectOnError` a failed write
 * rejects the promise. The document speaks Unicode: `doc.font('regular' | 'bold' | 'italic')` chooses the weight, and
 * `text()` and `heightOfString()` choose the font family per run (see above).
 */
export function openPdf(options: PDFKit.PDFDocumentOptions, rejectOnError = false): { doc: PDFKit.PDFDocument; done: Promise<Buffer> } {
  const doc = new PDFDocument(options);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    if (rejectOnError) doc.on('error', reject);
  });

  for (const f of families) for (const w of weights) doc.registerFont(fontName(f, w), f.files[w]);
  const byKey = new Map(families.map((f) => [f.key, f]));
  let weight: PdfFont = 'regular';
  const baseFont = doc.font.bind(doc) as (src: string, size?: number) => PDFKit.PDFDocument;
  const baseText = doc.text.bind(doc) as (
    text: string,
    x?: unknown,
    y?: unknown,
    options?: PDFKit.Mixins.TextOptions,
  ) => PDFKit.PDFDocument;
  const baseHeight = doc.heightOfString.bind(doc);
  const use = (key: string) => baseFont(fontName(byKey.get(key)!, weight));

  doc.font = ((src: string, size?: number) => {
    if (!weights.includes(src as PdfFont)) return baseFont(src, size);
    weight = src as PdfFont;
    use('sans');
    if (typeof size === 'number') doc.fontSize(size);
    return doc;
  }) as typeof doc.font;

  // every run sits on Noto Sans' baseline: by default PDFKit places a run by its own font's ascent, and the families'
  // ascents differ (a CJK run would sit lower than the Latin text next to it)
  covers(families[0]!, 65);
  const sans = coverage.get('sans')!;
  const baseline = () => -(sans.ascent / sans.unitsPerEm) * (doc as unknown as { _fontSize: number })._fontSize;
  doc.text = ((text: string, x?: number | PDFKit.Mixins.TextOptions, y?: number, options?: PDFKit.Mixins.TextOptions) => {
    const runs = fontRuns(String(text ?? ''));
    const opts = { baseline: baseline(), ...((typeof x === 'object' ? x : options) ?? {}) };
    if (runs.length <= 1) {
      use(runs[0]?.family ?? 'sans');
      // PDFKit reads the options from the second argument when x is not given
      if (typeof x !== 'number') baseText(text, opts);
      else baseText(text, x, y, opts);
    } else {
      runs.forEach((r, i) => {
        use(r.family);
        const continued = i < runs.length - 1 ? true : (opts.continued ?? false);
        if (i === 0) {
          if (typeof x !== 'number') baseText(r.text, { ...opts, continued });
          else baseText(r.text, x, y, { ...opts, continued });
        } else baseText(r.text, { continued, baseline: opts.baseline });
      });
    }
    use('sans');
    return doc;
  }) as typeof doc.text;

  // mixed text is measured in the widest family it uses (CJK glyphs are full width), so that a row is never too short
  doc.heightOfString = ((text: string, options?: PDFKit.Mixins.TextOptions) => {
    const keys = new Set(fontRuns(String(text ?? '')).map((r) => r.family));
    use(keys.has('cjk') ? 'cjk' : ([...keys].find((k) => k !== 'sans') ?? 'sans'));
    const height = baseHeight(text, options);
    use('sans');
    return height;
  }) as typeof doc.heightOfString;

  doc.font('regular');
  return { doc, done };
}

/** A section heading of a report (bold, in the house blue), then back to body text. */
export const pdfHeading = (doc: PDFKit.PDFDocument, text: string, size = 12) =>
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

/** A "Label: value" line with the label in bold ("—" for an empty value). */
export const pdfField = (doc: PDFKit.PDFDocument, label: string, value: string) =>
  doc
    .font('bold')
    .text(`${label}: `, { continued: true })
    .font('regular')
    .text(value || '—');
