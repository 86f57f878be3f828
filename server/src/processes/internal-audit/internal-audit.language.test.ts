import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iso27001ClauseGroupTitlesDe, iso27001ClauseTitlesDe } from '../../catalogs/iso27001-clauses.de.ts';
import { pdfText } from '../../test/document-text.ts';
import { buildUser, createScopeContext, dialects, json, type TestContext, type TestUser } from '../../test/harness.ts';
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

  const send = async (method: 'GET' | 'POST', url: string, user: TestUser, language?: string, payload?: object) => {
    const res = await t.app.inject({
      method,
      url,
      headers: { ...user.headers, ...(language && { 'accept-language': language }) },
      ...(payload && { payload }),
    });
    expect(res.statusCode, res.body.slice(0, 500)).toBeLessThan(300);
    return res;
  };

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
