import type { Token, Tokens } from 'marked';
import { type DocxBlock, docxCode, docxHeading, docxListItem, docxTable, docxText, renderDocx } from '../../shared/docx.ts';
import { fallbackLanguage } from '../../i18n/i18n.ts';
import { decode, documentFields, documentHeader, documentKind, documentNoContent, documentTexts, inline } from './document.pdf.ts';
import type { DocumentDetailResponse, VersionDetailResponse } from './document.schemas.ts';

/**
 * A document version as DOCX, for people who edit policies in Word: the metadata block (reference, version and status,
 * owner, author, approvals, publication, next review), then the Markdown content as Word headings, paragraphs, lists and
 * tables.
 */
export async function renderDocumentDocx(
  document: DocumentDetailResponse,
  version: VersionDetailResponse,
  scopeName: string,
  generatedAt: string,
  lang: string = fallbackLanguage,
): Promise<Buffer> {
  const tx = documentTexts(lang);
  const body: DocxBlock[] = [];
  const block = (t: Token, level = 0) => {
    switch (t.type) {
      case 'heading': {
        const h = t as Tokens.Heading;
        body.push(docxHeading(inline(h.tokens, h.text), h.depth));
        break;
      }
      case 'paragraph': {
        const p = t as Tokens.Paragraph;
        body.push(docxText(inline(p.tokens, p.text)));
        break;
      }
      case 'list': {
        const l = t as Tokens.List;
        l.items.forEach((item, i) => {
          const [first, ...rest] = item.tokens;
          const text = first && 'tokens' in first ? inline(first.tokens as Token[], (first as { text?: string }).text ?? '') : item.text;
          const marker = l.ordered ? `${(typeof l.start === 'number' ? l.start : 1) + i}.` : undefined;
          const task = item.task ? (item.checked ? '☑ ' : '☐ ') : '';
          body.push(docxListItem(`${task}${text}`, level, marker));
          for (const r of rest) block(r, level + 1);
        });
        break;
      }
      case 'table': {
        const tb = t as Tokens.Table;
        body.push(
          docxTable(
            tb.header.map((c) => inline(c.tokens, c.text)),
            tb.rows.map((row) => row.map((c) => inline(c.tokens, c.text))),
          ),
        );
        break;
      }
      case 'code':
        body.push(docxCode((t as Tokens.Code).text));
        break;
      case 'blockquote':
        for (const inner of (t as Tokens.Blockquote).tokens) block(inner, level + 1);
        break;
      case 'hr':
      case 'space':
        break;
      default:
        if ('text' in t && typeof t.text === 'string' && t.text.trim()) body.push(docxText(decode(t.text)));
    }
  };
  // marked loads with the first document, not with the server
  const { marked } = await import('marked');
  for (const t of marked.lexer(version.contentMd ?? '')) block(t);
  if (!version.contentMd?.trim()) body.push(docxText(documentNoContent(version, tx), { italics: true }));
  // the kind line reads "<scope> · <kind> · <CLASSIFICATION> · generated …"
  const header = documentHeader(document, '', generatedAt, tx).replace(/^ · /, '');
  return renderDocx({
    title: `${document.reference} ${document.title}`,
    kind: `${documentKind(document, tx)} · ${header}`,
    organisation: scopeName,
    fields: documentFields(document, version, tx),
    body,
  });
}
