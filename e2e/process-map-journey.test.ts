import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openJourney, screenshot } from './browser.ts';
import { journeyLanguages } from './journey-text.ts';

/** the demo organisation takes a while to load on a busy machine */
const demo = { timeout: 120_000 };

/**
 * Process map journey: after the demo organisation is loaded, live hand-offs carry work and planned ones are drawn as
 * planned. The ISMS manager opens an edge, sees the items in transit, finishes one, and it leaves the map. Once in
 * English and once in German: the table, the drawer and its buttons are found by their words in the journey's language.
 */
describe.each(journeyLanguages)('process map journey in a browser (%s)', (lang) => {
  let journey: Awaited<ReturnType<typeof openJourney>>;

  beforeAll(async () => {
    journey = await openJourney([], { lang });
  });
  afterAll(() => journey?.close());

  it('lists the items in transit on a hand-off, and a finished one leaves the map', { timeout: 240_000 }, async () => {
    const { server, scopeId, errors, text } = journey;
    const { t } = text;
    const serverText = text.server;
    const name = (key: string) => serverText(`processes:name.${key}`);
    const desk = await journey.loggedIn('isms@example.com', 'manager password 1', { width: 1440, height: 1000 });
    expect(await desk.locator('html').getAttribute('lang')).toBe(lang);
    await desk.goto(`${server.url}/s/${scopeId}/assets`);
    await desk.getByTestId('load-demo').click();
    await desk.getByRole('table').first().waitFor(demo);

    await desk.getByTestId('nav-processes').click();
    await desk.getByTestId('process-map').waitFor();
    await desk
      .getByTestId('handoff-table')
      .getByRole('heading', { name: t('handoffs:tableTitle') })
      .waitFor();
    await screenshot(desk, `${lang}-process-map-01-demo`);

    // the demo's risks above the acceptance criteria wait in risk treatment
    const row = desk.locator('[data-testid="handoff-row"][data-edge="risk-assessment>risk-treatment"]');
    // named in the journey's language: the processes and what is handed over (the server's catalog)
    await row.getByText(`${name('risk-assessment')} → ${name('risk-treatment')}`, { exact: true }).waitFor();
    await row.getByText(serverText('processes:output.risk-assessment.prioritised-risks'), { exact: true }).waitFor();
    const waiting = Number(await row.getByTestId('handoff-waiting').textContent());
    expect(waiting).toBeGreaterThan(0);

    // clicking the edge in the map opens the same list as the table row
    // (dispatched on the edge itself: a click at its middle may land on a crossing edge)
    await desk.locator('.react-flow__edge.edge-risk-assessment--risk-treatment').dispatchEvent('click');
    const drawer = desk.getByTestId('handoff-drawer');
    await drawer.getByTestId('handoff-item').first().waitFor();
    await drawer.getByText(t('handoffs:inTransit'), { exact: true }).waitFor();
    const items = await drawer.getByTestId('handoff-item').count();
    expect(items).toBe(Math.min(waiting, 20));
    await screenshot(desk, `${lang}-process-map-02-in-transit`);

    const finish = drawer
      .getByTestId('handoff-item')
      .first()
      .getByRole('button', { name: t('handoffs:finish') });
    await finish.click();
    await expect.poll(() => drawer.getByTestId('handoff-item').count(), { timeout: 15_000 }).toBe(Math.min(waiting - 1, 20));
    await desk.keyboard.press('Escape');
    await expect.poll(() => row.getByTestId('handoff-waiting').textContent(), { timeout: 15_000 }).toBe(String(waiting - 1));
    await screenshot(desk, `${lang}-process-map-03-finished`);

    // a process opened from the table: its description, inputs and outputs in the journey's language
    await desk
      .getByTestId('process-table')
      .getByRole('button', { name: name('risk-treatment'), exact: true })
      .click();
    const process = desk.getByTestId('process-drawer');
    await process.getByText(serverText('processes:description.risk-treatment'), { exact: true }).waitFor();
    await process.getByText(serverText('processes:output.risk-assessment.prioritised-risks'), { exact: true }).waitFor();
    await process.getByText(serverText('processes:output.risk-treatment.change-requests'), { exact: true }).waitFor();
    await screenshot(desk, `${lang}-process-map-04-process`);
    expect(errors).toEqual([]);
  });
});
