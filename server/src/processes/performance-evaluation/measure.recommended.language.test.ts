import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildScope, buildUser, createTestContext, dialects, type TestContext, requester } from '../../test/harness.ts';
import { render } from '../../i18n/i18n.ts';
import { recommendedMeasuresIn } from './measure.live.ts';
import { measureNameParam } from './measure.texts.ts';
import { liveKeys } from './measure.schemas.ts';

describe('a breach task’s title', () => {
  it('names a measure whose name is still the built-in English one in each reader’s language, another as stored', () => {
    const title = (liveKey: string | null, name: string, lang: string) =>
      render(lang, {
        key: 'measures:task.analyseBreach',
        params: { measureRef: 'MSR-0001', name: measureNameParam(liveKey, name), value: '10 %' },
      });
    expect(title('evidence-freshness', 'Evidence freshness', 'de')).toContain('Aktualität der Nachweise');
    expect(title('evidence-freshness', 'Evidence freshness', 'en')).toContain('Evidence freshness');
    expect(title('evidence-freshness', 'Nachweise aktuell', 'en')).toContain('Nachweise aktuell');
    expect(title(null, 'Evidence freshness', 'de')).toContain('Evidence freshness');
  });
});

describe('the recommended measures’ words', () => {
  it('are worded in English and in German for every live measure', () => {
    const en = recommendedMeasuresIn('en');
    const de = recommendedMeasuresIn('de');
    expect(en.map((m) => m.liveKey).sort()).toEqual([...liveKeys].sort());
    for (const [i, m] of en.entries()) {
      for (const field of ['name', 'informationNeed', 'object', 'attribute', 'formula'] as const) {
        expect(m[field], `${m.liveKey} ${field}`).not.toBe('');
        expect(de[i]![field], `${m.liveKey} ${field}`).not.toBe(m[field]);
      }
    }
    expect(en[0]).toMatchObject({ liveKey: 'evidence-freshness', name: 'Evidence freshness', target: 90, sourceKind: 'live' });
    expect(de[0]).toMatchObject({ liveKey: 'evidence-freshness', name: 'Aktualität der Nachweise', target: 90, sourceKind: 'live' });
    // a field the catalog leaves out stays empty in every language
    expect(en.find((m) => m.liveKey === 'training-completion')!.baseMeasures).toBe('');
    expect(de.find((m) => m.liveKey === 'training-completion')!.baseMeasures).toBe('');
  });
});

/**
 * The recommended measures are named in the reader's language in the catalogue; once added they are the scope's own
 * records, worded once in the language of the user who added them (their account's setting, else `Accept-Language`).
 * A measure someone defined keeps its own words for every reader.
 */
