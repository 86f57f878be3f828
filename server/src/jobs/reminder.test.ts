import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/database.ts';
import { createDeps } from '../deps.ts';
import { createSmtpMailer, type Mailer } from '../mail/mailer.ts';
import { buildScope, buildUser, createTestContext, dialects, json, TestClock, type TestContext, type TestUser } from '../test/harness.ts';
import * as repo from './reminder.repository.ts';
import { MAX_ATTEMPTS, runDueReminders } from './reminder.service.ts';

/** A real SMTP listener on loopback that keeps what it receives. */
async function startSmtp() {
  const received: { to: string[]; data: string }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      let data = '';
      stream.on('data', (chunk: Buffer) => {
        data += chunk.toString();
      });
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), data });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { received, url: `smtp://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe.each(dialects)('mailed reminders on %s', (dialect) => {
  let t: TestContext;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let mailer: Mailer;
  let scopeId: string;
  let manager: TestUser;
  let handler: TestUser;
  const clock = new TestClock(new Date('2026-05-04T08:00:00.000Z'));

  beforeAll(async () => {
    t = await createTestContext(dialect, { clock });
    smtp = await startSmtp();
    mailer = createSmtpMailer(smtp.url, 'Praxis <praxis@example.com>');
    const s = await buildScope(t.deps);
    scopeId = s.scope.id;
    manager = s.manager;
    handler = await buildUser(t.deps, { memberships: [[scopeId, 'contributor']] });
  });
  afterAll(async () => {
    mailer.close();
    await smtp.close();
    await t.close();
  });

  async function breach(title: string) {
    const { id } = json(
      await t.app.inject({ method: 'POST', url: `/api/scopes/${scopeId}/incidents`, headers: handler.headers, payload: { title } }),
    );
    await t.app.inject({
      method: 'POST',
      url: `/api/scopes/${scopeId}/incidents/${id}/triage`,
      headers: handler.headers,
      payload: {
        version: 1,
        category: 'data_leak',
        severity: 'high',
        impactConfidentiality: true,
        impactIntegrity: false,
        impactAvailability: false,
        personalData: true,
        nis2Significant: false,
        handlerId: handler.id,
      },
    });
    return id as string;
  }

  it('warns the handler twelve hours before the GDPR deadline and escalates to managers when it passes, once', async () => {
    smtp.received.length = 0;
    const id = await breach('Payroll file on a public share');
    expect(await runDueReminders(t.deps, mailer)).toEqual({ sent: 0, failed: 0 });
    clock.current = new Date('2026-05-06T20:00:00.000Z'); // 60 h after awareness
    expect(await runDueReminders(t.deps, mailer)).toEqual({ sent: 1, failed: 0 });
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]!.to).toEqual([handler.email]);
    expect(smtp.received[0]!.data).toContain('due in 12 hours');
    expect(await runDueReminders(t.deps, mailer)).toEqual({ sent: 0, failed: 0 });

    clock.current = new Date('2026-05-07T08:00:01.000Z'); // 72 h passed
    expect(await runDueReminders(t.deps, mailer)).toEqual({ sent: 2, failed: 0 });
    expect(
      smtp.received
        .slice(1)
        .map((m) => m.to[0])
        .sort(),
    ).toEqual([handler.email, manager.email].sort());
    expect(smtp.received[1]!.data).toMatch(/Subject: Overdue: INC-\d{4}/);
    const rows = await repo.findRemindersOf(t.deps.db, 'incident', id);
    expect(rows.map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
  });

  it('cancels the reminders once the notification is recorded as sent', async () => {
    clock.current = new Date('2026-06-01T08:00:00.000Z');
    smtp.received.length = 0;
    const id = await breach('Laptop with customer data stolen');
    clock.current = new Date('2026-06-01T09:30:00.000Z');
    const recorded = await t.app.inject({
      method: 'POST',
      url: `/api/scopes/${scopeId}/incidents/${id}/notifications`,
      headers: handler.headers,
      payload: { regime: 'gdpr_art33', sentAt: '2026-06-01T09:00:00Z', recipient: 'Supervisory authority' },
    });
    expect(recorded.statusCode).toBe(200);
    clock.current = new Date('2026-06-05T00:00:00.000Z');
    expect(await runDueReminders(t.deps, mailer)).toEqual({ sent: 0, failed: 0 });
    expect(smtp.received).toHaveLength(0);
    expect((await repo.findRemindersOf(t.deps.db, 'incident', id)).every((r) => r.status === 'cancelled')).toBe(true);
  });

  it('retries a failed send with a pause and gives up after five attempts', async () => {
    clock.current = new Date('2026-07-01T08:00:00.000Z');
    const id = await breach('Misdirected fax');
    const broken: Mailer = { send: async () => Promise.reject(new Error('connection refused')), close: () => undefined };
    clock.current = new Date('2026-07-03T21:00:00.000Z');
    expect(await runDueReminders(t.deps, broken)).toEqual({ sent: 0, failed: 1 });
    expect(await runDueReminders(t.deps, broken)).toEqual({ sent: 0, failed: 0 }); // paused
    for (let i = 2; i <= MAX_ATTEMPTS; i++) {
      clock.advance(i * 60_000 + 1000);
      expect((await runDueReminders(t.deps, broken)).failed).toBe(1);
    }
    const [warning] = await repo.findRemindersOf(t.deps.db, 'incident', id);
    expect(warning).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS, last_error: 'connection refused' });
  });

  it('lets two app instances run the job side by side without sending anything twice', async () => {
    clock.current = new Date('2026-08-01T08:00:00.000Z');
    smtp.received.length = 0;
    const ids: string[] = [];
    for (let i = 0; i < 15; i++) ids.push(await breach(`Breach ${i}`));
    const second = openDatabase(t.db.config, { sqliteFile: undefined, poolSize: 3 });
    const otherInstance = createDeps(t.db.config, second, clock);
    try {
      clock.current = new Date('2026-08-04T09:00:00.000Z'); // every warning and escalation is due: 15 + 30
      const results = await Promise.all([
        runDueReminders(t.deps, mailer, { limit: 10 }),
        runDueReminders(otherInstance, mailer, { limit: 10 }),
        runDueReminders(t.deps, mailer, { limit: 10 }),
        runDueReminders(otherInstance, mailer, { limit: 10 }),
      ]);
      let total = results.reduce((n, r) => n + r.sent, 0);
      for (;;) {
        const more = await runDueReminders(otherInstance, mailer, { limit: 50 });
        if (more.sent === 0) break;
        total += more.sent;
      }
      // every mail went out exactly once (the earlier test's escalations are due now too)
      expect(smtp.received).toHaveLength(total);
      const keys = smtp.received.map((m) => `${m.to[0]}|${m.data.match(/Subject: (.*)/)?.[1]}`);
      expect(new Set(keys).size).toBe(total);
      for (const id of ids) {
        const rows = await repo.findRemindersOf(t.deps.db, 'incident', id);
        expect(rows.map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
      }
      expect(total).toBeGreaterThanOrEqual(45);
    } finally {
      await second.destroy();
    }
  });

  it("words each mail in its recipient's language setting, English without one", async () => {
    clock.current = new Date('2026-09-01T08:00:00.000Z');
    const german = await t.app.inject({ method: 'PATCH', url: '/api/me', headers: handler.headers, payload: { language: 'de' } });
    expect(german.statusCode, german.body).toBe(200);
    try {
      const id = await breach('Kundendaten per E-Mail an Dritte');
      const rows = await repo.findRemindersOf(t.deps.db, 'incident', id);
      const to = (userId: string, kind: string) => rows.find((r) => r.recipient_id === userId && r.kind === kind)!;
      const warning = to(handler.id, 'gdpr_art33:warning');
      expect(warning.subject).toMatch(
        /^INC-\d{4}: Meldung nach Art\. 33 DSGVO an die Aufsichtsbehörde \(72 Stunden\) in 12 Stunden fällig$/,
      );
      expect(warning.body).toContain('„Kundendaten per E-Mail an Dritte“');
      expect(warning.body).toContain('Fällig am 04.09.2026, 08:00 UTC');
      expect(to(handler.id, 'gdpr_art33:overdue').subject).toMatch(/^Überfällig: INC-\d{4} Meldung nach Art\. 33 DSGVO/);
      // the manager has no setting: English
      const managers = to(manager.id, 'gdpr_art33:overdue');
      expect(managers.subject).toMatch(/^Overdue: INC-\d{4} GDPR Art\. 33 notification to the supervisory authority \(72 hours\)$/);
      expect(managers.body).toContain('was due at Sep 4, 2026, 08:00 UTC and is not recorded as sent');
    } finally {
      await t.app.inject({ method: 'PATCH', url: '/api/me', headers: handler.headers, payload: { language: null } });
    }
  });
});
