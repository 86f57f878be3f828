import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openJourney, screenshot } from './browser.ts';

/**
 * Incident journey: an employee reports an incident on a phone → the incident team triages it as a personal-data
 * breach → the 72-hour clock shows → it is resolved with a lesson learned that raises a corrective action.
 */
describe('incident journey in a browser', () => {
  let journey: Awaited<ReturnType<typeof openJourney>>;
  let server: Awaited<ReturnType<typeof openJourney>>['server'];
  let scopeId = '';
  let errors: string[] = [];
  const loggedIn = (email: string, password: string, viewport: { width: number; height: number }) =>
    journey.loggedIn(email, password, viewport);

  beforeAll(async () => {
    journey = await openJourney([
      { email: 'employee@example.com', name: 'Sales Employee', password: 'employee password 1', role: 'employee' },
    ]);
    ({ server, scopeId, errors } = journey);
  });
  afterAll(() => journey?.close());

  it('reports, triages a personal-data breach, shows the 72-hour clock, and resolves with a corrective action', async () => {
    // an employee on a phone
    const phone = await loggedIn('employee@example.com', 'employee password 1', { width: 390, height: 844 });
    await phone.goto(`${server.url}/s/${scopeId}/incidents`);
    await phone.getByTestId('report-incident').click();
    await phone.fill('input[name="title"]', 'Customer list emailed to the wrong address');
    await phone.fill(
      'textarea[name="description"]',
      'I sent the spreadsheet with all customer contacts to an external address by mistake.',
    );
    await phone.fill('input[name="affected"]', 'Customer contact list');
    await screenshot(phone, 'incident-01-report-phone');
    await phone.getByRole('button', { name: 'Send report' }).click();
    await phone.getByTestId('report-received').waitFor();
    expect(await phone.getByTestId('report-received').textContent()).toContain('INC-0001');
    await screenshot(phone, 'incident-02-received-phone');

    // the incident team triages it
    const desk = await loggedIn('isms@example.com', 'manager password 1', { width: 1366, height: 900 });
    await desk.goto(`${server.url}/s/${scopeId}/incidents`);
    await desk.getByRole('link', { name: /Customer list emailed/ }).click();
    await desk.waitForURL(/\/incidents\/[0-9a-f-]{36}$/);
    await desk.getByRole('button', { name: 'Triage', exact: true }).click();
    await desk.getByRole('dialog').getByLabel('Category', { exact: true }).first().click();
    await desk.getByRole('option', { name: 'Data leak' }).click();
    await desk.getByText('High', { exact: true }).click();
    await desk.getByLabel('Confidentiality affected').check();
    await desk.getByLabel(/Personal data is involved/).check({ force: true });
    await screenshot(desk, 'incident-03-triage');
    await desk.getByRole('button', { name: 'Save triage' }).click();
    await desk.getByTestId('countdown-gdpr_art33').waitFor();
    expect(await desk.getByTestId('incident-status').textContent()).toBe('Triaged');
    expect(await desk.getByTestId('countdown-gdpr_art33').textContent()).toMatch(/^(71|72) h \d\d min left$/);
    await screenshot(desk, 'incident-04-clock');

    // response and resolution with a lesson learned that raises a corrective action
    await desk.getByRole('button', { name: 'Start response' }).click();
    await expect.poll(() => desk.getByTestId('incident-status').textContent()).toBe('Responding');
    await desk.getByRole('button', { name: 'Resolve' }).click();
    await desk.fill(
      'textarea[name="lessonsLearned"]',
      'Autocomplete suggested an external address; nobody checks recipients of customer data.',
    );
    await desk.getByRole('button', { name: 'Add a follow-up' }).click();
    await desk.getByLabel('Follow-up title').fill('Customer data sent without recipient check');
    await desk.getByLabel('Corrective action', { exact: true }).fill('Turn on the external-recipient warning in the mail system');
    await screenshot(desk, 'incident-05-resolve');
    await desk.getByTestId('confirm-transition').click();
    await expect.poll(() => desk.getByTestId('incident-status').textContent()).toBe('Resolved');
    await screenshot(desk, 'incident-06-resolved');

    // the corrective action arrived in improvement
    await desk.goto(`${server.url}/s/${scopeId}/improvement`);
    await desk.getByRole('link', { name: /Customer data sent without recipient check/ }).click();
    await desk.getByText('Turn on the external-recipient warning in the mail system').waitFor();
    await screenshot(desk, 'incident-07-corrective-action');
    expect(errors).toEqual([]);
  });
});
