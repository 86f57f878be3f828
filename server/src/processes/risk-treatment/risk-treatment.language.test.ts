import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANNEX_A_KEY } from '../../catalogs/iso27001-annex-a.ts';
import { buildScope, buildUser, createTestContext, dialects, type TestContext, requester } from '../../test/harness.ts';

/**
 * The control a treatment decision creates from an Annex A requirement is the scope's own record from then on: it is
 * titled once, in the deciding user's language — the German edition's title for a German user (their account's setting
 * or, without one, `Accept-Language: de`), the English title otherwise.
 */
describe.each(dialects)('a control created from an Annex A requirement in the decider’s language on %s', (dialect) => {
  let t: TestContext;

  const send = requester(() => t).readIn;

  beforeAll(async () => {
    t = await createTestContext(dialect);
  });
  afterAll(async () => t?.close());

  /** A fresh scope whose manager (German by account, by header, or English) decides a treatment naming A.8.7. */
  async function decideWithMalwareRequirement(how: 'account' | 'header' | 'english'): Promise<string> {
    const built = await buildScope(t.deps);
    const scope = `/api/scopes/${built.scope.id}`;
    let user = built.manager;
    if (how === 'account') {
      user = await buildUser(t.deps, { memberships: [[built.scope.id, 'manager']] });
      await send('PATCH', '/api/me', user, undefined, { language: 'de' });
    }
    const language = how === 'header' ? 'de-DE,de;q=0.9' : how === 'english' ? 'en' : undefined;
    const catalogs = await send('GET', `${scope}/catalogs`, user, language);
    const annexA = (Array.isArray(catalogs) ? catalogs : catalogs.items).find((c: { key: string }) => c.key === ANNEX_A_KEY);
    const requirements = (await send('GET', `${scope}/catalogs/${annexA.id}/requirements?pageSize=200`, user, language)).items;
    const malware = requirements.find((r: { identifier: string }) => r.identifier === 'A.8.7');
    const risk = await send('POST', `${scope}/risks`, user, language, { title: 'Ransomware', currentLikelihood: 3, currentImpact: 3 });
    const treatment = `${scope}/risks/${risk.id}/treatment`;
    await send('PUT', treatment, user, language, {
      version: 0,
      option: 'modify',
      rationale: 'Malware is the main way in',
      controls: [{ requirementId: malware.id }],
      targetLikelihood: 1,
      targetImpact: 2,
    });
    const decided = await send('POST', `${treatment}/decide`, user, language, { version: 1 });
    const control = decided.controls[0].control;
    expect(control).not.toBeNull();
    // the title is stored so: every reader sees the decider's words
    const stored = await t.deps.db.selectFrom('control').select('title').where('id', '=', control.id).executeTakeFirstOrThrow();
    expect(control.title).toBe(stored.title);
    return stored.title;
  }

  it('titles the control by the German edition for a German user, by account or by header', async () => {
    expect(await decideWithMalwareRequirement('account')).toBe('A.8.7 Schutz gegen Schadsoftware');
    expect(await decideWithMalwareRequirement('header')).toBe('A.8.7 Schutz gegen Schadsoftware');
  });

  it('titles the control in English for an English user', async () => {
    expect(await decideWithMalwareRequirement('english')).toBe('A.8.7 Protection against malware');
  });
});

/**
 * The built-in Annex A catalog speaks the reader's language wherever it is named: a treatment's selected requirement, a
 * control's linked requirements, and the Statement of Applicability (its response and its exports) name the catalog
 * "ISO/IEC 27001:2022 Anhang A" and the requirements by the German edition to German readers, in English to others.
 */
