import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openJourney, screenshot } from './browser.ts';
import { journeyLanguages } from './journey-text.ts';

/**
 * Audit log journey: the ISMS manager starts the next ISMS cycle and creates a training course with its material
 * document; the audit log names the cycle by its number in the journey's language and links it to the cockpit, and the
 * course's material document by its reference and title, linked to the document. Once in English and once in German.
 */
describe.each(journeyLanguages)('audit log words journey in a browser (%s)', (lang) => {
  let journey: Awaited<ReturnType<typeof openJourney>>;

  beforeAll(async () => {
    journey = await openJourney([], { lang });
  });
  afterAll(() => journey?.close());

  /** a request of the signed-in page (its session and CSRF token), answering the parsed body */
  const send = async (page: Page, method: string, url: string, body: object) =>
    (await page.evaluate(
      async ([m, u, b]) => {
        const session = (await (await fetch('/api/auth/session')).json()) as { csrfToken: string };
        const res = await fetch(u, {
          method: m,
          headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
          body: JSON.stringify(b),
        });
        if (!res.ok) throw new Error(`${u} → ${res.status} ${await res.text()}`);
        return res.json();
      },
      [method, url, body] as const,
    )) as Record<string, any>;

  it('names a cycle by its number and a course’s material by reference and title, both linked', { timeout: 120_000 }, async () => {
    const { server, scopeId, errors, text } = journey;
    const { t } = text;
    const desk = await journey.loggedIn('isms@example.com', 'manager password 1', { width: 1440, height: 1000 });
    const api = `/api/scopes/${scopeId}`;
    const cycle = await send(desk, 'POST', `${api}/cycles`, {});
    const material = await send(desk, 'POST', `${api}/documents`, {
      type: 'policy',
      title: 'Acceptable use',
      classification: 'internal',
      approverIds: [],
      contentMd: '# Use\n',
    });
    await send(desk, 'POST', `${api}/courses`, { title: 'Awareness refresher', materialDocumentId: material.id });

    await desk.goto(`${server.url}/s/${scopeId}/audit`);
    const entries = desk.getByTestId('audit-entry');
    await entries.first().waitFor();
    // the cycle started: "ISMS-Zyklus Nr. 2", linked to the cockpit
    const cycleLink = desk.getByRole('link', { name: t('audit:value.cycleNumber', { number: cycle.number }), exact: true }).first();
    await cycleLink.waitFor();
    expect(await cycleLink.getAttribute('href')).toBe(`/s/${scopeId}/cockpit`);
    expect(await desk.locator('body').textContent()).not.toContain(`cycle ${cycle.number}`);
    // what Praxis wrote by itself (the first cycle at the setup) is by Praxis, not by "system"
    expect(await entries.last().textContent()).toContain(t('audit:entry.byPraxis'));

    // the course's entry: its material document by reference and title, linked to the document
    const course = entries.filter({ hasText: t('audit:recordType.training_course') }).first();
    await course.getByTestId('audit-entry-toggle').click();
    const materialLink = course.getByTestId('audit-record-link');
    await materialLink.waitFor();
    expect(await materialLink.textContent()).toBe(`${material.reference} Acceptable use`);
    expect(await materialLink.getAttribute('href')).toBe(`/s/${scopeId}/policies/${material.id}`);
    await screenshot(desk, `${lang}-audit-words-01-log`);
    expect(errors).toEqual([]);
  });
});
