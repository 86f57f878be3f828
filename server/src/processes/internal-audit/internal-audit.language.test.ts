import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iso27001ClauseGroupTitlesDe, iso27001ClauseTitlesDe } from '../../catalogs/iso27001-clauses.de.ts';
import { pdfText } from '../../test/document-text.ts';
import {
  buildScope,
  buildUser,
  createScopeContext,
  createTestContext,
  dialects,
  json,
  type TestContext,
  type TestUser,
  requester,
} from '../../test/harness.ts';
import { readConflict, shownConflict } from './independence-texts.ts';
import { clauseGroupTitle, clauseTitle, iso27001ClauseGroups, iso27001Clauses } from './iso27001-clauses.ts';

describe('ISO/IEC 27001 clause titles of the German edition', () => {
  it('has a German title for every clause 4.1–10.2 and every clause group 4–10', () => {
    expect(Object.keys(iso27001ClauseTitlesDe).sort()).toEqual(iso27001Clauses.map((c) => c.clause).sort());
    for (const c of iso27001Clauses) {
      const german = clauseTitle(c.clause, 'de');
      expect(german, c.clause).not.toBe(c.title);
      expect(german?.trim().length, c.clause).toBeGreaterThan(0);
      expect(clauseTitle(c.clause, 'en')).toBe(c.title);
    }
    expect(Object.keys(iso27001ClauseGroupTitlesDe).sort()).toEqual(Object.keys(iso27001ClauseGroups).sort());
    expect(clauseTitle('4.1', 'de')).toBe('Verstehen der Organisation und ihres Kontextes');
    expect(clauseTitle('10.2', 'de')).toBe('Nichtkonformität und Korrekturmaßnahmen');
    expect(clauseGroupTitle('4', 'de')).toBe('Kontext der Organisation');
    expect(clauseGroupTitle('4', 'en')).toBe('Context of the organization');
    expect(clauseTitle('11.1', 'de')).toBeNull();
  });
});

/**
 * An audit's checklist, criteria, programme and report give the standard's clause titles (and the built-in Annex A's
 * control titles) in the reader's language: German for `Accept-Language: de` or an account that says German, English
 * otherwise. The rows are stored in English.
 */
