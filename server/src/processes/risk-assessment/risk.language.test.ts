import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildScope,
  buildUser,
  createTestContext,
  dialects,
  json,
  type TestContext,
  type TestUser,
  requester,
} from '../../test/harness.ts';

/**
 * A risk names its threat in the reader's language: a built-in BSI elementary threat by its official German title for
 * German readers (`Accept-Language: de` or an account that says German), in English otherwise; a scope's own threat as
 * written. The stored threat keeps its English title; the list, the detail, the CSV export and the threats and warnings
 * word it when they present it.
 */
describe.each(dialects)('a risk’s threat in the reader’s language on %s', (dialect) => {
  let t: TestContext;
  let scopeId: string;
  let manager: TestUser;
  /** a manager whose account says German: their requests carry no Accept-Language */
  let german: TestUser;
  let socialRisk: string;
  let ownRisk: string;

  const send = requester(() => t).sendIn;
  type Risk = { id: string; threat: { code: string; title: string } | null };
  const threatOf = (items: Risk[], id: string) => items.find((r) => r.id === id)!.threat;

  beforeAll(async () => {
    t = await createTestContext(dialect);
    const built = await buildScope(t.deps);
    manager = built.manager;
    scopeId = built.scope.id;
    german = await buildUser(t.deps, { name: 'Deutschsprachige Managerin', memberships: [[scopeId, 'manager']] });
    await send('PATCH', '/api/me', german, undefined, { language: 'de' });

    const threats = json<{ items: { id: string; code: string }[] }>(await send('GET', '/api/threats', manager, 'en')).items;
    const social = threats.find((x) => x.code === 'G 0.42')!;
    const own = json<{ id: string }>(
      await send('POST', `/api/scopes/${scopeId}/threats`, manager, 'de', { title: 'Drone overflight', category: 'physical' }),
    );
    socialRisk = json<Risk>(
      await send('POST', `/api/scopes/${scopeId}/risks`, manager, 'en', { title: 'Phishing calls', threatId: social.id }),
    ).id;
    ownRisk = json<Risk>(await send('POST', `/api/scopes/${scopeId}/risks`, manager, 'en', { title: 'Drones', threatId: own.id })).id;
    await send('POST', `/api/scopes/${scopeId}/threat-warnings`, manager, 'en', {
      title: 'Vishing wave',
      source: 'CERT-Bund',
      receivedOn: '2026-02-27',
      severity: 'high',
      threatId: social.id,
    });
  });
  afterAll(async () => t?.close());

  it('lists and shows a built-in threat by its German title for German readers, by its English one for English readers', async () => {
    const list = (user: TestUser, language?: string) =>
      send('GET', `/api/scopes/${scopeId}/risks`, user, language).then((r) => json<{ items: Risk[] }>(r).items);
    for (const items of [await list(manager, 'de-DE,de;q=0.9'), await list(german)]) {
      expect(threatOf(items, socialRisk)).toMatchObject({ code: 'G 0.42', title: 'Social Engineering' });
      expect(threatOf(items, ownRisk)).toMatchObject({ title: 'Drone overflight' });
    }
    expect(threatOf(await list(manager, 'en'), socialRisk)).toMatchObject({ code: 'G 0.42', title: 'Social engineering' });

    const detail = (user: TestUser, language?: string) =>
      send('GET', `/api/scopes/${scopeId}/risks/${socialRisk}`, user, language).then((r) => json<Risk>(r).threat);
    expect(await detail(german)).toMatchObject({ title: 'Social Engineering' });
    expect(await detail(manager, 'en')).toMatchObject({ title: 'Social engineering' });
    const own = await send('GET', `/api/scopes/${scopeId}/risks/${ownRisk}`, german);
    expect(json<Risk>(own).threat).toMatchObject({ title: 'Drone overflight' });

    // an update answers in the reader's language too
    const current = json<Risk & { version: number }>(await send('GET', `/api/scopes/${scopeId}/risks/${socialRisk}`, german));
    const updated = await send('PATCH', `/api/scopes/${scopeId}/risks/${socialRisk}`, german, undefined, {
      version: current.version,
      vulnerability: 'Keine Schulung',
    });
    expect(json<Risk>(updated).threat).toMatchObject({ title: 'Social Engineering' });

    // the stored threat keeps its English title
    const stored = await t.deps.db.selectFrom('threat').select('title').where('code', '=', 'G 0.42').executeTakeFirstOrThrow();
    expect(stored.title).toBe('Social engineering');
  });

  it('names the threat in German in the CSV export for German readers', async () => {
    const de = (await send('GET', `/api/scopes/${scopeId}/risks.csv`, german)).body;
    expect(de).toContain('G 0.42 Social Engineering');
    expect(de).toContain('Drone overflight');
    const en = (await send('GET', `/api/scopes/${scopeId}/risks.csv`, manager, 'en')).body;
    expect(en).toContain('G 0.42 Social engineering');
  });

  it('names the threat of a warning in the reader’s language', async () => {
    const warnings = (user: TestUser, language?: string) =>
      send('GET', `/api/scopes/${scopeId}/threat-warnings`, user, language).then(
        (r) => json<{ items: { threat: { title: string } | null }[] }>(r).items[0]!.threat,
      );
    expect(await warnings(german)).toMatchObject({ title: 'Social Engineering' });
    expect(await warnings(manager, 'de')).toMatchObject({ title: 'Social Engineering' });
    expect(await warnings(manager, 'en')).toMatchObject({ title: 'Social engineering' });
  });
});
