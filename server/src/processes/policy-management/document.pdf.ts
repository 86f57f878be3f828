import type { Token, Tokens } from 'marked';
import { type ExportTexts, exportTexts } from '../../i18n/export-texts.ts';
import { fallbackLanguage } from '../../i18n/i18n.ts';
import { openPdf, pdfField, pdfTime as fmt } from '../../shared/pdf.ts';
import type { DocumentDetailResponse, VersionDetailResponse } from './document.schemas.ts';
import { turns } from '../../shared/yield.ts';

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

/** The fixed words of a document export in a language (`lang` from the request's Accept-Language). */
export const documentTexts = (lang: string = fallbackLanguage): ExportTexts => exportTexts(lang);

/** "Information security policy · INTERNAL · generated …": the kind and header line of a document export. */
export const documentKind = (document: DocumentDetailResponse, t: ExportTexts) =>
  t('document.kind', { type: t(`document.type.${document.type}`) });
export const documentHeader = (document: DocumentDetailResponse, scopeName: string, generatedAt: string, t: ExportTexts) =>
  t('document.header', {
    scope: scopeName,
    classification: t(`document.classification.${document.classification}`).toUpperCase(),
    at: fmt(generatedAt),
  });
export const documentNoContent = (version: VersionDetailResponse, t: ExportTexts) =>
  version.file ? t('document.attached', { name: version.file.name }) : t('document.noContent');

/** The metadata block of a version (ISO 27001 7.5.2: identification, review and approval), the same in PDF and DOCX. */
export function documentFields(
  document: DocumentDetailResponse,
  version: VersionDetailResponse,
  t: ExportTexts = documentTexts(),
): [string, string][] {
  const approvals = version.approvals.filter((a) => a.decision === 'approved' && a.round === version.reviewRound);
  return [
    [t('document.field.reference'), document.reference],
    [t('document.field.type'), t(`document.type.${document.type}`)],
    [
      t('document.field.version'),
      t('document.versionStatus', { number: version.versionNo, status: t(`document.status.${version.status}`) }),
    ],
    [t('document.field.classification'), t(`document.classification.${document.classification}`)],
    [t('document.field.owner'), document.owner?.name ?? '—'],
    [
      t('document.field.change'),
      version.materialChange ? t('document.materialChange', { summary: version.changeSummary }) : version.changeSummary,
    ],
    [
      t('document.field.author'),
      version.author ? t('document.submitted', { name: version.author.name, at: fmt(version.submittedAt) }) : '—',
    ],
    [
      t('document.field.approvedBy'),
      approvals.map((a) => t('document.approval', { name: a.approver?.name ?? t('formerUser'), at: fmt(a.decidedAt) })).join('; '),
    ],
    [
      t('document.field.published'),
      version.publishedAt
        ? version.publishedBy
          ? t('document.publishedBy', { at: fmt(version.publishedAt), name: version.publishedBy.name })
          : fmt(version.publishedAt)
        : t('document.notPublished'),
    ],
    [t('document.field.nextReview'), document.nextReviewOn ?? '—'],
  ];
}

/**
 * A document version as PDF (ISO 27001 7.5.2, 7.5.3: identification, format, approval): metadata with version,
 * owner, approvers and dates, classification, then the Markdown content (headings, paragraphs, lists, tables as rows).
 */
export async function renderDocumentPdf(
  document: DocumentDetailResponse,
  version: VersionDetailResponse,
  scopeName: string,
  generatedAt: string,
  lang: string = fallbackLanguage,
): Promise<Buffer> {
  const t = documentTexts(lang);
  const { doc, done } = await openPdf({
    size: 'A4',
    margin: 50,
    compress: false,
    info: { Title: `${document.reference} ${document.title} v${version.versionNo}`, Subject: documentKind(document, t) },
  });

  const field = (label: string, value: string) => pdfField(doc, label, value);

  doc
    .font('regular')
    .fontSize(9)
    .fillColor('#666')
    .text(documentHeader(document, scopeName, generatedAt, t));
  doc.moveDown(0.5).font('bold').fontSize(18).fillColor('black').text(`${document.reference} ${document.title}`);
  doc.moveDown(0.3).font('regular').fontSize(10);
  for (const [label, value] of documentFields(document, version, t).slice(1)) field(label, value);
  doc.moveDown(0.5).strokeColor('#cccccc').moveTo(50, doc.y).lineTo(545, doc.y).stroke().moveDown(0.5);

  // marked loads with the first document, not with the server
  const { marked } = await import('marked');
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
  const turn = turns();
  for (const t of tokens) {
    await turn();
    block(t);
  }
  if (!version.contentMd?.trim()) doc.font('italic').fontSize(10).text(documentNoContent(version, t));
  doc.end();
  return done;
}
