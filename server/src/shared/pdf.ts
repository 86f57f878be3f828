import { createRequire } from 'node:module';

/**
 * Every PDF Praxis makes is opened here (`openPdf`), so that any text renders: PDFKit's built-in Helvetica speaks only
 * WinAnsi ("数据泄露", Greek or "→" come out as other characters), so the documents embed the Noto fonts (SIL Open Font
 * Licence 1.1, from the @expo-google-fonts packages, which ship the TTF files): Noto Sans for Latin, Greek and
 * Cyrillic, Noto Sans Hebrew and Arabic for right-to-left text, and Noto Sans SC for Chinese, Japanese kana and the
 * arrows and mathematical signs Noto Sans lacks. PDFKit embeds only the glyphs used (a subset), so files stay small.
 *
 * A document's `text()` picks the font per run of text: each letter goes to the first family that has its glyph, other
 * characters (spaces, digits, punctuation, marks) stay with the run they are in when its font has them.
 *
 * Text with right-to-left letters (Hebrew, Arabic) is laid out bidirectionally: bidi-js (the Unicode Bidirectional
 * Algorithm, UAX #9) gives each character its embedding level, the text is broken into lines as PDFKit does (the
 * linebreak package, UAX #14), and each rendered line is put into visual order on its own: right-to-left runs read
 * right to left, Latin words and numbers inside them left to right, brackets mirrored. Fontkit shapes each run in
 * logical order (Arabic joining forms) and lays a right-to-left run out right to left. A paragraph whose first strong
 * letter is right-to-left is aligned right unless `align` says otherwise. Text without right-to-left letters goes
 * through PDFKit's own wrapping unchanged. A `continued` chain (a bold label, then its value) is one paragraph: its
 * parts are drawn once the chain ends.
 *
 * PDFKit, fontkit, linebreak and bidi-js load with the first PDF (or the first `fontRuns`), not with the server: they
 * are among the largest libraries of the start (`cli/praxis-cli.test.ts` fails if the start loads them again), hence
 * `openPdf` is async.
 */

const require = createRequire(import.meta.url);
/** a value made on its first use and kept */
const once = <T>(make: () => T): (() => T) => {
  let value: T | undefined;
  return () => {
    value ??= make();
    return value;
  };
};

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
const families = once((): Family[] => [
  family('sans', '@expo-google-fonts/noto-sans', 'NotoSans', true),
  family('hebrew', '@expo-google-fonts/noto-sans-hebrew', 'NotoSansHebrew'),
  family('arabic', '@expo-google-fonts/noto-sans-arabic', 'NotoSansArabic'),
  family('cjk', '@expo-google-fonts/noto-sans-sc', 'NotoSansSC'),
]);
const fontName = (f: Family, w: PdfFont) => `noto-${f.key}-${w}`;

/** fontkit (PDFKit's own font reader) answers which glyphs a font has; it ships no types, hence the narrow one here */
type Coverage = { hasGlyphForCodePoint(codePoint: number): boolean; ascent: number; unitsPerEm: number };
const fontkit = once(() => require('fontkit') as { openSync(path: string): Coverage });
/**
 * Each font file is read and parsed once per process: parsing the fonts again for every document cost most of a
 * short PDF's time. A document embeds a view of the parsed font of its own (PDFKit takes a fontkit font as a font's
 * source, and makes its own subset): the view shares the parsed tables and keeps its own glyphs, because fontkit
 * remembers a glyph with the characters it was first reached from, and a document's text layer (what a reader copies
 * or searches) takes its characters from there; shared glyphs let one document's text decide another's. The view
 * relies on fontkit 2's layout: tables parsed into the font's own properties, glyphs in `_glyphs`, the layout engine
 * made on first use by the font it is asked of (the shared font is only asked which glyphs it has).
 */
const opened = new Map<string, Coverage>();
const openFont = (file: string) => {
  let font = opened.get(file);
  if (!font) {
    font = fontkit().openSync(file);
    opened.set(file, font);
  }
  return font;
};
const covers = (f: Family, codePoint: number) => openFont(f.files.regular).hasGlyphForCodePoint(codePoint);
const fontForDocument = (file: string) => Object.assign(Object.create(openFont(file)) as Coverage, { _glyphs: {} });

