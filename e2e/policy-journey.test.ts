import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openJourney, screenshot } from './browser.ts';

/**
 * Policy journey: an ISMS manager writes a policy and submits it → another member approves it → the manager publishes
 * it to everyone → an employee reads and acknowledges it on a phone → the awareness dashboard shows "1 of 3".
 */
describe('policy journey in a browser', () => {
  let journey: Awaited<ReturnType<typeof openJourney>>;
  let server: Awaited<ReturnType<typeof openJourney>>['server'];
  let scopeId = '';
  let errors: string[] = [];
  /** a server round trip and a re-render; generous for a busy machine */
  const slow = { timeout: 15_000 };
  const loggedIn = (email: string, password: string, viewport: { width: number; height: number }) =>
    journey.loggedIn(email, password, viewport);

  beforeAll(async () => {
    journey = await openJourney([
      { email: 'it-lead@example.com', name: 'Head of IT', password: 'approver password 1', role: 'contributor' },
      { email: 'employee@example.com', name: 'Sales Employee', password: 'employee password 1', role: 'employee' },
    ]);
    ({ server, scopeId, errors } = journey);
  });
  afterAll(() => journey?.close());

  it('writes, approves, publishes and acknowledges a policy, and the dashboard counts it', async () => {
    // the ISMS manager writes the policy with a live preview
    const desk = await loggedIn('isms@example.com', 'manager password 1', { width: 1366, height: 900 });
    await desk.goto(`${server.url}/s/${scopeId}/policies`);
    await desk.getByTestId('documents-empty').waitFor();
    await screenshot(desk, 'policy-01-empty');
    await desk.getByTestId('new-document').first().click();
    await desk.fill('input[name="title"]', 'Acceptable use policy');
    await desk
      .getByTestId('markdown-input')
      .fill(
        [
          '# Acceptable use',
          '',
          'This policy says how we use company laptops, email and customer data.',
          '',
          '## Rules',
          '',
          '- Lock your screen when you leave your desk.',
          '- Report suspicious emails with the **Report an incident** button.',
          '',
          '| Data | Where it may be stored |',
          '| --- | --- |',
          '| Customer data | CRM only |',
          '| Internal notes | Company drive |',
          '',
          'Questions? Read the [ISMS handbook](https://example.com/handbook).',
        ].join('\n'),
      );
    await desk.getByTestId('markdown-preview').getByRole('heading', { name: 'Acceptable use' }).waitFor();
    await desk.getByTestId('markdown-preview').getByRole('cell', { name: 'CRM only' }).waitFor();
    await desk.getByTestId('document-approvers').click();
    await desk.getByRole('option', { name: /Head of IT/ }).click();
    await desk.keyboard.press('Escape');
    await screenshot(desk, 'policy-02-write');
    await desk.getByTestId('save-document').click();
    await desk.waitForURL(/\/policies\/[0-9a-f-]{36}$/);
    await desk.getByTestId('version-content').getByRole('heading', { name: 'Rules' }).waitFor();
    expect(await desk.getByTestId('version-status').textContent()).toBe('Draft');

    // submitted for approval
    await desk.getByTestId('submit-version').click();
    await expect.poll(() => desk.getByTestId('version-status').textContent(), slow).toBe('In review');
    expect(await desk.getByTestId('review-state').textContent()).toContain('0 of 1 approval');
    await screenshot(desk, 'policy-03-in-review');
    const policyUrl = desk.url();

    // another member approves it
    const approver = await loggedIn('it-lead@example.com', 'approver password 1', { width: 1280, height: 900 });
    await approver.goto(policyUrl);
    await approver.getByTestId('approve-version').click();
    await approver.getByTestId('decision-comment').fill('Clear and short. Approved.');
    await approver.getByTestId('confirm-approve').click();
    await expect.poll(() => approver.getByTestId('version-status').textContent(), slow).toBe('Approved');
    await screenshot(approver, 'policy-04-approved');

    // the manager publishes it to everyone in the scope
    await desk.reload();
    await desk.getByTestId('publish-version').click();
    const summary = desk.getByTestId('publish-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toContain('everyone in Example Ltd (3 active members)');
    await screenshot(desk, 'policy-05-publish');
    await desk.getByTestId('confirm-publish').click();
    await expect.poll(() => desk.getByTestId('version-status').textContent(), slow).toBe('Published');
    await expect.poll(() => desk.getByTestId('ack-progress').textContent(), slow).toBe('0 of 3 acknowledged');
    await screenshot(desk, 'policy-06-published');

    // the employee, on a phone, lands on My work, reads the policy and acknowledges it
    const phone = await loggedIn('employee@example.com', 'employee password 1', { width: 390, height: 844 });
    await phone.getByTestId('my-ack').first().waitFor();
    expect(await phone.getByTestId('my-ack').first().textContent()).toContain('Acceptable use policy');
    await screenshot(phone, 'policy-07-my-work-phone');
    // nothing wider than the phone's screen
    expect(await phone.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await phone.getByTestId('read-policy').first().click();
    await phone.getByTestId('read-content').getByRole('heading', { name: 'Acceptable use' }).waitFor();
    await screenshot(phone, 'policy-08-read-phone');
    expect(await phone.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await phone.getByTestId('acknowledge').click();
    await phone.getByTestId('acknowledged').waitFor();
    await screenshot(phone, 'policy-09-acknowledged-phone');
    await phone.getByRole('link', { name: 'Back to My work' }).click();
    await phone.getByText('You have read and confirmed every policy addressed to you.').waitFor();

    // the manager's dashboard counts it
    await desk.goto(`${server.url}/s/${scopeId}/awareness`);
    await desk.getByTestId('policy-rate').first().waitFor();
    expect(await desk.getByTestId('policy-rate').first().textContent()).toBe('1 of 3 acknowledged');
    await screenshot(desk, 'policy-10-dashboard');
    await desk.goto(policyUrl);
    await expect.poll(() => desk.getByTestId('ack-progress').textContent(), slow).toBe('1 of 3 acknowledged');
    expect(errors).toEqual([]);
  });
});
