import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openJourney, screenshot } from './browser.ts';
import { journeyLanguages, pattern } from './journey-text.ts';

/**
 * Incident journey: an employee reports an incident on a phone → the incident team triages it as a personal-data
 * breach → the 72-hour clock shows → it is resolved with a lesson learned that raises a corrective action. Once in
 * English and once in German: buttons, fields, statuses and the clock are found by their words in the journey's language.
 */
describe.each(journeyLanguages)('incident journey in a browser (%s)', (lang) => {
  let journey: Awaited<ReturnType<typeof openJourney>>;

  beforeAll(async () => {
    journey = await openJourney(
      [{ email: 'employee@example.com', name: 'Sales Employee', password: 'employee password 1', role: 'employee' }],
      { lang },
    );
  });
  afterAll(() => journey?.close());

  it('reports, triages a personal-data breach, shows the 72-hour clock, and resolves with a corrective action', async () => {
    const { server, scopeId, errors, text } = journey;
    const { t } = text;

    // an employee on a phone
    const phone = await journey.loggedIn('employee@example.com', 'employee password 1', { width: 390, height: 844 });
    expect(await phone.locator('html').getAttribute('lang')).toBe(lang);
    await phone.goto(`${server.url}/s/${scopeId}/incidents`);
    await phone.getByTestId('report-incident').click();
    await phone.getByRole('dialog').getByText(t('incidents:report.title')).waitFor();
    await phone.getByPlaceholder(t('incidents:report.whatPlaceholder')).fill('Customer list emailed to the wrong address');
    await phone
      .getByPlaceholder(t('incidents:report.detailsPlaceholder'))
      .fill('I sent the spreadsheet with all customer contacts to an external address by mistake.');
    await phone.getByPlaceholder(t('incidents:report.affectedPlaceholder')).fill('Customer contact list');
    await screenshot(phone, `${lang}-incident-01-report-phone`);
    await phone.getByRole('button', { name: t('incidents:report.send') }).click();
    await phone.getByTestId('report-received').waitFor();
    expect(await phone.getByTestId('report-received').textContent()).toContain(t('incidents:report.received', { reference: 'INC-0001' }));
    await screenshot(phone, `${lang}-incident-02-received-phone`);

    // the incident team triages it
    const desk = await journey.loggedIn('isms@example.com', 'manager password 1', { width: 1366, height: 900 });
    await desk.goto(`${server.url}/s/${scopeId}/incidents`);
    await desk.getByRole('link', { name: /Customer list emailed/ }).click();
    await desk.waitForURL(/\/incidents\/[0-9a-f-]{36}$/);
    await desk.getByRole('button', { name: t('incidents:detail.triage'), exact: true }).click();
    const triage = desk.getByRole('dialog');
    await triage.getByLabel(t('incidents:triage.category'), { exact: true }).first().click();
    await desk.getByRole('option', { name: t('incidents:category.data_leak') }).click();
    await triage.getByText(t('incidents:severity.high'), { exact: true }).click();
    await triage.getByLabel(t('incidents:triage.impactC')).check();
    await triage.getByLabel(t('incidents:triage.personalData')).check({ force: true });
    await screenshot(desk, `${lang}-incident-03-triage`);
    await triage.getByRole('button', { name: t('incidents:triage.save') }).click();
    await desk.getByTestId('countdown-gdpr_art33').waitFor();
    expect(await desk.getByTestId('incident-status').textContent()).toBe(t('incidents:status.triaged'));
    const clock = pattern(
      (p) => t('incidents:countdown.left', { text: t('incidents:countdown.hours', { hours: p.hours, minutes: p.minutes }) }),
      { hours: '(71|72)', minutes: '\\d\\d' },
    );
    const countdown = desk.getByTestId('countdown-gdpr_art33');
    expect(await countdown.textContent()).toMatch(clock);
    // the clock names its regime, and its deadline, in the journey's language
    await desk.getByTestId('clock-gdpr_art33').getByText(t('incidents:regime.gdpr_art33'), { exact: true }).waitFor();
    const incident = (await (
      await desk.request.get(`${server.url}/api/scopes/${scopeId}/incidents/${desk.url().split('/').at(-1)}`)
    ).json()) as {
      notifications: { regime: string; dueAt: string }[];
    };
    const dueAt = incident.notifications.find((n) => n.regime === 'gdpr_art33')!.dueAt;
    expect(await countdown.getAttribute('title')).toBe(
      t('incidents:countdown.due', { date: text.date(dueAt, { dateStyle: 'medium', timeStyle: 'short' }) }),
    );
    await screenshot(desk, `${lang}-incident-04-clock`);

    // response and resolution with a lesson learned that raises a corrective action
    await desk.getByRole('button', { name: t('incidents:detail.startResponse') }).click();
    await expect.poll(() => desk.getByTestId('incident-status').textContent()).toBe(t('incidents:status.responding'));
    await desk.getByRole('button', { name: t('incidents:detail.resolve'), exact: true }).click();
    const resolve = desk.getByRole('dialog');
    await resolve
      .getByLabel(t('incidents:transition.lessons'))
      .fill('Autocomplete suggested an external address; nobody checks recipients of customer data.');
    await resolve.getByRole('button', { name: t('incidents:transition.addFollowUp') }).click();
    await resolve.getByLabel(t('incidents:transition.followUpTitle')).fill('Customer data sent without recipient check');
    await resolve
      .getByLabel(t('incidents:transition.correctiveAction'), { exact: true })
      .fill('Turn on the external-recipient warning in the mail system');
    await screenshot(desk, `${lang}-incident-05-resolve`);
    await resolve.getByRole('button', { name: t('incidents:transition.resolveIncident') }).click();
    await expect.poll(() => desk.getByTestId('incident-status').textContent()).toBe(t('incidents:status.resolved'));
    await screenshot(desk, `${lang}-incident-06-resolved`);

    // the corrective action arrived in improvement
    await desk.goto(`${server.url}/s/${scopeId}/improvement`);
    await desk.getByRole('link', { name: /Customer data sent without recipient check/ }).click();
    await desk.getByText('Turn on the external-recipient warning in the mail system').waitFor();
    await screenshot(desk, `${lang}-incident-07-corrective-action`);
    expect(errors).toEqual([]);
  });
});
