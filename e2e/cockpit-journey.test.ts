import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openJourney, screenshot } from './browser.ts';

/**
 * Cockpit journey: the ISMS manager loads the demo organisation, and the scope's home opens the cockpit with the ISMS
 * cycle, its four phases with their readiness checks, the overdue work by process and the hand-offs waiting. An employee
 * of the scope keeps My work and has no cockpit.
 */
describe('cockpit journey in a browser', () => {
  let journey: Awaited<ReturnType<typeof openJourney>>;

  beforeAll(async () => {
    journey = await openJourney([
      { email: 'employee@example.com', name: 'Sales Employee', password: 'employee password 1', role: 'employee' },
    ]);
  });
  afterAll(() => journey?.close());

  it('loads the demo, then the manager’s home shows the cycle, its phases and the overdue work', async () => {
    const { server, scopeId, errors } = journey;
    const desk = await journey.loggedIn('isms@example.com', 'manager password 1', { width: 1440, height: 1000 });

    // a new scope: the cockpit already has its first cycle, and says that nothing is overdue or waiting
    await desk.goto(`${server.url}/s/${scopeId}`);
    await desk.waitForURL(/\/s\/[0-9a-f-]{36}\/cockpit$/);
    await desk.getByTestId('cycle').waitFor();
    expect(await desk.getByTestId('cycle').textContent()).toContain('ISMS cycle 1');
    await desk.getByTestId('overdue-empty').waitFor();
    await screenshot(desk, 'cockpit-01-new-scope');

    // the demo organisation
    await desk.goto(`${server.url}/s/${scopeId}/assets`);
    await desk.getByTestId('load-demo').click();
    await desk.getByRole('table').first().waitFor();

    await desk.getByTestId('nav-cockpit').click();
    await desk.waitForURL(/\/cockpit$/);
    await desk.getByTestId('phase-plan').waitFor();
    for (const phase of ['plan', 'do', 'check', 'act']) expect(await desk.getByTestId(`phase-${phase}`).count()).toBe(1);
    // the demo's risks are assessed in this cycle: the Plan phase is under way, and its checks show their figures
    expect(await desk.getByTestId('check-risks-assessed').getAttribute('data-state')).not.toBe('open');
    expect(await desk.getByTestId('check-risks-assessed').getByTestId('check-figures').textContent()).toMatch(/^\d+ of \d+$/);
    // the demo's internal audit was closed in this cycle
    expect(await desk.getByTestId('check-internal-audit-held').getAttribute('data-state')).toBe('done');
    // overdue work by process, or the calm message when the demo has none; the next steps name what to do
    await desk.locator('[data-testid="overdue-list"], [data-testid="overdue-empty"]').first().waitFor();
    await desk.getByTestId('next-steps').waitFor();
    await screenshot(desk, 'cockpit-02-demo');

    // a phase check links to the page where to act
    await desk.getByTestId('check-risks-assessed').getByRole('link').click();
    await desk.waitForURL(/\/risks$/);

    // an employee keeps My work and has no cockpit in the navigation
    const phone = await journey.loggedIn('employee@example.com', 'employee password 1', { width: 390, height: 844 });
    await phone.goto(`${server.url}/s/${scopeId}`);
    await phone.waitForURL((u) => !u.pathname.endsWith('/cockpit'));
    expect(await phone.getByTestId('nav-cockpit').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
