import type { ExportTexts } from '../i18n/export-texts.ts';
import type { RiskMethodResponse } from '../processes/risk-assessment/risk.schemas.ts';
import { instantIn } from '../audit/audit-words.ts';
import { openPdf, pdfField, pdfHeading } from '../shared/pdf.ts';
import { turns } from '../shared/yield.ts';

/** The PDFs the audit pack adds to the modules' own exports: its index, the scope, and the risk method. */

/** One file of the pack, as the index and the manifest list it. */
export interface PackFile {
  section: string;
  /** its path inside the ZIP */
  name: string;
  title: string;
  /** its version and approval, in words */
  note: string;
  sha256: string;
  size: number;
}

async function open(title: string, subject: string, scopeName: string) {
  const { doc, done } = await openPdf({ size: 'A4', margin: 50, compress: false, info: { Title: title, Subject: subject } });
  doc.font('regular').fontSize(9).fillColor('#666').text(`${scopeName} · ${subject}`);
  doc.moveDown(0.5).font('bold').fontSize(18).fillColor('black').text(title);
  doc.moveDown(0.3).font('regular').fontSize(10);
  const heading = (text: string) => pdfHeading(doc, text);
  return { doc, done, heading };
}

/**
 * The index: what the pack holds, section by section, each file with its version, approval and SHA-256, in the language
 * of the user who asks for the pack (`t`; the sections, titles and notes of the files come worded in it).
 */
export async function renderIndexPdf(
  p: { scopeName: string; generatedAt: string; generatedBy: string; files: PackFile[] },
  t: ExportTexts,
  lang: string,
): Promise<Buffer> {
  const pdfTime = (iso: string) => instantIn(lang, iso);
  const { doc, done, heading } = await open(t('auditPack.index.title', { scope: p.scopeName }), t('auditPack.index.subject'), p.scopeName);
  pdfField(doc, t('auditPack.index.scope'), p.scopeName);
  pdfField(doc, t('auditPack.index.generated'), pdfTime(p.generatedAt));
  pdfField(doc, t('auditPack.index.generatedBy'), p.generatedBy);
  pdfField(doc, t('auditPack.index.files'), String(p.files.length));
  doc.moveDown(0.5).fillColor('#333').text(t('auditPack.index.intro')).fillColor('black');
  let section = '';
  const turn = turns();
  for (const f of p.files) {
    await turn();
    if (f.section !== section) {
      section = f.section;
      heading(section);
    }
    doc.moveDown(0.3).font('bold').text(f.title);
    doc.font('regular').text(f.name);
    doc.fillColor('#333').text(f.note).fillColor('black');
    doc
      .font('regular')
      .fontSize(8)
      .text(t('auditPack.index.hash', { sha256: f.sha256, size: f.size }))
      .fontSize(10);
  }
  doc.end();
  return done;
}

/** The ISMS scope (ISO 27001 4.3): its description, and the processes with their owners (5.3), worded by `t`. */
export async function renderScopePdf(
  s: { name: string; description: string; profile: string; processes: { name: string; phase: string; owner: string | null }[] },
  generatedAt: string,
  t: ExportTexts,
  lang: string,
): Promise<Buffer> {
  const pdfTime = (iso: string) => instantIn(lang, iso);
  const { doc, done, heading } = await open(t('auditPackScope.title', { scope: s.name }), t('auditPackScope.subject'), s.name);
  pdfField(doc, t('auditPackScope.asOf'), pdfTime(generatedAt));
  pdfField(doc, t('auditPackScope.profile'), t(s.profile === 'small' ? 'auditPackScope.small' : 'auditPackScope.large'));
  heading(t('auditPackScope.description'));
  doc.text(s.description || '—');
  heading(t('auditPackScope.processes'));
  for (const p of s.processes) {
    pdfField(doc, t('auditPackScope.process', { name: p.name, phase: p.phase }), p.owner ?? t('auditPackScope.noOwner'));
  }
  doc.end();
  return done;
}

/** The risk method in force (ISO 27001 6.1.2): its scales, levels, matrix and acceptance criteria, worded by `t`. */
export async function renderRiskMethodPdf(
  scopeName: string,
  m: RiskMethodResponse,
  generatedAt: string,
  t: ExportTexts,
  lang: string,
): Promise<Buffer> {
  const pdfTime = (iso: string) => instantIn(lang, iso);
  const { doc, done, heading } = await open(t('auditPackMethod.title'), t('auditPackMethod.title'), scopeName);
  pdfField(doc, t('auditPackMethod.version'), String(m.version));
  pdfField(doc, t('auditPackMethod.setBy'), m.createdBy?.name ?? t('auditPackMethod.builtIn'));
  pdfField(doc, t('auditPackMethod.setOn'), pdfTime(m.createdAt));
  pdfField(doc, t('auditPackMethod.asOf'), pdfTime(generatedAt));
  heading(t('auditPackMethod.likelihood'));
  for (const l of m.likelihood) pdfField(doc, `${l.value} ${l.label}`, l.description);
  heading(t('auditPackMethod.impact'));
  for (const l of m.impact) pdfField(doc, `${l.value} ${l.label}`, l.description);
  heading(t('auditPackMethod.levels'));
  const label = new Map(m.levels.map((l) => [l.key, l.label]));
  for (const l of [...m.levels].sort((a, b) => a.order - b.order)) doc.text(`${l.order}. ${l.label}`);
  heading(t('auditPackMethod.matrix'));
  m.matrix.forEach((row, i) => {
    const likelihood = m.likelihood[i]?.label ?? String(i + 1);
    pdfField(doc, likelihood, row.map((key, j) => `${m.impact[j]?.label ?? j + 1}: ${label.get(key) ?? key}`).join(' · '));
  });
  heading(t('auditPackMethod.acceptance'));
  if (m.acceptance.length === 0) doc.text('—');
  for (const a of m.acceptance) pdfField(doc, label.get(a.level) ?? a.level, t('auditPackMethod.acceptedBy', { authority: a.acceptedBy }));
  doc.end();
  return done;
}
