import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildScope, createTestContext, dialects, json, type TestContext } from '../test/harness.ts';
import { openWorkTx } from '../work/work.ts';

/** Through the API, a reader whose browser asks for German (Accept-Language: de) gets errors and task titles in German. */
describe.each(dialects)('texts in the reader language over HTTP (%s)', (dialect) => {
  let t: TestContext;
  let scopeId: string;
  let headers: { authorization: string };

  beforeAll(async () => {
    t = await createTestContext(dialect);
    const { scope, manager } = await buildScope(t.deps);
    scopeId = scope.id;
    headers = manager.headers;
    await t.deps.db.transaction().execute((tx) =>
      openWorkTx(tx, t.deps, manager.actor, {
        scopeId,
        processKey: 'policy-management',
        purpose: 'review',
        title: { key: 'tasks:title.reviewDocument', params: { documentRef: 'POL-0001', title: 'Zugriffsrichtlinie', dueOn: '2026-04-01' } },
        description: '',
        assigneeId: manager.id,
        dueOn: '2026-04-01',
        origin: { processKey: 'policy-management', recordType: 'document', recordId: scopeId, recordRef: 'POL-0001' },
      }),
    );
  });
  afterAll(() => t.close());

  const titles = async (url: string, language?: string) =>
    json<{ items: { title: string }[] }>(
      await t.app.inject({ method: 'GET', url, headers: { ...headers, ...(language && { 'accept-language': language }) } }),
    ).items.map((i) => i.title);

  it('titles a generated task in German, with the date in German words', async () => {
    expect(await titles(`/api/scopes/${scopeId}/tasks`, 'de-DE,de;q=0.9,en;q=0.5')).toEqual([
      'POL-0001 Zugriffsrichtlinie bis 01.04.2026 überprüfen',
    ]);
    expect(await titles('/api/me/tasks', 'de')).toEqual(['POL-0001 Zugriffsrichtlinie bis 01.04.2026 überprüfen']);
    expect(await titles(`/api/scopes/${scopeId}/tasks`)).toEqual(['Review POL-0001 Zugriffsrichtlinie by Apr 1, 2026']);
  });

  it('answers an error and a validation message in German', async () => {
    const missing = await t.app.inject({
      method: 'GET',
      url: `/api/scopes/${scopeId}/risks/00000000-0000-4000-8000-000000000000`,
      headers: { ...headers, 'accept-language': 'de' },
    });
    expect(missing.statusCode).toBe(404);
    expect(json(missing).error.message).toBe('Risiko nicht gefunden');

    const invalid = await t.app.inject({
      method: 'POST',
      url: `/api/scopes/${scopeId}/tasks`,
      headers: { ...headers, 'accept-language': 'de' },
      payload: { title: 'x'.repeat(301), processKey: 'policy-management' },
    });
    expect(invalid.statusCode).toBe(400);
    expect(json(invalid).error.message).toBe('Titel darf höchstens 300 Zeichen haben');
  });
});
