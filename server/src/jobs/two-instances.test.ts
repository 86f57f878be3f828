import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import type { Config } from '../config.ts';
import { openDatabase } from '../db/database.ts';
import { createDeps } from '../deps.ts';
import { deliverPending } from '../engine/outbox.ts';
import { multipartBody } from '../files/multipart-body.ts';
import { createSmtpMailer } from '../mail/mailer.ts';
import type { Deps } from '../shared/context.ts';
import {
  buildScope,
  buildUser,
  createMigratedDatabase,
  json,
  TEST_PASSWORD,
  TestClock,
  type TestDatabase,
  type TestUser,
} from '../test/harness.ts';
import { startS3 } from '../test/s3-server.ts';
import { runDueReminders } from './reminder.service.ts';
import { runSweeps } from './sweeps.ts';

/**
 * Two app instances against one PostgreSQL database, as behind a reverse proxy (README: several instances): each
 * with its own connection pool, HTTP app and event bus, sharing the database, the clock of the test and the S3 bucket
 * of PRAXIS_FILES_URL. A session made on one works on the other, sign-in attempts count against one budget, a file
 * uploaded through one downloads through the other, and the background work that every instance runs (sweeps, mailed reminders, the outbox) does each thing once
 * when both run it at the same time.
 */
describe('two app instances on one PostgreSQL database', () => {
  const clock = new TestClock(new Date('2026-03-02T09:00:00.000Z'));
  let s3: Awaited<ReturnType<typeof startS3>>;
  let db: TestDatabase;
  let spool: string;
  let a: { deps: Deps; app: FastifyInstance };
  let b: { deps: Deps; app: FastifyInstance };
  let closeB: () => Promise<void>;
  let scopeId: string;
  let manager: TestUser;
  let failing = false;

  beforeAll(async () => {
    s3 = await startS3();
    db = await createMigratedDatabase('postgres');
    spool = fs.mkdtempSync(path.join(os.tmpdir(), 'praxis-instances-'));
    // what must match between the instances: the database and the file store; each may spool in a directory of its own
    const configOf = (name: string): Config => ({
      ...db.config,
      dataDir: path.join(spool, name),
      filesUrl: s3.url('instances'),
    });
    const depsA = createDeps(configOf('a'), db.database, clock);
    const second = openDatabase(db.config, { poolSize: 5 });
    const depsB = createDeps(configOf('b'), second, clock);
    a = { deps: depsA, app: await buildApp(depsA) };
    b = { deps: depsB, app: await buildApp(depsB) };
    closeB = async () => {
      await b.app.close();
      await second.destroy();
    };
    ({
      scope: { id: scopeId },
      manager,
    } = await buildScope(depsA));
    // instance A's hand-off receivers can be made to fail, as if it died before delivering
    depsA.events.on('incident.reported', async () => {
      if (failing) throw new Error('instance went away');
    });
  });
  afterAll(async () => {
    await a?.app.close();
    await closeB?.();
    await db?.destroy();
    await s3?.close();
    if (spool) fs.rmSync(spool, { recursive: true, force: true });
  });

  const cookieOf = (res: LightMyRequestResponse) => {
    const c = res.cookies.find((x) => x.name === 'praxis_session');
    return `${c?.name}=${c?.value}`;
  };

  it('keeps a session made on one instance valid on the other, and a sign-out on either ends it on both', async () => {
    const user = await buildUser(a.deps, { memberships: [[scopeId, 'contributor']] });
    const login = await a.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: user.email, password: TEST_PASSWORD } });
    expect(login.statusCode, login.body).toBe(200);
    const cookie = cookieOf(login);
    const { csrfToken } = json(login);
    const onB = await b.app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie } });
    expect(onB.statusCode).toBe(200);
    expect(json(onB).user.email).toBe(user.email);
    // a cookie-authenticated write on B with the CSRF token that A issued
    const write = await b.app.inject({
      method: 'POST',
      url: '/api/me/tokens',
      headers: { cookie, 'x-csrf-token': csrfToken },
      payload: { name: 'made on B' },
    });
    expect(write.statusCode, write.body).toBe(201);
    const logout = await b.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie, 'x-csrf-token': csrfToken } });
    expect(logout.statusCode).toBe(204);
    expect((await a.app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie } })).statusCode).toBe(401);
  });

  it('counts sign-in attempts against one budget on both instances', async () => {
    const login = (app: FastifyInstance, email: string, password: string, address: string) =>
      app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password }, remoteAddress: address });
    // wrong passwords for one account, alternating between the instances and coming from many addresses: ten in all
    const user = await buildUser(a.deps);
    const codes: number[] = [];
    for (let i = 0; i < 11; i++)
      codes.push((await login(i % 2 ? b.app : a.app, user.email, `guess ${i}`, `198.51.100.${i + 1}`)).statusCode);
    expect(codes.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(codes[10]).toBe(429);
    // the right password is refused too while the account is limited, on either instance
    const right = await login(a.app, user.email, TEST_PASSWORD, '198.51.100.99');
    expect(right.statusCode).toBe(429);
    expect(json(right).error.code).toBe('rate_limited');

    // one address spraying many accounts, alternating between the instances: twenty in all
    const sprayed: number[] = [];
    for (let i = 0; i < 21; i++) {
      sprayed.push((await login(i % 2 ? a.app : b.app, `nobody-${i}@spray.example`, 'Winter2026!', '203.0.113.7')).statusCode);
    }
    expect(sprayed.slice(0, 20)).toEqual(Array(20).fill(401));
    expect(sprayed[20]).toBe(429);
  });

  it('downloads through one instance a file uploaded through the other (the shared bucket)', async () => {
    const content = Buffer.from('%PDF-1.7\nAccess review of the finance share\n%%EOF\n');
    const body = multipartBody({ name: 'access-review.pdf', content }, { title: 'Access review', evidenceDate: '2026-02-27' });
    const up = await a.app.inject({
      method: 'POST',
      url: `/api/scopes/${scopeId}/evidence`,
      headers: { ...manager.headers, ...body.headers },
      payload: body.payload,
    });
    expect(up.statusCode, up.body).toBe(201);
    const e = json(up);
    const down = await b.app.inject({ method: 'GET', url: `/api/scopes/${scopeId}/evidence/${e.id}/file`, headers: manager.headers });
    expect(down.statusCode).toBe(200);
    expect(down.rawPayload.equals(content)).toBe(true);
    // deleted through B: the object goes from the bucket, and A no longer finds the record
    expect(
      (await b.app.inject({ method: 'DELETE', url: `/api/scopes/${scopeId}/evidence/${e.id}?version=1`, headers: manager.headers }))
        .statusCode,
    ).toBe(204);
    expect((await s3.keys('instances')).filter((k) => k?.endsWith(e.sha256))).toEqual([]);
    expect(
      (await a.app.inject({ method: 'GET', url: `/api/scopes/${scopeId}/evidence/${e.id}/file`, headers: manager.headers })).statusCode,
    ).toBe(404);
  });

  it('delivers each outbox hand-off once when both instances deliver at the same time', async () => {
    // reports whose hand-off did not run on A (its receivers failed): each waits in the outbox
    failing = true;
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await a.app.inject({
        method: 'POST',
        url: `/api/scopes/${scopeId}/incidents`,
        headers: manager.headers,
        payload: { title: `Phishing wave ${i}` },
      });
      expect(res.statusCode, res.body).toBe(201);
      ids.push(json(res).id);
    }
    failing = false;
    clock.advance(3_600_000); // past the retry delay
    const delivered = await Promise.all([deliverPending(a.deps), deliverPending(b.deps), deliverPending(b.deps), deliverPending(a.deps)]);
    expect(delivered.reduce((n, d) => n + d, 0)).toBe(ids.length);
    const triage = await a.deps.db
      .selectFrom('task')
      .select(['origin_record_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('origin_record_type', '=', 'incident')
      .where('origin_record_id', 'in', ids)
      .where('purpose', '=', 'triage')
      .groupBy('origin_record_id')
      .execute();
    expect(triage).toHaveLength(ids.length);
    expect(triage.every((r) => Number(r.n) === 1)).toBe(true);
    expect(await deliverPending(b.deps)).toBe(0);
  });

  it('runs the sweeps on both instances at the same time and makes each follow-up once', async () => {
    // a full organisation: policies with review dates, records, trainings, measures, acceptances and cadences
    clock.current = new Date('2026-03-02T09:00:00.000Z');
    const demo = await a.app.inject({ method: 'POST', url: `/api/scopes/${scopeId}/demo`, headers: manager.headers });
    expect(demo.statusCode, demo.body).toBe(201);
    // thirteen months later, everything recurring is due again
    clock.current = new Date('2027-04-05T07:00:00.000Z');
    const at = clock.now().toISOString();
    const runs = await Promise.all([runSweeps(a.deps), runSweeps(b.deps), runSweeps(a.deps), runSweeps(b.deps)]);
    // no instance failed at a sweep (a lost race is skipped, not an error)
    for (const run of runs) expect(Object.values(run).filter((n) => n < 0)).toEqual([]);
    const made = (name: string) => runs.reduce((n, r) => n + (r[name] ?? 0), 0);

    // each cadence occurrence exists once, with one task
    const occurrences = await a.deps.db
      .selectFrom('cadence_occurrence')
      .select([
        'source',
        'record_id',
        'occurs_on',
        (eb) => eb.fn.countAll<number>().as('n'),
        (eb) => eb.fn.count<number>('task_id').as('tasks'),
      ])
      .where('scope_id', '=', scopeId)
      .where('created_at', '=', at)
      .groupBy(['source', 'record_id', 'occurs_on'])
      .execute();
    expect(occurrences.length).toBeGreaterThan(0);
    expect(occurrences.filter((o) => Number(o.n) !== 1 || Number(o.tasks) !== 1)).toEqual([]);
    expect(made('cadences')).toBeGreaterThanOrEqual(occurrences.length);

    // each follow-up task exists once per record and purpose, and the sweeps counted each once
    const tasks = await a.deps.db
      .selectFrom('task')
      .select(['origin_record_type', 'origin_record_id', 'purpose', (eb) => eb.fn.countAll<number>().as('n')])
      .where('scope_id', '=', scopeId)
      .where('created_at', '=', at)
      .groupBy(['origin_record_type', 'origin_record_id', 'purpose'])
      .execute();
    expect(tasks.filter((t) => Number(t.n) !== 1)).toEqual([]);
    const count = (pred: (t: (typeof tasks)[number]) => boolean) => tasks.filter(pred).length;
    const reviewTasks = count((t) => t.origin_record_type === 'document' && t.purpose === 'review');
    const acknowledgementReminders = count((t) => t.origin_record_type === 'document_version' && !!t.purpose?.startsWith('acknowledge:'));
    expect(reviewTasks).toBeGreaterThan(0);
    expect(acknowledgementReminders).toBeGreaterThan(0);
    expect(made('document-review-due')).toBe(reviewTasks);
    expect(made('document-acknowledgement-reminders')).toBe(acknowledgementReminders);

    // a step that follows another (an occurrence replaced by a newer one is closed on the next run) may take one more
    // run; after that, a run on either instance finds nothing left to do, and still nothing exists twice
    let rounds = 0;
    for (;;) {
      const again = await Promise.all([runSweeps(b.deps), runSweeps(a.deps)]);
      for (const run of again) expect(Object.values(run).filter((n) => n < 0)).toEqual([]);
      if (again.every((run) => Object.values(run).every((n) => n === 0))) break;
      expect(++rounds).toBeLessThan(3);
    }
    const twice = await a.deps.db
      .selectFrom('task')
      .select(['origin_record_type', 'origin_record_id', 'purpose', (eb) => eb.fn.countAll<number>().as('n')])
      .where('scope_id', '=', scopeId)
      .where('status', 'in', ['open', 'in_progress'])
      .where('purpose', 'is not', null)
      .groupBy(['origin_record_type', 'origin_record_id', 'purpose'])
      .having((eb) => eb.fn.countAll(), '>', 1)
      .execute();
    expect(twice).toEqual([]);
  });

  it('sends each due reminder once when both instances run the mail job at the same time', async () => {
    const received: string[] = [];
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, callback) {
        let data = '';
        stream.on('data', (c: Buffer) => {
          data += c.toString();
        });
        stream.on('end', () => {
          received.push(`${session.envelope.rcptTo.map((r) => r.address).join(',')}|${data.match(/Subject: (.*)/)?.[1]}`);
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const mailer = createSmtpMailer(`smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`, 'Praxis <praxis@example.com>');
    try {
      clock.current = new Date('2027-05-03T08:00:00.000Z');
      const handler = await buildUser(a.deps, { memberships: [[scopeId, 'contributor']] });
      const ids: string[] = [];
      for (let i = 0; i < 4; i++) {
        const id = json(
          await a.app.inject({
            method: 'POST',
            url: `/api/scopes/${scopeId}/incidents`,
            headers: handler.headers,
            payload: { title: `Breach ${i}` },
          }),
        ).id;
        ids.push(id);
        const triage = await b.app.inject({
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
        expect(triage.statusCode, triage.body).toBe(200);
      }
      clock.current = new Date('2027-05-10T08:00:00.000Z'); // every warning and escalation is due
      // every due reminder of the installation (the demo's too): each must go out once
      const due = await a.deps.db
        .selectFrom('reminder')
        .select('id')
        .where('status', '=', 'pending')
        .where('send_at', '<=', clock.now().toISOString())
        .execute();
      expect((await a.deps.db.selectFrom('reminder').select('id').where('record_id', 'in', ids).execute()).length).toBeGreaterThanOrEqual(
        8,
      );
      const results = await Promise.all([
        runDueReminders(a.deps, mailer, { limit: 5 }),
        runDueReminders(b.deps, mailer, { limit: 5 }),
        runDueReminders(a.deps, mailer, { limit: 5 }),
        runDueReminders(b.deps, mailer, { limit: 5 }),
      ]);
      let sent = results.reduce((n, r) => n + r.sent, 0);
      for (let more = await runDueReminders(b.deps, mailer); more.sent > 0; more = await runDueReminders(a.deps, mailer)) sent += more.sent;
      // each reminder was sent once (or cancelled once, when its recipient is no longer an active user)
      const statuses = await a.deps.db
        .selectFrom('reminder')
        .select(['status', sql<number>`count(*)`.as('n'), sql<number>`sum(attempts)`.as('attempts')])
        .where(
          'id',
          'in',
          due.map((r) => r.id),
        )
        .groupBy('status')
        .orderBy('status')
        .execute();
      const byStatus = Object.fromEntries(statuses.map((s) => [s.status, Number(s.n)]));
      expect(Object.keys(byStatus).filter((s) => s !== 'sent' && s !== 'cancelled')).toEqual([]);
      expect(byStatus.sent).toBe(sent);
      expect(statuses.every((s) => Number(s.attempts) === Number(s.n))).toBe(true);
      expect(sent + (byStatus.cancelled ?? 0)).toBe(due.length);
      // one mail per reminder sent, none twice
      expect(received).toHaveLength(sent);
    } finally {
      mailer.close();
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    }
  });
});
