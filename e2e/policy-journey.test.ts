import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openJourney, screenshot } from './browser.ts';
import { journeyLanguages } from './journey-text.ts';

/**
 * Policy journey: an ISMS manager writes a policy and submits it → another member approves it → the manager publishes
 * it to everyone → an employee reads and acknowledges it on a phone → the awareness dashboard shows "1 of 3". Once in
 * English and once in German: statuses, counts and links are read in the journey's language (the policy's text is the
 * user's and stays as written).
 */
describe.each(journeyLanguages)('policy journey in a browser (%s)', (lang) => {
  let journey: Awaited<ReturnType<typeof openJourney>>;
  let server: Awaited<ReturnType<typeof openJourney>>['server'];
  let scopeId = '';
  let errors: string[] = [];
  let t: Awaited<ReturnType<typeof openJourney>>['text']['t'];
  /** a server round trip and a re-render; generous for a busy machine */
  const slow = { timeout: 15_000 };
  const loggedIn = (email: string, password: string, viewport: { width: number; height: number }) =>
    journey.loggedIn(email, password, viewport);

  beforeAll(async () => {
    journey = await openJourney(
      [
        { email: 'it-lead@example.com', name: 'Head of IT', password: 'approver password 1', role: 'contributor' },
        { email: 'employee@example.com', name: 'Sales Employee', password: 'employee password 1', role: 'employee' },
      ],
      { lang },
    );
    ({ server, scopeId, errors } = journey);
    ({ t } = journey.text);
  });
  afterAll(() => journey?.close());

  it('writes, approves, publishes and acknowledges a policy, and the dashboard counts it', async () => {
    // the ISMS manager writes the policy with a live preview
    const desk = await loggedIn('isms@example.com', 'manager password 1', { width: 1366, height: 900 });
    expect(await desk.locator('html').getAttribute('lang')).toBe(lang);
    await desk.goto(`${server.url}/s/${scopeId}/policies`);
    await desk.getByTestId('documents-empty').waitFor();
    await screenshot(desk, `${lang}-policy-01-empty`);
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
    await screenshot(desk, `${lang}-policy-02-write`);
    await desk.getByTestId('save-document').click();
    await desk.waitForURL(/\/policies\/[0-9a-f-]{36}$/);
    await desk.getByTestId('version-content').getByRole('heading', { name: 'Rules' }).waitFor();
    expect(await desk.getByTestId('version-status').textContent()).toBe(t('policies:versionStatus.draft'));

    // submitted for approval
    await desk.getByTestId('submit-version').click();
    await expect.poll(() => desk.getByTestId('version-status').textContent(), slow).toBe(t('policies:versionStatus.in_review'));
    expect(await desk.getByTestId('review-state').textContent()).toContain(t('policies:detail.approvalsSoFar', { done: 0, count: 1 }));
    await screenshot(desk, `${lang}-policy-03-in-review`);
    const policyUrl = desk.url();

    // another member approves it
    const approver = await loggedIn('it-lead@example.com', 'approver password 1', { width: 1280, height: 900 });
    await approver.goto(policyUrl);
    await approver.getByTestId('approve-version').click();
    await approver.getByTestId('decision-comment').fill('Clear and short. Approved.');
    await approver.getByTestId('confirm-approve').click();
    await expect.poll(() => approver.getByTestId('version-status').textContent(), slow).toBe(t('policies:versionStatus.approved'));
    await screenshot(approver, `${lang}-policy-04-approved`);

    // the manager publishes it to everyone in the scope
    await desk.reload();
    await desk.getByTestId('publish-version').click();
    const summary = desk.getByTestId('publish-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toContain(t('policies:detail.audience.everyoneCount', { scope: 'Example Ltd', count: 3 }));
    await screenshot(desk, `${lang}-policy-05-publish`);
    await desk.getByTestId('confirm-publish').click();
    await expect.poll(() => desk.getByTestId('version-status').textContent(), slow).toBe(t('policies:versionStatus.published'));
    await expect.poll(() => desk.getByTestId('ack-progress').textContent(), slow).toBe(t('policies:ack.progress', { done: 0, total: 3 }));
    await screenshot(desk, `${lang}-policy-06-published`);

    // the employee, on a phone, lands on My work, reads the policy and acknowledges it
    const phone = await loggedIn('employee@example.com', 'employee password 1', { width: 390, height: 844 });
    await phone.getByTestId('my-ack').first().waitFor();
    expect(await phone.getByTestId('my-ack').first().textContent()).toContain('Acceptable use policy');
    await screenshot(phone, `${lang}-policy-07-my-work-phone`);
    // nothing wider than the phone's screen
    expect(await phone.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await phone.getByTestId('read-policy').first().click();
    await phone.getByTestId('read-content').getByRole('heading', { name: 'Acceptable use' }).waitFor();
    await screenshot(phone, `${lang}-policy-08-read-phone`);
    expect(await phone.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await phone.getByTestId('acknowledge').click();
    await phone.getByTestId('acknowledged').getByText(t('my-isms:read.thanks'), { exact: true }).waitFor();
    await screenshot(phone, `${lang}-policy-09-acknowledged-phone`);
    await phone.getByRole('link', { name: t('my-isms:read.back') }).click();
    await phone.getByText(t('my-isms:panel.policiesDone')).waitFor();

    // the manager's dashboard counts it
    await desk.goto(`${server.url}/s/${scopeId}/awareness`);
    await desk.getByTestId('policy-rate').first().waitFor();
    expect(await desk.getByTestId('policy-rate').first().textContent()).toBe(
      t('training:dash.rate', { done: 1, total: 3, verb: t('training:dash.verb.acknowledged') }),
    );
    await screenshot(desk, `${lang}-policy-10-dashboard`);
    await desk.goto(policyUrl);
    await expect.poll(() => desk.getByTestId('ack-progress').textContent(), slow).toBe(t('policies:ack.progress', { done: 1, total: 3 }));
    expect(errors).toEqual([]);
  });
});