/** PDFKit's own line breaker (UAX #14); it ships no types, hence the narrow one here */
const lineBreaker = once(
  () => require('linebreak') as new (text: string) => { nextBreak(): { position: number; required: boolean } | null },
);
// bidi-js' CommonJS build exports the factory itself
const bidi = once(() => (require('bidi-js') as typeof import('bidi-js').default)());
const rtlTypes = new Set(['R', 'AL', 'RLE', 'RLO', 'RLI']);
/** whether the text has a right-to-left letter (or asks for a right-to-left embedding) */
const hasRtl = (text: string) => [...text].some((ch) => rtlTypes.has(bidi().getBidiCharTypeName(ch)));
/** whether fontkit lays the text out right to left by itself: it does when the text has a Hebrew or Arabic letter */
const strongRtl = (text: string) => [...text].some((ch) => ['R', 'AL'].includes(bidi().getBidiCharTypeName(ch)));

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
    const f = families().find((x) => covers(x, cp)) ?? current?.family ?? families()[0]!;
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
export async function openPdf(
  options: PDFKit.PDFDocumentOptions,
  rejectOnError = false,
): Promise<{ doc: PDFKit.PDFDocument; done: Promise<Buffer> }> {
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument(options);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    if (rejectOnError) doc.on('error', reject);
  });

  const byKey = new Map(families().map((f) => [f.key, f]));
  let weight: PdfFont = 'regular';
  const baseFont = doc.font.bind(doc) as (src: string, size?: number) => PDFKit.PDFDocument;
  const baseText = doc.text.bind(doc) as (
    text: string,
    x?: unknown,
    y?: unknown,
    options?: PDFKit.Mixins.TextOptions,
  ) => PDFKit.PDFDocument;
  const baseHeight = doc.heightOfString.bind(doc);
  const baseEnd = doc.end.bind(doc);
  // a font is registered with the document when a run first needs it (a Latin-only document never reads the CJK font);
  // a parsed fontkit font is a source PDFKit takes, though its types name only files and bytes
  const registered = new Set<string>();
  const use = (key: string, w: PdfFont = weight) => {
    const f = byKey.get(key)!;
    const name = fontName(f, w);
    if (!registered.has(name)) {
      doc.registerFont(name, fontForDocument(f.files[w]) as unknown as string);
      registered.add(name);
    }
    return baseFont(name);
  };
  const state = doc as unknown as { _fontSize: number; _fillColor?: [PDFKit.Mixins.ColorValue, number?] };

  doc.font = ((src: string, size?: number) => {
    if (!weights.includes(src as PdfFont)) return baseFont(src, size);
    weight = src as PdfFont;
    use('sans');
    if (typeof size === 'number') doc.fontSize(size);
    return doc;
  }) as typeof doc.font;

  // every run sits on Noto Sans' baseline: by default PDFKit places a run by its own font's ascent, and the families'
  // ascents differ (a CJK run would sit lower than the Latin text next to it)
  const sans = openFont(families()[0]!.files.regular);
  const baselineAt = (size: number) => -(sans.ascent / sans.unitsPerEm) * size;
  const baseline = () => baselineAt(state._fontSize);

  /** left-to-right text: each run of one family drawn in turn, PDFKit wrapping them as one paragraph */
  const drawRuns = (text: string, x: number | undefined, y: number | undefined, options: PDFKit.Mixins.TextOptions) => {
    const runs = fontRuns(text);
    const opts = { baseline: baseline(), ...options };
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
  };

  type Span = { text: string; weight: PdfFont; size: number; fill?: [PDFKit.Mixins.ColorValue, number?] };
  type Piece = { text: string; family: string; span: Span; width: number };
  type Line = { pieces: Piece[]; width: number; height: number; rtl: boolean };
  // fontkit shapes a string each time it is measured with features given: the widths of the words are kept per document
  const widths = new Map<string, number>();

  /**
   * Right-to-left or mixed text in lines: the paragraphs (split at line breaks) wrapped at `width` as PDFKit wraps, then
   * each line's characters put into visual order by their embedding levels and cut into pieces of one direction,
   * family and span, each piece as fontkit is to draw it (a right-to-left piece in logical order, fontkit reverses it).
   */
  const layoutBidi = (spans: Span[], width: number): Line[] => {
    const full = spans.map((s) => s.text).join('');
    const spanAt: number[] = [];
    spans.forEach((s, i) => {
      for (let k = 0; k < s.text.length; k++) spanAt.push(i);
    });
    const familyAt: string[] = [];
    for (const r of fontRuns(full)) for (let k = 0; k < r.text.length; k++) familyAt.push(r.family);
    const key = (i: number) => `${familyAt[i]}|${spanAt[i]}`;
    const measure = (text: string, family: string, span: Span) => {
      const k = `${family}|${span.weight}|${span.size}|${text}`;
      let w = widths.get(k);
      if (w === undefined) {
        use(family, span.weight);
        doc.fontSize(span.size);
        w = doc.widthOfString(text, { features: [] });
        widths.set(k, w);
      }
      return w;
    };
    /** the width of full[a, b) drawn in its families */
    const widthOf = (a: number, b: number) => {
      let w = 0;
      for (let i = a; i < b; ) {
        let j = i + 1;
        while (j < b && key(j) === key(i)) j++;
        w += measure(full.slice(i, j), familyAt[i]!, spans[spanAt[i]!]!);
        i = j;
      }
      return w;
    };
    const trimEnd = (a: number, b: number) => {
      while (b > a && /\s/.test(full[b - 1]!)) b--;
      return b;
    };

    // the lines as ranges of the logical text
    const ranges: [number, number][] = [];
    let p0 = 0;
    for (const para of full.split('\n')) {
      const p1 = p0 + para.length;
      if (para.length === 0) ranges.push([p0, p0]);
      const breaker = new (lineBreaker())(para);
      let lineStart = p0;
      let lineWidth = 0;
      let last = p0;
      for (let bk = breaker.nextBreak(); bk; bk = breaker.nextBreak()) {
        let segStart = last;
        const segEnd = p0 + bk.position;
        last = segEnd;
        if (lineStart < segStart && lineWidth + widthOf(segStart, trimEnd(segStart, segEnd)) > width) {
          ranges.push([lineStart, segStart]);
          lineStart = segStart;
          lineWidth = 0;
        }
        // a word longer than the line is cut where it no longer fits
        while (lineStart === segStart && widthOf(segStart, trimEnd(segStart, segEnd)) > width) {
          let cut = segStart + String.fromCodePoint(full.codePointAt(segStart)!).length;
          while (cut < segEnd) {
            const next = cut + String.fromCodePoint(full.codePointAt(cut)!).length;
            if (widthOf(segStart, next) > width) break;
            cut = next;
          }
          if (cut >= trimEnd(segStart, segEnd)) break;
          ranges.push([segStart, cut]);
          lineStart = segStart = cut;
        }
        lineWidth += widthOf(segStart, segEnd);
      }
      if (para.length && lineStart < p1) ranges.push([lineStart, p1]);
      p0 = p1 + 1;
    }

    const unicode = bidi();
    const embedding = unicode.getEmbeddingLevels(full);
    const levels = embedding.levels;
    const rtlParagraph = (i: number) => (embedding.paragraphs.find((p) => p.start <= i && i <= p.end)?.level ?? 0) % 2 === 1;
    const lineHeight = (span: Span) => {
      use('sans', span.weight);
      doc.fontSize(span.size);
      return doc.currentLineHeight(true);
    };
    return ranges.map(([a, b0]) => {
      const b = trimEnd(a, b0);
      const inLine = [...new Set(spanAt.slice(a, Math.max(b0, a + 1)))].map((i) => spans[i]!);
      const height = Math.max(...(inLine.length ? inLine : spans.slice(-1)).map(lineHeight));
      const pieces: Piece[] = [];
      if (b > a) {
        // the visual order of the whole text, only the line's part reordered
        const order = unicode.getReorderedIndices(full, embedding, a, b - 1).slice(a, b);
        const mirrored = unicode.getMirroredCharactersMap(full, levels, a, b - 1);
        const groups: number[][] = [];
        for (const i of order) {
          const g = groups.at(-1);
          const prev = g?.at(-1);
          const step = levels[i]! % 2 === 1 ? -1 : 1;
          if (g && prev !== undefined && levels[prev] === levels[i] && key(prev) === key(i) && i === prev + step) g.push(i);
          else groups.push([i]);
        }
        for (const g of groups) {
          const logical = [...g].sort((x, y) => x - y);
          let text = logical.map((i) => mirrored.get(i) ?? full[i]).join('');
          // fontkit reverses a run with Hebrew or Arabic letters itself; a right-to-left run of only signs it would not
          if (levels[g[0]!]! % 2 === 1 && !strongRtl(text)) text = [...text].reverse().join('');
          const span = spans[spanAt[g[0]!]!]!;
          pieces.push({ text, family: familyAt[g[0]!]!, span, width: measure(text, familyAt[g[0]!]!, span) });
        }
      }
      return { pieces, width: pieces.reduce((w, p) => w + p.width, 0), height, rtl: rtlParagraph(a) };
    });
  };

  const lineGapOf = (options: PDFKit.Mixins.TextOptions) => options.lineGap || (doc as unknown as { _lineGap?: number })._lineGap || 0;
  const widthFor = (x: number, options: PDFKit.Mixins.TextOptions) =>
    options.lineBreak === false ? Number.POSITIVE_INFINITY : Math.max(options.width ?? doc.page.width - x - doc.page.margins.right, 0);

  /** a paragraph with right-to-left text, drawn line by line at x (or the current position), PDFKit-like */
  const drawBidi = (spans: Span[], x: number | undefined, y: number | undefined, options: PDFKit.Mixins.TextOptions) => {
    const [w0, size0, fill0] = [weight, state._fontSize, state._fillColor];
    const x0 = x ?? doc.x;
    let lineY = y ?? doc.y;
    const width = widthFor(x0, options);
    const gap = lineGapOf(options);
    const maxY = options.height != null ? lineY + options.height : undefined;
    const { link, underline, strike, oblique } = options;
    for (const line of layoutBidi(spans, width)) {
      if (maxY !== undefined && lineY + line.height > maxY) break;
      if (maxY === undefined && lineY + line.height > doc.page.maxY() && lineY > doc.page.margins.top) {
        doc.addPage();
        lineY = doc.y;
      }
      const align = options.align === 'justify' || !options.align ? (line.rtl ? 'right' : 'left') : options.align;
      const room = Number.isFinite(width) ? width - line.width : 0;
      let px = align === 'right' ? x0 + room : align === 'center' ? x0 + room / 2 : x0;
      for (const p of line.pieces) {
        use(p.family, p.span.weight);
        doc.fontSize(p.span.size);
        if (p.span.fill) doc.fillColor(...p.span.fill);
        const extra = { link, underline, strike, oblique };
        baseText(p.text, px, lineY, { ...extra, lineBreak: false, baseline: baselineAt(p.span.size), features: [] });
        px += p.width;
      }
      lineY += line.height + gap;
    }
    weight = w0;
    doc.fontSize(size0);
    if (fill0) doc.fillColor(...fill0);
    use('sans');
    doc.x = x0;
    doc.y = lineY;
  };

  // a continued chain is kept until its last part, then drawn as one paragraph
  type Part = { span: Span; x?: number; y?: number; options: PDFKit.Mixins.TextOptions };
  let chain: Part[] = [];
  const flush = () => {
    const parts = chain;
    chain = [];
    if (parts.length === 0) return;
    if (hasRtl(parts.map((p) => p.span.text).join(''))) {
      drawBidi(
        parts.map((p) => p.span),
        parts[0]!.x,
        parts[0]!.y,
        parts[0]!.options,
      );
      return;
    }
    const [w0, size0] = [weight, state._fontSize];
    for (const p of parts) {
      weight = p.span.weight;
      doc.fontSize(p.span.size);
      if (p.span.fill && parts.length > 1) doc.fillColor(...p.span.fill);
      drawRuns(p.span.text, p.x, p.y, p.options);
    }
    weight = w0;
    doc.fontSize(size0);
    use('sans');
  };

  doc.text = ((text: string, x?: number | PDFKit.Mixins.TextOptions, y?: number, options?: PDFKit.Mixins.TextOptions) => {
    const opts = { ...((typeof x === 'object' ? x : options) ?? {}) };
    const fill = state._fillColor ? ([...state._fillColor] as [PDFKit.Mixins.ColorValue, number?]) : undefined;
    chain.push({
      span: { text: String(text ?? ''), weight, size: state._fontSize, fill },
      ...(typeof x === 'number' ? { x, y } : {}),
      options: opts,
    });
    if (!opts.continued) flush();
    return doc;
  }) as typeof doc.text;

  // mixed text is measured in the widest family it uses (CJK glyphs are full width), so that a row is never too short;
  // right-to-left text is measured by the same layout that draws it
  doc.heightOfString = ((text: string, options: PDFKit.Mixins.TextOptions = {}) => {
    const value = String(text ?? '');
    if (hasRtl(value)) {
      const size0 = state._fontSize;
      const lines = layoutBidi([{ text: value, weight, size: size0 }], widthFor(doc.x, options));
      doc.fontSize(size0);
      use('sans');
      return lines.reduce((h, l) => h + l.height + lineGapOf(options), 0);
    }
    const keys = new Set(fontRuns(value).map((r) => r.family));
    use(keys.has('cjk') ? 'cjk' : ([...keys].find((k) => k !== 'sans') ?? 'sans'));
    const height = baseHeight(text, options);
    use('sans');
    return height;
  }) as typeof doc.heightOfString;

  // a chain left open at the end is drawn all the same
  doc.end = (() => {
    flush();
    return baseEnd();
  }) as typeof doc.end;

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