describe.each(dialects)('the internal audit in the reader’s language on %s', (dialect) => {
  let t: TestContext;
  let scopeId: string;
  let manager: TestUser;
  /** a manager whose account says German: their requests carry no Accept-Language */
  let german: TestUser;
  let requirementId: string;
  let auditId: string;

  const send = requester(() => t).sendIn;

  beforeAll(async () => {
    ({ t, scopeId, manager } = await createScopeContext(dialect));
    german = await buildUser(t.deps, { name: 'Deutschsprachige Managerin', memberships: [[scopeId, 'manager']] });
    const set = await t.app.inject({ method: 'PATCH', url: '/api/me', headers: german.headers, payload: { language: 'de' } });
    expect(set.statusCode, set.body).toBe(200);
    requirementId = (
      await t.deps.db.selectFrom('catalog_requirement').select('id').where('identifier', '=', 'A.5.18').executeTakeFirstOrThrow()
    ).id;
  });
  afterAll(async () => t?.close());

  it('plans an audit for a German reader: the checklist and the criteria in the German edition’s words', async () => {
    const created = json(
      await send('POST', `/api/scopes/${scopeId}/audits`, manager, 'de-DE,de;q=0.9', {
        title: 'Kontext und Zugriffsrechte',
        scope: 'Zentrale',
        criteria: { clauses: ['10.2', '4.1', '9.2'], requirementIds: [requirementId], processes: [] },
        plannedStart: '2026-03-01',
        plannedEnd: '2026-03-03',
      }),
    );
    auditId = created.id;
    const germanRows = [
      '4.1 Verstehen der Organisation und ihres Kontextes',
      '9.2 Internes Audit',
      '10.2 Nichtkonformität und Korrekturmaßnahmen',
      'A.5.18 Zugangsrechte',
    ];
    expect(created.checklist.map((i: { title: string }) => i.title)).toEqual(germanRows);
    expect(created.criteria.clauses).toEqual([
      { clause: '4.1', title: 'Verstehen der Organisation und ihres Kontextes' },
      { clause: '9.2', title: 'Internes Audit' },
      { clause: '10.2', title: 'Nichtkonformität und Korrekturmaßnahmen' },
    ]);
    expect(created.criteria.requirements).toEqual([{ id: requirementId, identifier: 'A.5.18', title: 'Zugangsrechte' }]);

    // the account's language without a header, and the header for anyone else
    const read = json(await send('GET', `/api/scopes/${scopeId}/audits/${auditId}`, german));
    expect(read.checklist.map((i: { title: string }) => i.title)).toEqual(germanRows);
    expect(read.checklist[3].requirement.title).toBe('Zugangsrechte');

    // stored in English; an English reader gets the English titles
    const stored = await t.deps.db
      .selectFrom('internal_audit_item')
      .select('title')
      .where('audit_id', '=', auditId)
      .orderBy('position')
      .execute();
    expect(stored.map((r) => r.title)).toEqual([
      '4.1 Understanding the organization and its context',
      '9.2 Internal audit',
      '10.2 Nonconformity and corrective action',
      'A.5.18 Access rights',
    ]);
    const english = json(await send('GET', `/api/scopes/${scopeId}/audits/${auditId}`, manager, 'en'));
    expect(english.checklist.map((i: { title: string }) => i.title)).toEqual(stored.map((r) => r.title));
    expect(english.criteria.clauses[0]).toEqual({ clause: '4.1', title: 'Understanding the organization and its context' });
  });

  it('names the clauses and the clause areas of the audit programme in German', async () => {
    const programme = json(await send('GET', `/api/scopes/${scopeId}/audit-programme`, german));
    expect(programme.clauses.find((c: { clause: string }) => c.clause === '4.1').title).toBe(
      'Verstehen der Organisation und ihres Kontextes',
    );
    for (const c of programme.clauses) expect(c.title, c.clause).toBe(iso27001ClauseTitlesDe[c.clause]);
    expect(programme.areas.find((a: { area: string }) => a.area === '4').title).toBe('Abschnitt 4 Kontext der Organisation');

    const english = json(await send('GET', `/api/scopes/${scopeId}/audit-programme`, manager, 'en'));
    expect(english.clauses.find((c: { clause: string }) => c.clause === '4.1').title).toBe(
      'Understanding the organization and its context',
    );
    expect(english.areas.find((a: { area: string }) => a.area === '4').title).toBe('Clause 4 Context of the organization');
  });

  it('writes the audit report with the German clause titles for a German reader', async () => {
    const text = (await pdfText((await send('GET', `/api/scopes/${scopeId}/audits/${auditId}/report.pdf`, german)).rawPayload)).replace(
      /\s+/g,
      ' ',
    );
    expect(text).toContain('Verstehen der Organisation und ihres Kontextes');
    expect(text).not.toContain('Understanding the organization');
    const english = (
      await pdfText((await send('GET', `/api/scopes/${scopeId}/audits/${auditId}/report.pdf`, manager, 'en')).rawPayload)
    ).replace(/\s+/g, ' ');
    expect(english).toContain('Understanding the organization and its context');
  });
});

