import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openJourney, screenshot } from './browser.ts';
import { type JourneyText, journeyLanguages, journeyText } from './journey-text.ts';

/**
 * The web client's frame: pages load when opened (a loader meanwhile, a clear message with a reload button when a
 * page's chunk cannot be fetched, e.g. after an update), only the language shown is loaded, and a list whose count
 * stopped at its cap says "10,000+" ("10.000+" in German) and offers no last page computed from the cap. It runs once
 * in English and once in German (the browser's language), and then switches the account to the other language.
 */
describe.each(journeyLanguages)('lists and pages journey in a browser (%s)', (lang) => {
  /** the language the account switches to at the end */
  const other = journeyLanguages.find((l) => l !== lang)!;
  let journey: Awaited<ReturnType<typeof openJourney>>;
  let otherText: JourneyText;

  beforeAll(async () => {
    journey = await openJourney([], { lang });
    otherText = await journeyText(other);
  });
  afterAll(() => journey?.close());

  it('loads only the language shown, and each page when it is opened', async () => {
    const { server, scopeId, errors } = journey;
    const desk = await journey.loggedIn('isms@example.com', 'manager password 1', { width: 1280, height: 900 });
    const scripts: string[] = [];
    desk.on('request', (r) => {
      if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname);
    });
    await desk.goto(`${server.url}/s/${scopeId}/assets`);
    await desk.getByTestId('load-demo').click();
    await desk.getByRole('table').first().waitFor();
    expect(await desk.locator('html').getAttribute('lang')).toBe(lang);
    expect(scripts.some((s) => s.includes(`/i18n-${lang}-`))).toBe(true);
    expect(scripts.some((s) => s.includes(`/i18n-${other}-`))).toBe(false);
    expect(scripts.some((s) => /\/RiskListPage-/.test(s))).toBe(false);
    await desk.getByTestId('nav-risks').click();
    await desk.getByTestId('risk-count').waitFor();
    expect(scripts.some((s) => /\/RiskListPage-/.test(s))).toBe(true);
    expect(errors).toEqual([]);
  });

  it('shows a loader while a page loads, says so when it cannot be loaded, and a reload brings it back', async () => {
    const { server, scopeId } = journey;
    const desk = await journey.loggedIn('isms@example.com', 'manager password 1', { width: 1280, height: 900 });
    await desk.goto(`${server.url}/s/${scopeId}/cockpit`);
    await desk.getByTestId('navbar').waitFor();
    // a page whose chunk is slow: the navigation stays and a loader takes the page's place until it comes
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await desk.route(/\/assets\/IncidentListPage-[\w-]+\.js$/, async (route) => {
      await held;
      await route.continue();
    });
    await desk.getByTestId('nav-incidents').click();
    await desk.waitForURL(/\/incidents$/);
    await desk.locator('[data-testid="loading"]:visible').waitFor();
    // the previous page is gone from view, the navigation stays and marks where it goes
    expect(await desk.locator('[data-testid="page-header"]:visible').count()).toBe(0);
    expect(await desk.getByTestId('navbar').isVisible()).toBe(true);
    expect(await desk.getByTestId('nav-incidents').getAttribute('data-active')).toBe('true');
    await screenshot(desk, `${lang}-pages-00-loading`);
    release();
    await desk.getByTestId('page-header').waitFor();
    await expect.poll(() => desk.locator('[data-testid="loading"]:visible').count()).toBe(0);

    // as after an update: the chunk this tab knows is gone
    await desk.route(/\/assets\/ChangeListPage-[\w-]+\.js$/, (route) => route.fulfill({ status: 404, body: 'Not found' }));
    await desk.getByTestId('nav-changes').click();
    await desk.getByTestId('page-not-loaded').waitFor();
    expect(await desk.getByTestId('page-not-loaded').textContent()).toContain(journey.text.t('nav:page.notLoaded'));
    // the navigation stays
    expect(await desk.getByTestId('navbar').isVisible()).toBe(true);
    await screenshot(desk, `${lang}-pages-01-not-loaded`);
    await desk.unroute(/\/assets\/ChangeListPage-[\w-]+\.js$/);
    await desk.getByTestId('reload').click();
    await desk.getByTestId('page-header').waitFor();
    expect(await desk.getByTestId('page-not-loaded').count()).toBe(0);
  });

  it('shows a capped count as "10,000+", in the language shown and then in the other, with no jump to a last page', async () => {
    const { server, scopeId, errors, text } = journey;
    /** the count above the list and the range under it, as the page words them in a language */
    const count = (words: JourneyText) => words.t('countCapped.risk', { total: 10_000 });
    const range = (words: JourneyText, from: number, to: number) => words.t('list.rangeCapped', { from, to, total: 10_000 });
    const desk = await journey.loggedIn('isms@example.com', 'manager password 1', { width: 1280, height: 900 });
    // the server's answer past its count cap (risk.repository countCap): `total` is the cap, `totalCapped` says so;
    // the page is filled to its size from the demo's risks (the count cap itself is tested on both databases)
    await desk.route(/\/api\/scopes\/[\w-]+\/risks\?/, async (route) => {
      // the rows of the first page, whichever page was asked for
      const asked = new URL(route.request().url());
      const first = new URL(asked);
      first.searchParams.delete('page');
      const response = await route.fetch({ url: first.toString() });
      const body = (await response.json()) as { items: { id: string; reference: string }[]; pageSize: number; page: number };
      const page = Number(asked.searchParams.get('page') ?? 1);
      const items = Array.from({ length: body.pageSize }, (_, i) => {
        const item = body.items[i % body.items.length] as { id: string; reference: string };
        return {
          ...item,
          id: `${item.id.slice(0, -4)}${String(i).padStart(4, '0')}`,
          reference: `R-${9000 + (page - 1) * body.pageSize + i}`,
        };
      });
      await route.fulfill({ response, json: { ...body, page, items, total: 10_000, totalCapped: true } });
    });
    await desk.goto(`${server.url}/s/${scopeId}/risks`);
    await desk.getByTestId('risk-count').getByText(count(text)).waitFor();
    expect(await desk.getByTestId('list-range').textContent()).toBe(range(text, 1, 25));
    const pager = desk.getByTestId('capped-pager');
    await pager.waitFor();
    // pages up to the next one, never page 400 (10,000 / 25)
    expect(await pager.getByRole('button', { name: '2', exact: true }).count()).toBe(1);
    expect(await pager.getByRole('button', { name: '400', exact: true }).count()).toBe(0);
    await screenshot(desk, `${lang}-pages-02-capped-count`);
    await pager.getByRole('button', { name: '2', exact: true }).click();
    await desk.waitForURL(/page=2/);
    await expect.poll(() => desk.getByTestId('list-range').textContent()).toBe(range(text, 26, 50));
    expect(await pager.getByRole('button', { name: '3', exact: true }).count()).toBe(1);

    // the other language, as set on the account (PATCH /api/me, what the account page saves)
    const saved = await desk.evaluate(async (language) => {
      const session = (await (await fetch('/api/auth/session')).json()) as { csrfToken: string };
      const res = await fetch('/api/me', {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
        body: JSON.stringify({ language }),
      });
      return res.status;
    }, other);
    expect(saved).toBe(200);
    // the other language's catalogs' chunk fails once, as after an update: the page reloads once and comes in it
    let failed = 0;
    await desk.route(
      new RegExp(`/assets/i18n-${other}-[\\w-]+\\.js$`),
      (route) => {
        failed += 1;
        return route.fulfill({ status: 404, body: 'Not found' });
      },
      { times: 1 },
    );
    await desk.goto(`${server.url}/s/${scopeId}/risks`);
    await desk.getByTestId('risk-count').getByText(count(otherText)).waitFor();
    expect(await desk.getByTestId('list-range').textContent()).toBe(range(otherText, 1, 25));
    expect(await desk.locator('html').getAttribute('lang')).toBe(other);
    await screenshot(desk, `${lang}-pages-03-capped-count-in-${other}`);
    expect(failed).toBe(1);
    expect(errors).toEqual([]);
  });
});
