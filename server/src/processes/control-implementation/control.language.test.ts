import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANNEX_A_KEY } from '../../catalogs/iso27001-annex-a.ts';
import { buildScope, createTestContext, dialects, json, requester, type TestContext, type TestUser } from '../../test/harness.ts';

/**
 * A control's linked Annex A requirements in the reader's language when it is written: the control as saved is worded in
 * memory (the same statements as for an English reader), and a 409's `details.current` names them in the reader's
 * language too; the stored titles and the audit trail stay English.
 */
describe.each(dialects)('a control written by a German reader on %s', (dialect) => {
  let t: TestContext;
  const { readIn, call } = requester(() => t);
  const de = { catalog: 'ISO/IEC 27001:2022 Anhang A', malware: 'Schutz gegen Schadsoftware' };
  const en = { catalog: 'ISO/IEC 27001:2022 Annex A', malware: 'Protection against malware' };
  let scope: string;
  let manager: TestUser;
  let malwareId: string;

  beforeAll(async () => {
    t = await createTestContext(dialect);
    const built = await buildScope(t.deps);
    scope = `/api/scopes/${built.scope.id}`;
    manager = built.manager;
    const annexA = (await readIn('GET', `${scope}/catalogs`, manager, 'en')).find((c: { key: string }) => c.key === ANNEX_A_KEY);
    const requirements = (await readIn('GET', `${scope}/catalogs/${annexA.id}/requirements?q=A.8.7`, manager, 'en')).items;
    malwareId = requirements.find((r: { identifier: string }) => r.identifier === 'A.8.7').id;
  });
  afterAll(async () => t?.close());

  /** The statements a request runs (the actor's resolution apart) and its answer. */
  const counted = async (method: 'POST' | 'PATCH', url: string, language: string, payload: unknown) => {
    const counter = t.db.database.queryCounter;
    const before = counter.count;
    const body = await readIn(method, url, manager, language, payload);
    return { body, statements: counter.count - before };
  };

  it('creates and updates a control for a German reader in as many statements as for an English one', async () => {
    const statements: Record<string, { create: number; update: number }> = {};
    for (const [language, words] of [
      ['en', en],
      ['de', de],
    ] as const) {
      const created = await counted('POST', `${scope}/controls`, language, {
        title: `Virenschutz ${language}`,
        requirementIds: [malwareId],
      });
      expect(created.body.requirements[0]).toMatchObject({ identifier: 'A.8.7', catalogTitle: words.catalog, title: words.malware });
      const updated = await counted('PATCH', `${scope}/controls/${created.body.id}`, language, {
        version: created.body.version,
        status: 'in_progress',
      });
      expect(updated.body.requirements[0]).toMatchObject({ catalogTitle: words.catalog, title: words.malware });
      statements[language] = { create: created.statements, update: updated.statements };
    }
    expect(statements.de).toEqual(statements.en);
    // the trail keeps the stored words, whoever wrote
    const changes = await t.deps.db.selectFrom('audit_entry').select('changes').where('record_type', '=', 'control').execute();
    expect(changes.map((c) => String(c.changes)).join('\n')).not.toContain(de.catalog);
  });

  it('answers a stale change or delete with the control as it is now, in the reader’s language', async () => {
    const created = await readIn('POST', `${scope}/controls`, manager, 'en', { title: 'Schadsoftware', requirementIds: [malwareId] });
    await readIn('PATCH', `${scope}/controls/${created.id}`, manager, 'en', { version: created.version, status: 'in_progress' });
    const german = { ...manager, headers: { ...manager.headers, 'accept-language': 'de' } };
    const english = { ...manager, headers: { ...manager.headers, 'accept-language': 'en' } };
    for (const [user, words] of [
      [german, de],
      [english, en],
    ] as const) {
      const stale = await call('PATCH', `${scope}/controls/${created.id}`, user, { version: created.version, status: 'implemented' });
      expect(stale.statusCode, stale.body).toBe(409);
      expect(json(stale).error.details.current.requirements[0]).toMatchObject({ catalogTitle: words.catalog, title: words.malware });
      const staleDelete = await call('DELETE', `${scope}/controls/${created.id}?version=${created.version}`, user);
      expect(staleDelete.statusCode, staleDelete.body).toBe(409);
      expect(json(staleDelete).error.details.current.requirements[0]).toMatchObject({ title: words.malware });
    }
  });
});