describe('a conflict of independence read back from its stored sentence', () => {
  it('reads who owns which process or control, words it for the reader, and keeps a sentence it cannot read as stored', () => {
    expect(readConflict('Ada Auditor owns the process Risk assessment')).toEqual({
      name: 'Ada Auditor',
      owned: { kind: 'process', key: 'risk-assessment' },
    });
    expect(readConflict('Carla Owner owns control CTL-0003 Backups of the owner’s laptops')).toEqual({
      name: 'Carla Owner',
      owned: { kind: 'control', reference: 'CTL-0003', title: 'Backups of the owner’s laptops' },
    });
    expect(shownConflict('de', 'Ada Auditor owns the process Risk assessment', 'Ada Neu')).toBe(
      'Ada Neu ist für den Prozess Risikobeurteilung verantwortlich',
    );
    // the account is gone: the name as recorded
    expect(shownConflict('de', 'Ada Auditor owns the process Records control', null)).toBe(
      'Ada Auditor ist für den Prozess Lenkung von Aufzeichnungen verantwortlich',
    );
    expect(shownConflict('en', 'Carla Owner owns control CTL-0003 Backups', 'Carla Owner')).toBe(
      'Carla Owner owns control CTL-0003 Backups',
    );
    expect(readConflict('Ada Auditor owns the process Something else')).toBeNull();
    expect(shownConflict('de', 'Ada leads the team', 'Ada')).toBe('Ada leads the team');
  });
});

/**
 * An audit's conflicts of independence (ISO 27001 9.2.2 c) in the reader's language: the refusal that asks for a
 * justification, the recorded conflicts of the audit and its report. The conflict is stored as the English sentence
 * Praxis always wrote (no migration); an earlier justification is found again by who owns which process or control, not
 * by the sentence, so a renamed person or control keeps it.
 */