describe.each(dialects)('the recommended measures in the reader’s language on %s', (dialect) => {
  let t: TestContext;

  const send = requester(() => t).readIn;
  type Measure = { liveKey: string | null; name: string };
  const nameOf = (items: Measure[], key: string) => items.find((m) => m.liveKey === key)?.name;

  beforeAll(async () => {
    t = await createTestContext(dialect);
  });
  afterAll(async () => t?.close());

  it('names the catalogue in the reader’s language', async () => {
    const { scope, manager } = await buildScope(t.deps);
    const url = `/api/scopes/${scope.id}/measures/recommended`;
    const de = (await send('GET', url, manager, 'de-DE,de;q=0.9')) as { key: string; name: string }[];
    expect(de.find((m) => m.key === 'evidence-freshness')!.name).toBe('Aktualität der Nachweise');
    const en = (await send('GET', url, manager, 'en')) as { key: string; name: string }[];
    expect(en.find((m) => m.key === 'evidence-freshness')!.name).toBe('Evidence freshness');
  });

  it('adds them in German for a German user (by account or by header), in English for an English one', async () => {
    const added = async (how: 'account' | 'header' | 'english') => {
      const built = await buildScope(t.deps);
      let user = built.manager;
      if (how === 'account') {
        user = await buildUser(t.deps, { memberships: [[built.scope.id, 'manager']] });
        const set = await t.app.inject({ method: 'PATCH', url: '/api/me', headers: user.headers, payload: { language: 'de' } });
        expect(set.statusCode, set.body).toBe(200);
      }
      const language = how === 'header' ? 'de' : how === 'english' ? 'en' : undefined;
      const base = `/api/scopes/${built.scope.id}/measures`;
      expect(await send('POST', `${base}/recommended`, user, language, {})).toEqual({ created: liveKeys.length });
      // a measure someone defined keeps its words for every reader
      await send('POST', base, user, language, {
        name: 'Phishing click rate',
        informationNeed: 'Do people recognise phishing?',
        formula: 'clicks / mails × 100',
        unit: '%',
        direction: 'lower',
        target: 8,
        breachAt: 12,
        collectionFrequency: 'monthly',
        analysisFrequency: 'quarterly',
        sourceKind: 'manual',
        links: [],
      });
      const asGerman = (await send('GET', `${base}?pageSize=50`, built.manager, 'de')).items as Measure[];
      const asEnglish = (await send('GET', `${base}?pageSize=50`, built.manager, 'en')).items as Measure[];
      expect(asGerman.find((m) => m.liveKey === null)!.name).toBe('Phishing click rate');
      expect(asEnglish.find((m) => m.liveKey === null)!.name).toBe('Phishing click rate');
      const stored = await t.deps.db
        .selectFrom('measure')
        .select(['name', 'information_need'])
        .where('scope_id', '=', built.scope.id)
        .where('live_key', '=', 'notifications-in-time')
        .executeTakeFirstOrThrow();
      return { name: nameOf(asGerman, 'evidence-freshness'), inEnglish: nameOf(asEnglish, 'evidence-freshness'), stored };
    };
    for (const how of ['account', 'header'] as const) {
      const { name, inEnglish, stored } = await added(how);
      expect(name).toBe('Aktualität der Nachweise');
      // the added measures are the scope's own words: the same for every reader
      expect(inEnglish).toBe('Aktualität der Nachweise');
      expect(stored).toEqual({
        name: 'Fristgerechte Meldungen',
        information_need: 'Werden gesetzlich vorgeschriebene Meldungen (DSGVO, NIS2) innerhalb ihrer Fristen abgegeben?',
      });
    }
    const english = await added('english');
    expect(english.inEnglish).toBe('Evidence freshness');
    expect(english.stored.name).toBe('Notifications made in time');
    // words still the built-in English ones (measures added before the catalogue was worded) read in the reader's language
    expect(english.name).toBe('Aktualität der Nachweise');
  });

  it('shows a measure’s built-in English words in the reader’s language, keeps them on an unchanged save, and stores nothing new', async () => {
    const { scope, manager } = await buildScope(t.deps);
    const base = `/api/scopes/${scope.id}/measures`;
    await send('POST', `${base}/recommended`, manager, 'en', { keys: ['evidence-freshness', 'training-completion'] });
    const all = (await send('GET', `${base}?pageSize=50`, manager, 'en')).items as (Measure & { id: string })[];
    const evidence = all.find((m) => m.liveKey === 'evidence-freshness')!;
    const training = all.find((m) => m.liveKey === 'training-completion')!;
    const de = recommendedMeasuresIn('de').find((m) => m.liveKey === 'evidence-freshness')!;
    const en = recommendedMeasuresIn('en').find((m) => m.liveKey === 'evidence-freshness')!;
    // someone renamed one: their words for every reader
    const renamed = await send('GET', `${base}/${training.id}`, manager, 'en');
    await send('PATCH', `${base}/${training.id}`, manager, 'en', { version: renamed.version, name: 'Training completion rate' });

    const detail = await send('GET', `${base}/${evidence.id}`, manager, 'de');
    expect(detail).toMatchObject({
      name: de.name,
      informationNeed: de.informationNeed,
      object: de.object,
      attribute: de.attribute,
      derivedMeasure: de.derivedMeasure,
      formula: de.formula,
    });
    expect(detail.versions[0].formula).toBe(de.formula);
    const german = (await send('GET', `${base}?pageSize=50`, manager, 'de')).items as Measure[];
    expect(nameOf(german, 'evidence-freshness')).toBe(de.name);
    expect(nameOf(german, 'training-completion')).toBe('Training completion rate');
    const csv = await requester(() => t).sendIn('GET', `/api/scopes/${scope.id}/measures.csv`, manager, 'de');
    expect(csv.body).toContain(de.name);
    expect(csv.body).not.toContain(en.name);

    // the German form sent back unchanged changes nothing: the stored English stays, no new definition version
    const saved = await send('PATCH', `${base}/${evidence.id}`, manager, 'de', {
      version: detail.version,
      name: detail.name,
      informationNeed: detail.informationNeed,
      formula: detail.formula,
      target: 95,
    });
    expect(saved).toMatchObject({ name: de.name, formula: de.formula, target: 95, definitionVersion: 2 });
    const stored = await t.deps.db
      .selectFrom('measure')
      .select(['name', 'information_need', 'formula'])
      .where('id', '=', evidence.id)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ name: en.name, information_need: en.informationNeed, formula: en.formula });
    const trail = await t.deps.db.selectFrom('audit_entry').select('changes').where('record_id', '=', evidence.id).execute();
    expect(trail.map((e) => String(e.changes)).join('\n')).not.toContain(de.name);

    // a stale save answers with the measure as it is now, in the reader's words
    const stale = await requester(() => t).call(
      'PATCH',
      `${base}/${evidence.id}`,
      { ...manager, headers: { ...manager.headers, 'accept-language': 'de' } } as typeof manager,
      {
        version: detail.version,
        target: 80,
      },
    );
    expect(stale.statusCode, stale.body).toBe(409);
    expect(JSON.parse(stale.body).error.details.current).toMatchObject({ name: de.name, formula: de.formula });
  });
});
