import PDFDocument from 'pdfkit';

/** A UTC timestamp as the reports print it ("2026-03-02 09:00 UTC"), or "—" without one. */
export const pdfTime = (iso: string | null | undefined) => (iso ? `${iso.replace('T', ' ').slice(0, 16)} UTC` : '—');

/**
 * A PDF to write and the promise of its bytes, kept once `doc.end()` is called. With `rejectOnError` a failed write
 * rejects the promise.
 */
export function openPdf(options: PDFKit.PDFDocumentOptions, rejectOnError = false): { doc: PDFKit.PDFDocument; done: Promise<Buffer> } {
  const doc = new PDFDocument(options);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    if (rejectOnError) doc.on('error', reject);
  });
  return { doc, done };
}

/** A "Label: value" line with the label in bold ("—" for an empty value). */
export const pdfField = (doc: PDFKit.PDFDocument, label: string, value: string) =>
  doc
    .font('Helvetica-Bold')
    .text(`${label}: `, { continued: true })
    .font('Helvetica')
    .text(value || '—');