describe.each(dialects)('the internal audit’s independence in the reader’s language on %s', (dialect) => {
  let t: TestContext;
  let scopeId: string;
  let base: string;
  let german: TestUser;
  let owner: TestUser;
  let requirementId: string;

  const send = (method: 'GET' | 'POST' | 'PATCH', url: string, user: TestUser, language?: string, payload?: object) =>
    t.app.inject({
      method,
      url,
      headers: { ...user.headers, ...(language && { 'accept-language': language }) },
      ...(payload && { payload }),
    });
  const ok = async (...args: Parameters<typeof send>) => {
    const res = await send(...args);
    expect(res.statusCode, res.body.slice(0, 500)).toBeLessThan(300);
    return json(res);
  };
  const stored = async (auditId: string) =>
    (
      await t.deps.db
        .selectFrom('internal_audit_independence')
        .select('conflict')
        .where('audit_id', '=', auditId)
        .orderBy('conflict')
        .execute()
    ).map((r) => r.conflict);

  beforeAll(async () => {
    t = await createTestContext(dialect);
    const built = await buildScope(t.deps, { profile: 'small' });
    scopeId = built.scope.id;
    base = `/api/scopes/${scopeId}/audits`;
    german = await buildUser(t.deps, { name: 'Deutschsprachige Managerin', memberships: [[scopeId, 'manager']] });
    expect((await send('PATCH', '/api/me', german, undefined, { language: 'de' })).statusCode).toBe(200);
    owner = await buildUser(t.deps, { name: 'Carla Owner', memberships: [[scopeId, 'contributor']] });
    await t.deps.db
      .updateTable('scope_process')
      .set({ owner_id: owner.id })
      .where('scope_id', '=', scopeId)
      .where('process_key', 'in', ['risk-assessment', 'risk-treatment'])
      .execute();
    requirementId = (
      await t.deps.db.selectFrom('catalog_requirement').select('id').where('identifier', '=', 'A.5.18').executeTakeFirstOrThrow()
    ).id;
  });
  afterAll(async () => t?.close());

  it('asks a German reader in German, records the English sentence, and shows the conflicts and the report in the reader’s words', async () => {
    const control = await ok('POST', `/api/scopes/${scopeId}/controls`, german, undefined, {
      title: 'Access reviews',
      ownerId: owner.id,
      requirementIds: [requirementId],
    });
    const plan = {
      title: 'Risikoprozesse',
      scope: 'Zentrale',
      leadAuditorId: owner.id,
      criteria: { clauses: [], requirementIds: [requirementId], processes: ['risk-assessment'] },
      plannedStart: '2026-03-01',
      plannedEnd: '2026-03-03',
    };
    const processDe = 'Carla Owner ist für den Prozess Risikobeurteilung verantwortlich';
    const controlDe = `Carla Owner ist für die Maßnahme ${control.reference} Access reviews verantwortlich`;

    // the refusal that asks why the audit stays objective names the conflicts in German
    const asked = await send('POST', base, german, 'de-DE,de;q=0.9', plan);
    expect(asked.statusCode).toBe(400);
    const error = json(asked).error;
    expect(error.field).toBe('body.independenceJustification');
    expect(error.message).toContain(processDe);
    expect(error.message).toContain(controlDe);
    expect(error.message).not.toMatch(/owns|Risk assessment/);
    expect(error.details.conflicts).toEqual(
      expect.arrayContaining([
        { userId: owner.id, name: 'Carla Owner', process: 'risk-assessment', conflict: processDe },
        { userId: owner.id, name: 'Carla Owner', control: control.reference, conflict: controlDe },
      ]),
    );
    // … and in English for an English reader
    const englishReader = await buildUser(t.deps, { name: 'English Manager', memberships: [[scopeId, 'manager']] });
    const askedEn = json(await send('POST', base, englishReader, 'en', plan)).error.message;
    expect(askedEn).toContain('Carla Owner owns the process Risk assessment');

    const audit = await ok('POST', base, german, undefined, { ...plan, independenceJustification: 'Zwei Personen arbeiten hier.' });
    const conflicts = (a: { independence: { conflict: string }[] }) => a.independence.map((j) => j.conflict).sort();
    expect(conflicts(audit)).toEqual([processDe, controlDe].sort());
    // stored as the English sentence Praxis always wrote
    const english = ['Carla Owner owns the process Risk assessment', `Carla Owner owns control ${control.reference} Access reviews`].sort();
    expect(await stored(audit.id)).toEqual(english);
    expect(conflicts(await ok('GET', `${base}/${audit.id}`, german))).toEqual([processDe, controlDe].sort());
    expect(conflicts(await ok('GET', `${base}/${audit.id}`, german, 'en'))).toEqual([processDe, controlDe].sort()); // the setting wins
    expect(conflicts(await ok('GET', `${base}/${audit.id}`, englishReader, 'en'))).toEqual(english);

    // the report names the audited process and the conflicts in German
    const report = (await pdfText((await send('GET', `${base}/${audit.id}/report.pdf`, german)).rawPayload)).replace(/\s+/g, ' ');
    expect(report).toContain('Risikobeurteilung');
    expect(report).toContain('ist für den Prozess');
    expect(report).not.toMatch(/risk-assessment|Risk assessment|owns/);

    // the person and the control renamed: the justification still covers them (matched on who owns what), and the
    // audit shows the person's current name
    await t.deps.db.updateTable('app_user').set({ name: 'Carla Neu' }).where('id', '=', owner.id).execute();
    await t.deps.db.updateTable('control').set({ title: 'Zugriffsprüfungen' }).where('id', '=', control.id).execute();
    const kept = await ok('PATCH', `${base}/${audit.id}`, german, undefined, { version: audit.version, teamIds: [] });
    expect(conflicts(kept)).toContain('Carla Neu ist für den Prozess Risikobeurteilung verantwortlich');
    expect(await stored(audit.id)).toEqual(english);

    // a process added to the criteria is a conflict of its own: only it needs a justification
    const criteria = { ...plan.criteria, processes: ['risk-assessment', 'risk-treatment'] };
    const again = await send('PATCH', `${base}/${audit.id}`, german, undefined, { version: kept.version, criteria });
    expect(again.statusCode).toBe(400);
    expect(json(again).error.message).toContain('Carla Neu ist für den Prozess Risikobehandlung verantwortlich');
    expect(json(again).error.message).not.toMatch(/Risikobeurteilung|Maßnahme/);
    const justified = await ok('PATCH', `${base}/${audit.id}`, german, undefined, {
      version: kept.version,
      criteria,
      independenceJustification: 'Die Geschäftsführung prüft die Ergebnisse.',
    });
    expect(conflicts(justified)).toContain('Carla Neu ist für den Prozess Risikobehandlung verantwortlich');
    expect(await stored(audit.id)).toEqual([...english, 'Carla Neu owns the process Risk treatment'].sort());
  });
});
