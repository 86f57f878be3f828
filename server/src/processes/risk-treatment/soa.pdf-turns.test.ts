import { describe, expect, it } from 'vitest';
import { pdfText } from '../../test/document-text.ts';
import { renderSoaPdf } from './soa.export.ts';
import type { SoaExportData } from './soa.service.ts';

/**
 * A large Statement of Applicability is laid out row by row on the main thread (PDFKit is synchronous): the renderer gives
 * the event loop turns while it works, so that other requests are answered meanwhile (issue 13, "nothing blocks"). The
 * test counts the turns a ticker of setImmediate callbacks gets while 1,500 rows are laid out; without the renderer's
 * turns it gets none until the document is done.
 */
describe('SoA PDF of a large catalog', () => {
  it('lets the event loop run while its rows are laid out, and still holds every row', async () => {
    const entries = Array.from({ length: 1500 }, (_, i): SoaExportData['entries'][number] => ({
      id: `e${i}`,
      requirement: {
        id: `r${i}`,
        identifier: `req-${i}`,
        label: `R-${i}`,
        title: `Requirement ${i} on access management and the review of privileged accounts`,
        parentIdentifier: null,
        depth: 0,
        withdrawn: false,
      },
      group: { identifier: `g${Math.floor(i / 100)}`, label: `G${Math.floor(i / 100)}`, title: 'Organisational controls' },
      applicable: true,
      justification: `Risk treatment: RSK-${String(i).padStart(4, '0')}`,
      decisionSource: 'treatment',
      decidedBy: null,
      decidedAt: null,
      implementationStatus: 'planned',
      controls: [{ id: `c${i}`, reference: `CTL-${i}`, title: 'Privileged access review', status: 'planned' }],
      version: 1,
    }));
    const data: SoaExportData = {
      scope: { id: 's', name: 'Example Ltd', description: '' },
      soa: {
        id: 'soa',
        scopeId: 's',
        reference: 'SOA-0001',
        title: 'Statement of Applicability',
        catalog: { id: 'cat', key: 'generated', title: 'Generated catalog', version: '1' },
        status: 'draft',
        draftNumber: 1,
        approvedNumber: null,
        submittedBy: null,
        submittedAt: null,
        counts: { total: 1500, applicable: 1500, excluded: 0, undecided: 0, unjustifiedInclusions: 0, unjustifiedExclusions: 0 },
        createdAt: '2026-12-01T09:00:00.000Z',
        updatedAt: '2026-12-01T09:00:00.000Z',
        version: 1,
      } as SoaExportData['soa'],
      number: 1,
      state: 'draft',
      approval: null,
      generatedAt: '2026-12-01T09:00:00.000Z',
      entries,
    };
    let ticks = 0;
    let running = true;
    const tick = () => {
      ticks += 1;
      if (running) setImmediate(tick);
    };
    setImmediate(tick);
    const pdf = await renderSoaPdf(data);
    running = false;
    // dozens of turns at 20 ms each on any machine this runs on; without turns, at most the one before the first row
    expect(ticks).toBeGreaterThan(3);
    const text = await pdfText(pdf);
    expect(text).toContain('R-0');
    expect(text).toContain('R-1499');
  }, 120_000);
});
