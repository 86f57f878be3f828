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
