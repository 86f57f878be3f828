import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfText } from '../server/src/test/document-text.ts';
import { openJourney, screenshot } from './browser.ts';
import { journeyLanguages, literally, pattern } from './journey-text.ts';

/**
 * Check phase journey: the ISMS manager plans an audit of what the audit programme leaves uncovered, with an internal
 * auditor as lead; the auditor prepares it, starts the fieldwork and records a minor nonconformity on a checklist row;
 * the manager plans a corrective action for that nonconformity and completes its task; then plans a management review,
 * compiles its inputs (where the audit's finding shows), holds it, decides one action, approves the minutes and
 * downloads them as PDF. Once in English and once in German: statuses, results, fields, the audited process's name, the
 * review's input figures and the minutes' words are read in the journey's language.
 */
const WAIT = { timeout: 30_000 };

describe.each(journeyLanguages)('check phase journey in a browser (%s)', (lang) => {
  let journey: Awaited<ReturnType<typeof openJourney>>;

  beforeAll(async () => {
    journey = await openJourney(
      [{ email: 'auditor@example.com', name: 'Internal Auditor', password: 'auditor password 1', role: 'auditor' }],
      { lang },
    );
  });
  afterAll(() => journey?.close());

  it('audit finding → corrective action done → review inputs, decision, approved minutes as PDF', { timeout: 240_000 }, async () => {
    const { server, scopeId, errors, text } = journey;
    const { t } = text;
    const today = new Date().toISOString().slice(0, 10);
    const inAWeek = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    const desk = await journey.loggedIn('isms@example.com', 'manager password 1', { width: 1440, height: 1000 });
    desk.setDefaultTimeout(30_000);
    expect(await desk.locator('html').getAttribute('lang')).toBe(lang);

    // the audit programme warns about what stays uncovered; the manager plans an audit of it
    await desk.goto(`${server.url}/s/${scopeId}/audits`);
    await desk.getByTestId('audit-programme').waitFor(WAIT);
    await desk.getByTestId('uncovered-warning').waitFor(WAIT);
    await screenshot(desk, `${lang}-check-01-programme`);
    await desk.getByTestId('plan-uncovered').click();
    await desk.getByTestId('audit-title').fill('Internal audit of the ISMS clauses');
    // the processes to audit are named as the server words them for the journey's language (not the English model)
    const riskAssessment = text.server('processes:name.risk-assessment');
    await desk.getByTestId('audit-processes').click();
    await desk.getByRole('option', { name: riskAssessment, exact: true }).click();
    await desk.getByTestId('audit-lead').click();
    await desk.getByRole('option', { name: 'Internal Auditor' }).click();
    await desk.getByTestId('audit-start').fill(today);
    await desk.getByTestId('audit-end').fill(inAWeek);
    await screenshot(desk, `${lang}-check-02-plan-audit`);
    await desk.getByTestId('audit-save').click();
    await desk.waitForURL(/\/audits\/[0-9a-f-]{36}$/, WAIT);
    const auditUrl = desk.url();
    await desk.getByTestId('checklist').waitFor(WAIT);
    expect(await desk.getByTestId('audit-status').textContent()).toBe(t('audits:status.planned'));
    // … and so are the audited processes among its criteria
    await desk
      .getByTestId('audit-criteria-processes')
      .filter({ hasText: t('audits:detail.processes', { list: riskAssessment }) })
      .waitFor(WAIT);
    await screenshot(desk, `${lang}-check-02b-audit-planned`);
    expect(await desk.getByTestId('checklist-row').count()).toBeGreaterThan(0);

    // the auditor, in a browser of their own, runs the audit as its lifecycle requires and records a minor nonconformity
    const auditor = await journey.loggedIn('auditor@example.com', 'auditor password 1', { width: 1280, height: 900 });
    auditor.setDefaultTimeout(30_000);
    await auditor.goto(auditUrl);
    await auditor.getByTestId('checklist').waitFor(WAIT);
    await auditor.getByTestId('move-prepared').click();
    await auditor
      .getByTestId('audit-status')
      .filter({ hasText: t('audits:status.prepared') })
      .waitFor(WAIT);
    await auditor.getByTestId('move-fieldwork').click();
    await auditor
      .getByTestId('audit-status')
      .filter({ hasText: t('audits:status.fieldwork') })
      .waitFor(WAIT);
    const row = auditor.getByTestId('checklist-row').first();
    await row.getByTestId('record-result').click();
    await auditor.getByTestId('result-select').click();
    await auditor.getByRole('option', { name: t('audits:result.minor_nonconformity') }).click();
    await auditor.getByTestId('result-notes').fill('Two of five sampled access reviews were not signed off.');
    await screenshot(auditor, `${lang}-check-03-record-finding`);
    await auditor.getByTestId('result-save').click();
    // the nonconformity record is created with the result: its reference shows on the row
    const findingLink = auditor.getByTestId('checklist-row').first().getByRole('link', { name: /^NC-/ });
    await findingLink.waitFor(WAIT);
    const ncRef = (await findingLink.textContent())!.trim();
    expect(await auditor.getByTestId('checklist-row').first().textContent()).toContain(t('audits:result.minor_nonconformity'));
    await screenshot(auditor, `${lang}-check-04-finding-recorded`);

    // the manager follows the finding into improvement and plans a corrective action for it
    await desk.goto(auditUrl);
    await desk.getByTestId('checklist-row').first().getByRole('link', { name: ncRef }).click();
    await desk.waitForURL(/\/improvement\/[0-9a-f-]{36}$/, WAIT);
    const ncUrl = desk.url();
    // the nonconformity names its source: the audit's checklist row
    await desk.getByText(new RegExp(`^${literally(t('improvement:source.internal_audit'))} · IA-\\d+ #1$`)).waitFor(WAIT);
    const actionTitle = 'Sign off every access review before it is filed';
    await desk.getByRole('textbox', { name: t('improvement:nc.action') }).fill(actionTitle);
    await desk.getByRole('combobox', { name: t('improvement:nc.ownerPlaceholder'), exact: true }).click();
    await desk.getByRole('option', { name: 'ISMS Manager' }).click();
    await desk.getByLabel(t('improvement:nc.dueDate'), { exact: true }).fill(inAWeek);
    await desk.getByRole('button', { name: t('improvement:nc.addAction') }).click();
    await desk.getByRole('listitem').filter({ hasText: actionTitle }).waitFor(WAIT);
    await screenshot(desk, `${lang}-check-05-corrective-action`);

    // … and completes its task
    await desk.goto(`${server.url}/s/${scopeId}/tasks?q=${encodeURIComponent(actionTitle)}`);
    const task = desk.getByTestId('task-row').filter({ hasText: actionTitle });
    await task.getByTestId('task-done').click();
    // done, it leaves the list of active tasks
    await task.waitFor({ state: 'detached', ...WAIT });
    await screenshot(desk, `${lang}-check-06-task-done`);
    await desk.goto(ncUrl);
    await desk
      .getByRole('listitem')
      .filter({ hasText: actionTitle })
      .filter({ hasText: t('status.done') })
      .waitFor(WAIT);

    // the manager plans a management review, compiles its inputs: the audit's minor nonconformity is among them
    await desk.goto(`${server.url}/s/${scopeId}/reviews`);
    await desk.getByTestId('plan-review').click();
    await desk.getByTestId('review-title').fill('Management review 2026');
    await desk.getByTestId('review-chair').click();
    await desk.getByRole('option', { name: 'ISMS Manager' }).click();
    await desk.getByTestId('review-date').fill(today);
    await desk.getByTestId('review-save').click();
    await desk.waitForURL(/\/reviews\/[0-9a-f-]{36}$/, WAIT);
    await desk
      .getByTestId('review-status')
      .filter({ hasText: t('reviews:status.planned') })
      .waitFor(WAIT);
    await desk.getByTestId('move-compiled').click();
    await desk
      .getByTestId('review-status')
      .filter({ hasText: t('reviews:status.compiled') })
      .waitFor(WAIT);
    const performance = desk.getByTestId('section-performance');
    // the audit's line counts its minor nonconformity, the improvement line the nonconformity it opened
    const any = '\\d+';
    const audits = pattern((p) => t('reviews:figures.audits', p), {
      held: any,
      majorNonconformities: '0',
      minorNonconformities: '1',
      observations: any,
      opportunities: any,
      openNonconformities: any,
    });
    await performance.getByText(audits).waitFor(WAIT);
    const nonconformities = pattern((p) => t('reviews:figures.nonconformities', p), {
      opened: '1',
      closed: any,
      open: any,
      overdueActions: any,
    });
    await performance.getByText(nonconformities).waitFor(WAIT);
    await screenshot(desk, `${lang}-check-07-inputs-compiled`);

    // held with its chair present; one decision, the discussion, and the chair approves the minutes
    await desk.getByTestId('attendee').first().check();
    await desk.getByTestId('save-attendance').click();
    await desk.getByTestId('save-attendance').waitFor({ state: 'detached', ...WAIT });
    await desk.getByTestId('move-held').click();
    await desk
      .getByTestId('review-status')
      .filter({ hasText: t('reviews:status.held') })
      .waitFor(WAIT);
    await desk.getByTestId('inputs-hash').waitFor(WAIT);
    await desk.getByTestId('add-decision').click();
    await desk.getByTestId('decision-title').fill('Train the access reviewers on sign-off');
    await desk.getByTestId('decision-owner').click();
    await desk.getByRole('option', { name: 'ISMS Manager' }).click();
    await desk.getByTestId('decision-due').fill(inAWeek);
    await desk.getByTestId('decision-save').click();
    await desk.getByTestId('decisions').getByText('Train the access reviewers on sign-off').waitFor(WAIT);
    await desk.getByTestId('discussion').fill('The audit finding on access reviews was discussed; training decided.');
    await desk.getByTestId('save-discussion').click();
    await desk.getByTestId('save-discussion').and(desk.locator(':disabled')).waitFor(WAIT);
    await screenshot(desk, `${lang}-check-08-held-decided`);
    await desk.getByTestId('move-approved').click();
    await desk
      .getByTestId('review-status')
      .filter({ hasText: t('reviews:status.approved') })
      .waitFor(WAIT);
    await screenshot(desk, `${lang}-check-09-minutes-approved`);

    // the minutes download as a PDF
    const [download] = await Promise.all([desk.waitForEvent('download', WAIT), desk.getByTestId('minutes-pdf').click()]);
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const pdf = Buffer.concat(chunks);
    expect(pdf.subarray(0, 4).toString('latin1')).toBe('%PDF');
    expect(download.suggestedFilename()).toMatch(/minutes\.pdf$/);
    // the minutes speak the journey's language
    const minutes = await pdfText(pdf);
    expect(minutes).toContain(text.server('exports:minutes.heading.discussion'));
    expect(minutes).toContain(text.server('exports:minutes.status.approved'));
    expect(errors).toEqual([]);
  });
});
