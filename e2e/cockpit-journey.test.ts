import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openJourney, screenshot } from './browser.ts';
import { journeyLanguages, pattern } from './journey-text.ts';

/** the demo organisation takes a while to load on a busy machine */
const demo = { timeout: 120_000 };

/**
 * Cockpit journey: the ISMS manager loads the demo organisation, and the scope's home opens the cockpit with the ISMS
 * cycle, its four phases with their readiness checks, the overdue work by process and the hand-offs waiting. An employee
 * of the scope keeps My work and has no cockpit. Once in English and once in German: headings, figures and the cycle's
 * dates are read in the journey's language.
 */
describe.each(journeyLanguages)('cockpit journey in a browser (%s)', (lang) => {
  let journey: Awaited<ReturnType<typeof openJourney>>;

  beforeAll(async () => {
    journey = await openJourney(
      [{ email: 'employee@example.com', name: 'Sales Employee', password: 'employee password 1', role: 'employee' }],
      { lang },
    );
  });
  afterAll(() => journey?.close());

  it('loads the demo, then the manager’s home shows the cycle, its phases and the overdue work', { timeout: 240_000 }, async () => {
    const { server, scopeId, errors, text } = journey;
    const { t } = text;
    const desk = await journey.loggedIn('isms@example.com', 'manager password 1', { width: 1440, height: 1000 });
    expect(await desk.locator('html').getAttribute('lang')).toBe(lang);

    // a new scope: the cockpit already has its first cycle, and says that nothing is overdue or waiting
    await desk.goto(`${server.url}/s/${scopeId}`);
    await desk.waitForURL(/\/s\/[0-9a-f-]{36}\/cockpit$/);
    const cycle = desk.getByTestId('cycle');
    await cycle.getByRole('heading', { name: t('cockpit:cycle.heading', { number: 1 }) }).waitFor();
    // the cycle's dates as the page writes them in the journey's language ("7 Dec 2026" / "7. Dez. 2026")
    const { cycle: dates } = (await (await desk.request.get(`${server.url}/api/scopes/${scopeId}/cockpit`)).json()) as {
      cycle: { startsOn: string; endsOn: string };
    };
    const day = (d: string) => text.date(d, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
    expect(await desk.getByTestId('cycle-range').textContent()).toBe(
      t('cockpit:cycle.range', { start: day(dates.startsOn), end: day(dates.endsOn) }),
    );
    expect(await desk.getByTestId('overdue-empty').textContent()).toBe(t('cockpit:overdue.empty'));
    await screenshot(desk, `${lang}-cockpit-01-new-scope`);

    // the demo organisation
    await desk.goto(`${server.url}/s/${scopeId}/assets`);
    await desk.getByTestId('load-demo').click();
    await desk.getByRole('table').first().waitFor(demo);

    await desk.getByTestId('nav-cockpit').click();
    await desk.waitForURL(/\/cockpit$/);
    await desk.getByTestId('phase-plan').waitFor();
    for (const phase of ['plan', 'do', 'check', 'act'])
      await desk
        .getByTestId(`phase-${phase}`)
        .getByRole('heading', { name: t(`cockpit:phase.${phase}`), exact: true })
        .waitFor();
    // the demo's risks are assessed in this cycle: the Plan phase is under way, and its checks show their figures
    const risksAssessed = desk.getByTestId('check-risks-assessed');
    expect(await risksAssessed.getAttribute('data-state')).not.toBe('open');
    expect(await risksAssessed.getByTestId('check-figures').textContent()).toMatch(
      pattern((p) => t('cockpit:figures', p), { done: '\\d+', total: '\\d+' }),
    );
    // the demo's internal audit was closed in this cycle
    expect(await desk.getByTestId('check-internal-audit-held').getAttribute('data-state')).toBe('done');
    // overdue work by process, or the calm message when the demo has none; the next steps name what to do
    await desk.locator('[data-testid="overdue-list"], [data-testid="overdue-empty"]').first().waitFor();
    await desk.getByRole('heading', { name: t('cockpit:next.heading') }).waitFor();
    await desk.getByTestId('next-steps').waitFor();
    await screenshot(desk, `${lang}-cockpit-02-demo`);

    // a phase check links to the page where to act
    await risksAssessed.getByRole('link', { name: t('cockpit:checks.risksAssessed.label') }).click();
    await desk.waitForURL(/\/risks$/);

    // an employee keeps My work and has no cockpit in the navigation
    const phone = await journey.loggedIn('employee@example.com', 'employee password 1', { width: 390, height: 844 });
    await phone.goto(`${server.url}/s/${scopeId}`);
    await phone.waitForURL((u) => !u.pathname.endsWith('/cockpit'));
    expect(await phone.getByTestId('nav-cockpit').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
