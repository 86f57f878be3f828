import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addTexts, translate } from '../i18n/i18n.ts';
import { processName } from '../isms/process-texts.ts';
import { buildScope, createTestContext, dialects, json, type TestContext, type TestUser } from '../test/harness.ts';

/**
 * A task page words a process's name and a generated text once per language and keeps them (task.service.ts
 * `wordedOnce`): the page reads as if each row were worded on its own, in each reader's language, and a catalog that
 * changes (addTexts) is read again.
 */
describe.each(dialects)('words of a task page on %s', (dialect) => {
  let t: TestContext;
  let url: string;
  let manager: TestUser;
  beforeAll(async () => {
    t = await createTestContext(dialect);
    const built = await buildScope(t.deps);
    manager = built.manager;
    url = `/api/scopes/${built.scope.id}/tasks`;
    for (const [title, processKey] of [
      ['Check the backups', 'risk-assessment'],
      ['Review the policy', 'internal-audit'],
      ['Check the firewall', 'risk-assessment'],
    ] as const) {
      const res = await t.app.inject({ method: 'POST', url, headers: manager.headers, payload: { title, processKey } });
      expect(res.statusCode, res.body).toBe(201);
    }
  });
  afterAll(() => t.close());

  const page = async (lang: string) =>
    json<{ items: { title: string; processKey: string; processName: string }[] }>(
      await t.app.inject({ method: 'GET', url, headers: { ...manager.headers, 'accept-language': lang } }),
    ).items;

  it("names each task's process in the reader's language, the same on every request", async () => {
    for (const lang of ['de', 'en', 'de']) {
      const items = await page(lang);
      expect(items).toHaveLength(3);
      for (const item of items) expect(item.processName).toBe(processName(lang, item.processKey));
    }
    expect((await page('de')).map((i) => i.processName)).toContain(translate('de', 'processes:name.risk-assessment'));
    expect(processName('de', 'risk-assessment')).not.toBe(processName('en', 'risk-assessment'));
    // typed titles stay as typed
    expect((await page('de')).map((i) => i.title).sort()).toEqual(['Check the backups', 'Check the firewall', 'Review the policy']);
  });

  it('reads a catalog again after it changed', async () => {
    const before = translate('de', 'processes:name.internal-audit');
    await page('de');
    addTexts('de', 'processes', { name: { 'internal-audit': 'Prüfung (geändert)' } });
    try {
      expect((await page('de')).find((i) => i.processKey === 'internal-audit')?.processName).toBe('Prüfung (geändert)');
    } finally {
      addTexts('de', 'processes', { name: { 'internal-audit': before } });
    }
    expect((await page('de')).find((i) => i.processKey === 'internal-audit')?.processName).toBe(before);
  });
});
