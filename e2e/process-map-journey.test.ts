import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openJourney, screenshot } from './browser.ts';

/**
 * Process map journey: after the demo organisation is loaded, live hand-offs carry work and planned ones are drawn as
 * planned. The ISMS manager opens an edge, sees the items in transit, finishes one, and it leaves the map.
 */
describe('process map journey in a browser', () => {
  let journey: Awaited<ReturnType<typeof openJourney>>;

  beforeAll(async () => {
    journey = await openJourney([]);
  });
  afterAll(() => journey?.close());

  it('lists the items in transit on a hand-off, and a finished one leaves the map', async () => {
    const { server, scopeId, errors } = journey;
    const desk = await journey.loggedIn('isms@example.com', 'manager password 1', { width: 1440, height: 1000 });
    await desk.goto(`${server.url}/s/${scopeId}/assets`);
    await desk.getByTestId('load-demo').click();
    await desk.getByRole('table').first().waitFor();

    await desk.getByTestId('nav-processes').click();
    await desk.getByTestId('process-map').waitFor();
    await desk.getByTestId('handoff-table').waitFor();
    await screenshot(desk, 'process-map-01-demo');

    // the demo's risks above the acceptance criteria wait in risk treatment
    const row = desk.locator('[data-testid="handoff-row"][data-edge="risk-assessment>risk-treatment"]');
    const waiting = Number(await row.getByTestId('handoff-waiting').textContent());
    expect(waiting).toBeGreaterThan(0);

    // clicking the edge in the map opens the same list as the table row
    // (dispatched on the edge itself: a click at its middle may land on a crossing edge)
    await desk.locator('.react-flow__edge.edge-risk-assessment--risk-treatment').dispatchEvent('click');
    await desk.getByTestId('handoff-drawer').getByTestId('handoff-item').first().waitFor();
    const items = await desk.getByTestId('handoff-item').count();
    expect(items).toBe(Math.min(waiting, 20));
    await screenshot(desk, 'process-map-02-in-transit');

    await desk.getByTestId('handoff-finish').first().click();
    await expect.poll(() => desk.getByTestId('handoff-item').count(), { timeout: 15_000 }).toBe(Math.min(waiting - 1, 20));
    await desk.keyboard.press('Escape');
    await expect.poll(() => row.getByTestId('handoff-waiting').textContent(), { timeout: 15_000 }).toBe(String(waiting - 1));
    await screenshot(desk, 'process-map-03-finished');
    expect(errors).toEqual([]);
  });
});
