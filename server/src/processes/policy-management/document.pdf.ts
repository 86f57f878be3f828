import { type Token, type Tokens, marked } from 'marked';
import { openPdf, pdfField, pdfTime as fmt } from '../../shared/pdf.ts';
import type { DocumentDetailResponse, VersionDetailResponse } from './document.schemas.ts';

/** Inline Markdown → plain text (emphasis, code and links keep their text; a link keeps its target in brackets). */
export function inline(tokens: Token[] | undefined, raw: string): string {
  if (!tokens) return raw;
  return tokens
    .map((t) => {
      if (t.type === 'link') {
        const l = t as Tokens.Link;
        const text = inline(l.tokens, l.text);
        return text === l.href ? text : `${text} (${l.href})`;
      }
      if (t.type === 'br') return '\n';
      if ('tokens' in t && Array.isArray(t.tokens)) return inline(t.tokens as Token[], (t as { text?: string }).text ?? '');
      if (t.type === 'codespan' || t.type === 'text' || t.type === 'escape' || t.type === 'html')
        return decode((t as { text?: string }).text ?? t.raw);
      return t.raw;
    })
    .join('');
}

export const decode = (s: string) =>
  s
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");

/** The metadata block of a version (ISO 27001 7.5.2: identification, review and approval), the same in PDF and DOCX. */
export function documentFields(document: DocumentDetailResponse, version: VersionDetailResponse): [string, string][] {
  const approvals = version.approvals.filter((a) => a.decision === 'approved' && a.round === version.reviewRound);
  return [
    ['Reference', document.reference],
    ['Type', document.type],
    ['Version', `${version.versionNo} (${version.status.replace('_', ' ')})`],
    ['Classification', document.classification],
    ['Owner', document.owner?.name ?? '—'],
    ['Change', `${version.changeSummary}${version.materialChange ? ' (material change)' : ''}`],
    ['Author', version.author ? `${version.author.name}, submitted ${fmt(version.submittedAt)}` : '—'],
    ['Approved by', approvals.map((a) => `${a.approver?.name ?? 'a former user'} (${fmt(a.decidedAt)})`).join('; ')],
    [
      'Published',
      version.publishedAt ? `${fmt(version.publishedAt)}${version.publishedBy ? ` by ${version.publishedBy.name}` : ''}` : 'not published',
    ],
    ['Next review', document.nextReviewOn ?? '—'],
  ];
}

/**
 * A document version as PDF (ISO 27001 7.5.2, 7.5.3: identification, format, approval): metadata with version,
 * owner, approvers and dates, classification, then the Markdown content (headings, paragraphs, lists, tables as rows).
 */
export function renderDocumentPdf(
  document: DocumentDetailResponse,
  version: VersionDetailResponse,
  scopeName: string,
  generatedAt: string,
): Promise<Buffer> {
  const { doc, done } = openPdf({
    size: 'A4',
    margin: 50,
    compress: false,
    info: { Title: `${document.reference} ${document.title} v${version.versionNo}`, Subject: `Information security ${document.type}` },
  });

  const field = (label: string, value: string) => pdfField(doc, label, value);

  doc
    .font('regular')
    .fontSize(9)
    .fillColor('#666')
    .text(`${scopeName} · ${document.classification.toUpperCase()} · generated ${fmt(generatedAt)}`);
  doc.moveDown(0.5).font('bold').fontSize(18).fillColor('black').text(`${document.reference} ${document.title}`);
  doc.moveDown(0.3).font('regular').fontSize(10);
  for (const [label, value] of documentFields(document, version).slice(1)) field(label, value);
  doc.moveDown(0.5).strokeColor('#cccccc').moveTo(50, doc.y).lineTo(545, doc.y).stroke().moveDown(0.5);

  const tokens = marked.lexer(version.contentMd ?? '');
  const sizes = [0, 16, 14, 12, 11, 10, 10];
  const block = (t: Token, indent = 0) => {
    switch (t.type) {
      case 'heading': {
        const h = t as Tokens.Heading;
        doc
          .moveDown(0.6)
          .font('bold')
          .fontSize(sizes[h.depth] ?? 10)
          .fillColor('#1c4e80')
          .text(inline(h.tokens, h.text), 50 + indent)
          .moveDown(0.2)
          .font('regular')
          .fontSize(10)
          .fillColor('black');
        break;
      }
      case 'paragraph': {
        const p = t as Tokens.Paragraph;
        doc
          .font('regular')
          .fontSize(10)
          .text(inline(p.tokens, p.text), 50 + indent)
          .moveDown(0.4);
        break;
      }
      case 'list': {
        const l = t as Tokens.List;
        l.items.forEach((item, i) => {
          const marker = l.ordered ? `${(typeof l.start === 'number' ? l.start : 1) + i}.` : '•';
          const [first, ...rest] = item.tokens;
          const text = first && 'tokens' in first ? inline(first.tokens as Token[], (first as { text?: string }).text ?? '') : item.text;
          doc
            .font('regular')
            .fontSize(10)
            .text(`${item.task ? (item.checked ? '[x] ' : '[ ] ') : ''}${marker} ${text}`, 50 + indent + 10);
          for (const r of rest) block(r, indent + 15);
        });
        doc.moveDown(0.4);
        break;
      }
      case 'table': {
        const tb = t as Tokens.Table;
        doc
          .font('bold')
          .fontSize(9)
          .text(tb.header.map((c) => inline(c.tokens, c.text)).join(' | '), 50 + indent);
        doc.font('regular').fontSize(9);
        for (const row of tb.rows) doc.text(row.map((c) => inline(c.tokens, c.text)).join(' | '), 50 + indent);
        doc.fontSize(10).moveDown(0.4);
        break;
      }
      case 'code': {
        doc
          .font('regular')
          .fontSize(9)
          .text((t as Tokens.Code).text, 60 + indent)
          .font('regular')
          .fontSize(10)
          .moveDown(0.4);
        break;
      }
      case 'blockquote': {
        for (const inner of (t as Tokens.Blockquote).tokens) block(inner, indent + 15);
        break;
      }
      case 'hr':
        doc.moveDown(0.3).strokeColor('#cccccc').moveTo(50, doc.y).lineTo(545, doc.y).stroke().moveDown(0.3);
        break;
      case 'space':
        break;
      default:
        if ('text' in t && typeof t.text === 'string' && t.text.trim())
          doc
            .font('regular')
            .fontSize(10)
            .text(decode(t.text), 50 + indent);
    }
  };
  for (const t of tokens) block(t);
  if (!version.contentMd?.trim())
    doc
      .font('italic')
      .fontSize(10)
      .text(version.file ? `Content: attached file ${version.file.name}` : 'No content.');
  doc.end();
  return done;
}