describe.each(dialects)('the Annex A catalog in the reader’s language on treatments, controls and the SoA on %s', (dialect) => {
  let t: TestContext;
  const { readIn: send, sendIn } = requester(() => t);
  const de = { catalog: 'ISO/IEC 27001:2022 Anhang A', malware: 'Schutz gegen Schadsoftware' };
  const en = { catalog: 'ISO/IEC 27001:2022 Annex A', malware: 'Protection against malware' };
  let scope: string;
  let manager: Awaited<ReturnType<typeof buildScope>>['manager'];
  let malwareId: string;

  beforeAll(async () => {
    t = await createTestContext(dialect);
    const built = await buildScope(t.deps);
    scope = `/api/scopes/${built.scope.id}`;
    manager = built.manager;
    const catalogs = await send('GET', `${scope}/catalogs`, manager, 'en');
    const annexA = (Array.isArray(catalogs) ? catalogs : catalogs.items).find((c: { key: string }) => c.key === ANNEX_A_KEY);
    const requirements = (await send('GET', `${scope}/catalogs/${annexA.id}/requirements?pageSize=200`, manager, 'en')).items;
    malwareId = requirements.find((r: { identifier: string }) => r.identifier === 'A.8.7').id;
  });
  afterAll(async () => t?.close());

  it('names a treatment’s selected requirement and its catalog in the reader’s language', async () => {
    const risk = await send('POST', `${scope}/risks`, manager, 'en', { title: 'Ransomware', currentLikelihood: 3, currentImpact: 3 });
    const treatment = `${scope}/risks/${risk.id}/treatment`;
    const saved = await send('PUT', treatment, manager, 'de', {
      version: 0,
      option: 'modify',
      rationale: 'Schadsoftware ist der Hauptweg hinein',
      controls: [{ requirementId: malwareId }],
      targetLikelihood: 1,
      targetImpact: 2,
    });
    expect(saved.controls[0].requirement).toMatchObject({ identifier: 'A.8.7', catalogTitle: de.catalog, title: de.malware });
    for (const [language, words] of [
      ['de', de],
      ['en', en],
    ] as const) {
      const read = await send('GET', treatment, manager, language);
      expect(read.controls[0].requirement).toMatchObject({ catalogTitle: words.catalog, title: words.malware });
    }
    // the audit trail keeps the stored words, whoever saved
    const audit = await t.deps.db
      .selectFrom('audit_entry')
      .select('changes')
      .where('record_type', '=', 'risk_treatment')
      .executeTakeFirstOrThrow();
    expect(String(audit.changes)).toContain(en.catalog);
    expect(String(audit.changes)).not.toContain(de.catalog);
  });

  it('names a control’s linked requirements and their catalog in the reader’s language', async () => {
    const created = await send('POST', `${scope}/controls`, manager, 'de', { title: 'Virenschutz', requirementIds: [malwareId] });
    expect(created.requirements[0]).toMatchObject({ catalogTitle: de.catalog, title: de.malware });
    const updated = await send('PATCH', `${scope}/controls/${created.id}`, manager, 'de', {
      version: created.version,
      status: 'in_progress',
    });
    expect(updated.requirements[0]).toMatchObject({ catalogTitle: de.catalog, title: de.malware });
    for (const [language, words] of [
      ['de', de],
      ['en', en],
    ] as const) {
      const read = await send('GET', `${scope}/controls/${created.id}`, manager, language);
      expect(read.requirements[0]).toMatchObject({ catalogTitle: words.catalog, title: words.malware });
    }
  });

  it('names the SoA’s catalog in the reader’s language, in its responses and its spreadsheet', async () => {
    const soa = await send('POST', `${scope}/soa`, manager, 'de', { catalogKey: ANNEX_A_KEY });
    expect(soa.catalog.title).toBe(de.catalog);
    for (const [language, words] of [
      ['de', de],
      ['en', en],
    ] as const) {
      expect((await send('GET', `${scope}/soa/${soa.id}`, manager, language)).catalog.title).toBe(words.catalog);
      const list = await send('GET', `${scope}/soa`, manager, language);
      expect(list.items.find((s: { id: string }) => s.id === soa.id).catalog.title).toBe(words.catalog);
      const xlsx = await sendIn('GET', `${scope}/soa/${soa.id}/export.xlsx`, manager, language);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(xlsx.rawPayload as never);
      const sheet = wb.worksheets[0]!;
      expect(String(sheet.getCell('B3').value)).toContain(words.catalog);
    }
  });
});
