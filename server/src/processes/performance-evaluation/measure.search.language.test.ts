import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryCacheStats } from '../../db/query-cache.ts';
import { buildScope, createTestContext, dialects, requester, type TestContext, type TestUser } from '../../test/harness.ts';

/**
 * A recommended measure whose stored name is still the built-in English one is shown in the reader's language
 * (`measure.texts.ts`); the list searches and sorts by those shown words, in its one paged query on the compiled-query
 * cache: "Aktualität" finds "Evidence freshness" for a German reader, "Evidence" does not; a name someone typed is
 * searched as typed for every reader.
 */
describe.each(dialects)('measure list search and sort by the names the reader sees (%s)', (dialect) => {
  let t: TestContext;
  let base: string;
  let manager: TestUser;
  const send = requester(() => t).readIn;
  const names = async (query: string, language: string) =>
    ((await send('GET', `${base}?pageSize=50${query}`, manager, language)) as { items: { name: string }[]; total: number }).items.map(
      (m) => m.name,
    );

  beforeAll(async () => {
    t = await createTestContext(dialect);
    const built = await buildScope(t.deps);
    manager = built.manager;
    base = `/api/scopes/${built.scope.id}/measures`;
    // stored in English: "Evidence freshness", "Training completion", "Policy acknowledgement"
    await send('POST', `${base}/recommended`, manager, 'en', {
      keys: ['evidence-freshness', 'training-completion', 'policy-acknowledgement'],
    });
    const all = (await send('GET', `${base}?pageSize=50`, manager, 'en')).items as { id: string; liveKey: string | null }[];
    // someone renamed one: their words for every reader
    const policy = all.find((m) => m.liveKey === 'policy-acknowledgement')!;
    const current = await send('GET', `${base}/${policy.id}`, manager, 'en');
    await send('PATCH', `${base}/${policy.id}`, manager, 'en', { version: current.version, name: 'Policies read' });
    await send('POST', base, manager, 'en', {
      name: 'Backup success',
      informationNeed: 'Do backups succeed?',
      formula: 'successful / all × 100',
      unit: '%',
      direction: 'higher',
      target: 98,
      breachAt: 90,
      collectionFrequency: 'monthly',
      analysisFrequency: 'quarterly',
      sourceKind: 'manual',
      links: [],
    });
  });
  afterAll(async () => t?.close());

  it('finds a built-in measure by the German name a German reader sees, not by its stored English one', async () => {
    expect(await names('&q=Aktualit%C3%A4t', 'de')).toEqual(['Aktualität der Nachweise']);
    expect(await names('&q=schulungen', 'de')).toEqual(['Abschluss von Schulungen']);
    expect(await names('&q=Evidence', 'de')).toEqual([]);
    // a renamed measure is searched by its own words, not by the built-in German name it no longer shows
    expect(await names('&q=Kenntnisnahme', 'de')).toEqual([]);
    expect(await names('&q=policies', 'de')).toEqual(['Policies read']);
    // the reference and a typed name for every reader
    expect(await names('&q=backup', 'de')).toEqual(['Backup success']);
    // an English reader searches the English words
    expect(await names('&q=Evidence', 'en')).toEqual(['Evidence freshness']);
    expect(await names('&q=Aktualit%C3%A4t', 'en')).toEqual([]);
    const counted = (await send('GET', `${base}?q=Aktualit%C3%A4t`, manager, 'de')) as { total: number };
    expect(counted.total).toBe(1);
  });

  it('sorts by the names the reader sees', async () => {
    expect(await names('', 'de')).toEqual(['Abschluss von Schulungen', 'Aktualität der Nachweise', 'Backup success', 'Policies read']);
    expect(await names('', 'en')).toEqual(['Backup success', 'Evidence freshness', 'Policies read', 'Training completion']);
  });

  it('keeps the German list on the compiled-query cache: another search term compiles nothing new', async () => {
    await names('&q=nachweise', 'de');
    await names('', 'de');
    const compiled = queryCacheStats.compiled;
    expect(await names('&q=abschluss', 'de')).toEqual(['Abschluss von Schulungen']);
    expect(await names('', 'de')).toHaveLength(4);
    expect(queryCacheStats.compiled).toBe(compiled);
  });

  it('exports the measures a German reader searched for', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `${base}.csv?q=Aktualit%C3%A4t`,
      headers: { ...manager.headers, 'accept-language': 'de' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Aktualität der Nachweise');
    expect(res.body).not.toContain('Backup success');
  });
});
