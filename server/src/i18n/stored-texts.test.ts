import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { up as migration0032 } from '../db/migrations/0032_effectiveness_result_key.ts';
import { up as migration0033 } from '../db/migrations/0033_incident_event_text_key.ts';
import JSZip from 'jszip';
import { processDefinitions } from '../isms/process-model.ts';
import { defaultMethod } from '../processes/risk-assessment/risk-method.ts';
import { methodAsStored, methodIn } from '../processes/risk-assessment/risk-method.texts.ts';
import { multipartBody } from '../files/multipart-body.ts';
import { docxText, pdfText } from '../test/document-text.ts';
import { hasText, translate } from './i18n.ts';
import { buildUser, createScopeContext, dialects, json, type HttpMethod, type TestContext, type TestUser } from '../test/harness.ts';

/**
 * Texts that the server composes and stores are keys with parameters, rendered in the reader's language on the page
 * (the API), in the exports and in the audit pack; the English rendering stays beside the key. Rows written before are
 * migrated where their English sentence can be read back, and shown as stored where it cannot.
 */
describe.each(dialects)('stored texts in the reader’s language on %s', (dialect) => {
  let t: TestContext;
  let scopeId: string;
  let manager: TestUser;
  /** a manager whose account says German: their requests carry no Accept-Language */
  let german: TestUser;

  beforeAll(async () => {
    ({ t, scopeId, manager } = await createScopeContext(dialect));
    german = await buildUser(t.deps, { name: 'Deutschsprachige Managerin', memberships: [[scopeId, 'manager']] });
    const set = await t.app.inject({ method: 'PATCH', url: '/api/me', headers: german.headers, payload: { language: 'de' } });
    expect(set.statusCode, set.body).toBe(200);
  });
  afterAll(async () => t?.close());

  const send = async (method: HttpMethod, url: string, user: TestUser, payload?: object, status = 200) => {
    const res = await t.app.inject({ method, url, headers: user.headers, ...(payload && { payload }) });
    expect(res.statusCode, res.body.slice(0, 500)).toBe(status);
    return res;
  };
  const ok = async (method: HttpMethod, url: string, user: TestUser, payload?: object, status = 200) =>
    json(await send(method, url, user, payload, status));
  const csvRows = (body: string) =>
    body
      .trim()
      .split('\n')
      .map((line) => line.split(','));

  const ncBase = () => `/api/scopes/${scopeId}/nonconformities`;

  /** a nonconformity with its root cause and a corrective action done, waiting for its effectiveness check */
  async function waitingForCheck(title: string) {
    let nc = await ok('POST', ncBase(), manager, { title, source: 'manual', severity: 'minor' }, 201);
    nc = await ok('PATCH', `${ncBase()}/${nc.id}`, manager, { version: nc.version, rootCause: ['No test plan'] });
    nc = await ok('POST', `${ncBase()}/${nc.id}/corrective-actions`, manager, { title: `Action for ${title}` });
    const task = (await ok('GET', `/api/scopes/${scopeId}/tasks?q=${encodeURIComponent(`Action for ${title}`)}`, manager)).items[0];
    await ok('PATCH', `/api/scopes/${scopeId}/tasks/${task.id}`, manager, { version: task.version, status: 'done' });
    nc = await ok('GET', `${ncBase()}/${nc.id}`, manager);
    return ok('POST', `${ncBase()}/${nc.id}/effectiveness-check`, manager, { version: nc.version, effectivenessDueOn: '2026-09-01' });
  }

  describe('b) the outcome of an effectiveness check', () => {
    const base = () => `/api/scopes/${scopeId}/nonconformities`;

    it('is stored as a key with the note, and read in German on the page and in the CSV; in English as before', async () => {
      const nc = await waitingForCheck('Backups not tested');
      // the German manager records the check: the answer is in German already
      const checked = await ok('POST', `${base()}/${nc.id}/effectiveness`, german, {
        version: nc.version,
        effective: true,
        note: 'Restore im Mai gelungen',
      });
      expect(checked).toMatchObject({
        status: 'closed',
        effectivenessOutcome: 'effective',
        effectivenessNote: 'Restore im Mai gelungen',
        effectivenessResult: 'Wirksam: Restore im Mai gelungen',
      });
      const row = await t.deps.db
        .selectFrom('nonconformity')
        .select(['effectiveness_result', 'effectiveness_result_key', 'effectiveness_result_params'])
        .where('id', '=', nc.id)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({
        effectiveness_result: 'Effective: Restore im Mai gelungen',
        effectiveness_result_key: 'improvement:effectiveness.effective',
        effectiveness_result_params: JSON.stringify({ note: 'Restore im Mai gelungen' }),
      });
      expect((await ok('GET', `${base()}/${nc.id}`, manager)).effectivenessResult).toBe('Effective: Restore im Mai gelungen');
      expect((await ok('GET', `${base()}/${nc.id}`, german)).effectivenessResult).toBe('Wirksam: Restore im Mai gelungen');

      // not effective: reopened, worded for each reader
      const other = await waitingForCheck('Access reviews skipped');
      const reopened = await ok('POST', `${base()}/${other.id}/effectiveness`, manager, {
        version: other.version,
        effective: false,
        note: 'Two reviews were skipped',
      });
      expect(reopened).toMatchObject({
        status: 'open',
        effectivenessOutcome: 'not_effective',
        effectivenessResult: 'Not effective: Two reviews were skipped',
      });
      expect((await ok('GET', `${base()}/${other.id}`, german)).effectivenessResult).toBe('Nicht wirksam: Two reviews were skipped');

      // the CSV (also the audit pack's): German for the German reader, the English sentence for the English one
      const [header, ...rows] = csvRows((await send('GET', `${base()}.csv`, german)).body);
      const column = header!.indexOf('Wirksamkeit');
      expect(column).toBeGreaterThan(0);
      const cells = rows.map((r) => r[column]);
      expect(cells).toContain('Wirksam: Restore im Mai gelungen');
      expect(cells).toContain('Nicht wirksam: Two reviews were skipped');
      const english = csvRows((await send('GET', `${base()}.csv`, manager)).body);
      expect(english.flat()).toContain('Effective: Restore im Mai gelungen');
      expect(english.flat()).not.toContain('Wirksam: Restore im Mai gelungen');
    });

    it('migration 0032 reads results written before: the sentences become key and note, another text stays as stored', async () => {
      const effective = await waitingForCheck('Old effective check');
      const closed = await ok('POST', `${base()}/${effective.id}/effectiveness`, manager, {
        version: effective.version,
        effective: true,
        note: 'placeholder',
      });
      const notEffective = await waitingForCheck('Old failed check');
      await ok('POST', `${base()}/${notEffective.id}/effectiveness`, manager, {
        version: notEffective.version,
        effective: false,
        note: 'placeholder',
      });
      const odd = await waitingForCheck('Old hand-written check');
      await ok('POST', `${base()}/${odd.id}/effectiveness`, manager, { version: odd.version, effective: true, note: 'placeholder' });

      // the database as before 0032: no key columns, the results as the service wrote them then
      await sql`alter table nonconformity drop column effectiveness_result_key`.execute(t.deps.db);
      await sql`alter table nonconformity drop column effectiveness_result_params`.execute(t.deps.db);
      const old = async (id: string, text: string) =>
        sql`update nonconformity set effectiveness_result = ${text} where id = ${id}`.execute(t.deps.db);
      await old(closed.id, 'Effective: Restore worked: all 12 files\nchecked by the auditor');
      await old(notEffective.id, 'Not effective: Two reviews were skipped');
      await old(odd.id, 'Checked by the auditor, fine');

      await migration0032(t.deps.db, dialect);

      const read = async (id: string, user: TestUser) => ok('GET', `${base()}/${id}`, user);
      expect(await read(closed.id, german)).toMatchObject({
        effectivenessOutcome: 'effective',
        effectivenessNote: 'Restore worked: all 12 files\nchecked by the auditor',
        effectivenessResult: 'Wirksam: Restore worked: all 12 files\nchecked by the auditor',
      });
      expect((await read(closed.id, manager)).effectivenessResult).toBe('Effective: Restore worked: all 12 files\nchecked by the auditor');
      expect(await read(notEffective.id, german)).toMatchObject({
        effectivenessOutcome: 'not_effective',
        effectivenessResult: 'Nicht wirksam: Two reviews were skipped',
      });
      // not the old form: nothing is lost, it is shown as it was stored
      expect(await read(odd.id, german)).toMatchObject({
        effectivenessOutcome: null,
        effectivenessNote: null,
        effectivenessResult: 'Checked by the auditor, fine',
      });
    });
  });

  describe('c) the entries Praxis writes into an incident’s timeline', () => {
    const base = () => `/api/scopes/${scopeId}/incidents`;
    const texts = (incident: { timeline: { text: string }[] }) => incident.timeline.map((e) => e.text);

    /** an incident reported, triaged, notified, with a responder task, a note, a status change and a lesson handed on */
    async function handled(title: string) {
      const { id } = await ok('POST', base(), manager, { title }, 201);
      let i = await ok('POST', `${base()}/${id}/triage`, manager, {
        version: 1,
        category: 'loss_or_theft',
        severity: 'high',
        impactConfidentiality: true,
        impactIntegrity: false,
        impactAvailability: false,
        personalData: true,
        nis2Significant: false,
      });
      i = await ok('POST', `${base()}/${id}/notifications`, manager, {
        regime: 'gdpr_art33',
        sentAt: new Date().toISOString(),
        recipient: 'Landesdatenschutz',
      });
      i = await ok('POST', `${base()}/${id}/tasks`, manager, { title: 'Revoke the laptop certificates', assigneeId: null, dueOn: null });
      i = await ok('POST', `${base()}/${id}/events`, manager, { kind: 'note', text: 'Called the police' });
      i = await ok('POST', `${base()}/${id}/status`, manager, { version: i.version, status: 'responding', note: 'Wiped remotely' });
      i = await ok('POST', `${base()}/${id}/status`, manager, {
        version: i.version,
        status: 'resolved',
        lessonsLearned: 'Laptops need full-disk encryption',
        followUps: [{ kind: 'risk', title: 'Unencrypted laptops', description: '' }],
      });
      return i as { id: string; reference: string; timeline: { text: string; kind: string }[] };
    }

    it('are keys with parameters: German on the page and in the report, English as before, typed notes as typed', async () => {
      const incident = await handled('Laptop lost on a train');
      const task = incident.timeline.find((e) => e.kind === 'task')!.text.split(' ')[1];
      expect(texts(incident)).toEqual([
        'Reported an incident',
        'Triaged: high loss or theft, personal data involved',
        'GDPR Art. 33 notification to the supervisory authority (72 hours) sent to Landesdatenschutz',
        `Task ${task} assigned: Revoke the laptop certificates`,
        'Called the police',
        'Status triaged → responding: Wiped remotely',
        'Lesson handed to risk assessment: Unencrypted laptops',
        'Status responding → resolved',
      ]);
      const germanTexts = [
        'Sicherheitsvorfall gemeldet',
        'Gesichtet: Schweregrad hoch, Kategorie Verlust oder Diebstahl, personenbezogene Daten betroffen',
        'Meldung nach Art. 33 DSGVO an die Aufsichtsbehörde (72 Stunden) an Landesdatenschutz gesendet',
        `Aufgabe ${task} zugewiesen: Revoke the laptop certificates`,
        'Called the police',
        'Status gesichtet → in Bearbeitung: Wiped remotely',
        'Erkenntnis an die Risikobeurteilung übergeben: Unencrypted laptops',
        'Status in Bearbeitung → behoben',
      ];
      const read = await ok('GET', `${base()}/${incident.id}`, german);
      expect(texts(read)).toEqual(germanTexts);
      expect(read.notifications.find((n: { regime: string }) => n.regime === 'gdpr_art33').label).toBe(
        'Meldung nach Art. 33 DSGVO an die Aufsichtsbehörde (72 Stunden)',
      );
      // the English rendering is stored beside the key
      const stored = await t.deps.db
        .selectFrom('incident_event')
        .select(['text', 'text_key', 'text_params'])
        .where('incident_id', '=', incident.id)
        .where('kind', '=', 'notification')
        .executeTakeFirstOrThrow();
      expect(stored).toEqual({
        text: 'GDPR Art. 33 notification to the supervisory authority (72 hours) sent to Landesdatenschutz',
        text_key: 'incidents:timeline.notificationSent',
        text_params: JSON.stringify({ regime: 'gdpr_art33', recipient: 'Landesdatenschutz' }),
      });
      // the report as DOCX in the reader's language
      const docx = docxText((await send('GET', `${base()}/${incident.id}/report.docx`, german)).rawPayload);
      for (const text of germanTexts) expect(await docx).toContain(text);
      expect(await docx).not.toContain('Reported an incident');
      const englishDocx = await docxText((await send('GET', `${base()}/${incident.id}/report.docx`, manager)).rawPayload);
      expect(englishDocx).toContain('Triaged: high loss or theft, personal data involved');
    });

    it('migration 0033 reads entries written before; typed notes and other texts stay as stored', async () => {
      const incident = await handled('Phone stolen');
      const before = texts(incident);
      // the database as before 0033: the entries' English sentences only (the service wrote these very sentences then)
      await sql`alter table incident_event drop column text_key`.execute(t.deps.db);
      await sql`alter table incident_event drop column text_params`.execute(t.deps.db);
      // a status entry of a form the service never wrote is kept as it is
      await sql`update incident_event set text = ${'Status changed by the old importer'} where incident_id = ${incident.id} and text = ${'Status responding → resolved'}`.execute(
        t.deps.db,
      );

      await migration0033(t.deps.db, dialect);

      expect(texts(await ok('GET', `${base()}/${incident.id}`, manager))).toEqual([
        ...before.slice(0, -1),
        'Status changed by the old importer',
      ]);
      const read = texts(await ok('GET', `${base()}/${incident.id}`, german));
      expect(read).toEqual([
        'Sicherheitsvorfall gemeldet',
        'Gesichtet: Schweregrad hoch, Kategorie Verlust oder Diebstahl, personenbezogene Daten betroffen',
        'Meldung nach Art. 33 DSGVO an die Aufsichtsbehörde (72 Stunden) an Landesdatenschutz gesendet',
        expect.stringMatching(/^Aufgabe TSK-\d+ zugewiesen: Revoke the laptop certificates$/),
        'Called the police',
        'Status gesichtet → in Bearbeitung: Wiped remotely',
        'Erkenntnis an die Risikobeurteilung übergeben: Unencrypted laptops',
        'Status changed by the old importer',
      ]);
      const keys = await t.deps.db
        .selectFrom('incident_event')
        .select(['text', 'text_key'])
        .where('incident_id', '=', incident.id)
        .where('text_key', 'is', null)
        .execute();
      expect(keys.map((k) => k.text).sort()).toEqual(['Called the police', 'Status changed by the old importer']);
    });
  });

  describe('d) the processes in the scope document', () => {
    it('every process has its name in each language, the English one as the process model says', () => {
      for (const p of processDefinitions) {
        expect(hasText(`processes:name.${p.key}`), p.key).toBe(true);
        expect(translate('en', `processes:name.${p.key}`)).toBe(p.name);
        expect(translate('de', `processes:name.${p.key}`), p.key).not.toBe(p.name);
      }
    });

    it('are named in German in the German audit pack’s scope PDF, in English in the English one', async () => {
      const scopePdf = async (user: TestUser) => {
        const zip = await JSZip.loadAsync((await send('GET', `/api/scopes/${scopeId}/audit-pack.zip`, user)).rawPayload);
        return (await pdfText(await zip.file('01-scope/scope.pdf')!.async('uint8array'))).replace(/\s+/g, ' ');
      };
      const inGerman = await scopePdf(german);
      for (const words of ['Managementbewertung (Prüfen)', 'Risikobeurteilung (Planen)', 'Management von Sicherheitsvorfällen (Umsetzen)'])
        expect(inGerman, words).toContain(words);
      expect(inGerman).not.toContain('Management review');
      expect(inGerman).not.toContain('Incident management');
      const inEnglish = await scopePdf(manager);
      expect(inEnglish).toContain('Management review');
      expect(inEnglish).not.toContain('Managementbewertung');
    }, 120_000);
  });

  describe('e) the built-in risk method’s scales and levels', () => {
    const method = () => `/api/scopes/${scopeId}/risk-method`;
    const labels = (levels: { label: string }[]) => levels.map((l) => l.label);

    it('every text of the default methods has its words in each language, and is stored in English again', () => {
      for (const profile of ['small', 'large'] as const) {
        const m = defaultMethod(profile);
        const texts = (x: typeof m) => [
          ...[...x.likelihood, ...x.impact].flatMap((l) => [l.label, l.description]),
          ...x.levels.map((l) => l.label),
        ];
        const inGerman = texts(methodIn(m, 'de'));
        for (const [i, english] of texts(m).entries()) expect(inGerman[i], english).not.toBe(english);
        expect(new Set(inGerman).size).toBe(inGerman.length);
        expect(methodAsStored(methodIn(m, 'de'))).toEqual(m);
        expect(methodIn(m, 'en')).toEqual(m);
      }
    });

    it('are shown in the reader’s language while nobody edited them; a label someone types stays as typed', async () => {
      const de = await ok('GET', method(), german);
      expect(labels(de.likelihood)).toEqual(['Selten', 'Möglich', 'Wahrscheinlich']);
      expect(labels(de.impact)).toEqual(['Begrenzt', 'Beträchtlich', 'Existenzbedrohend']);
      expect(de.impact[2].description).toBe('Schaden, der den Bestand der Organisation bedrohen kann (Schutzbedarf sehr hoch)');
      expect(labels(de.levels)).toEqual(['Niedrig', 'Mittel', 'Hoch']);
      const en = await ok('GET', method(), manager);
      expect(labels(en.likelihood)).toEqual(['Rare', 'Possible', 'Likely']);
      expect(labels(en.levels)).toEqual(['Low', 'Medium', 'High']);

      // a risk scored on it: its level, the list, the heat map and the register CSV in the reader's language
      const risk = await ok(
        'POST',
        `/api/scopes/${scopeId}/risks`,
        manager,
        { title: 'Stolen laptop', currentLikelihood: 3, currentImpact: 3 },
        201,
      );
      expect(risk.current.level.label).toBe('High');
      expect((await ok('GET', `/api/scopes/${scopeId}/risks/${risk.id}`, german)).current.level).toMatchObject({
        key: 'high',
        label: 'Hoch',
      });
      const list = await ok('GET', `/api/scopes/${scopeId}/risks`, german);
      expect(list.items.find((r: { id: string }) => r.id === risk.id).current.level.label).toBe('Hoch');
      const heatmap = await ok('GET', `/api/scopes/${scopeId}/risks/heatmap`, german);
      expect(labels(heatmap.likelihood)).toEqual(['Selten', 'Möglich', 'Wahrscheinlich']);
      expect(labels(heatmap.levels)).toEqual(['Niedrig', 'Mittel', 'Hoch']);
      const [header, ...rows] = csvRows((await send('GET', `/api/scopes/${scopeId}/risks.csv`, german)).body);
      const row = rows.find((r) => r[1] === 'Stolen laptop')!;
      expect(row[header!.indexOf('Aktuelles Risikoniveau')]).toBe('Hoch');
      // a German spreadsheet names the built-in scale values as the German reader sees them
      const file = multipartBody(
        { name: 'risiken.csv', content: 'Titel,Eintrittswahrscheinlichkeit,Auswirkung\nDiebstahl im Lager,Selten,Beträchtlich\n' },
        { dryRun: 'false' },
      );
      const imported = await t.app.inject({
        method: 'POST',
        url: `/api/scopes/${scopeId}/imports/risks`,
        headers: { ...german.headers, ...file.headers },
        payload: file.payload,
      });
      expect(imported.statusCode, imported.body).toBe(200);
      expect(json(imported).summary).toMatchObject({ created: 1, refused: 0 });
      const stolen = (await ok('GET', `/api/scopes/${scopeId}/risks?q=Diebstahl`, german)).items[0];
      expect(stolen.current).toMatchObject({ likelihood: 1, impact: 2, level: { key: 'low', label: 'Niedrig' } });

      // the German manager saves the method as shown with one label of her own: that one stays as typed, the others
      // stay built-in and so speak each reader's language
      const { id: _id, scopeId: _scope, version, current: _c, createdAt: _at, createdBy: _by, ...shown } = de;
      shown.likelihood[0].label = 'Sehr selten';
      shown.levels[2].colour = '#c92a2a';
      const saved = await ok('PUT', method(), german, { ...shown, version });
      expect(labels(saved.likelihood)).toEqual(['Sehr selten', 'Möglich', 'Wahrscheinlich']);
      const stored = await t.deps.db
        .selectFrom('risk_method')
        .select('definition')
        .where('scope_id', '=', scopeId)
        .where('is_current', '=', true)
        .executeTakeFirstOrThrow();
      const definition = JSON.parse(stored.definition);
      expect(labels(definition.likelihood)).toEqual(['Sehr selten', 'Possible', 'Likely']);
      expect(definition.likelihood[1].description).toBe('May happen every few years');
      expect(labels(definition.levels)).toEqual(['Low', 'Medium', 'High']);
      expect(labels((await ok('GET', method(), manager)).likelihood)).toEqual(['Sehr selten', 'Possible', 'Likely']);
      expect(labels((await ok('GET', method(), german)).levels)).toEqual(['Niedrig', 'Mittel', 'Hoch']);
      // a label typed in English over a built-in key stays as typed for the German reader too
      const en2 = await ok('GET', method(), manager);
      const { id: _i2, scopeId: _s2, version: v2, current: _c2, createdAt: _a2, createdBy: _b2, ...shown2 } = en2;
      shown2.levels[2].label = 'Severe';
      await ok('PUT', method(), manager, { ...shown2, version: v2 });
      expect(labels((await ok('GET', method(), german)).levels)).toEqual(['Niedrig', 'Mittel', 'Severe']);
      const versions = await ok('GET', `${method()}/versions`, german);
      expect(labels(versions.items.at(-1).likelihood)).toEqual(['Selten', 'Möglich', 'Wahrscheinlich']);
    });
  });

  describe('a) the figures of the management-review minutes', () => {
    const base = () => `/api/scopes/${scopeId}/reviews`;
    const today = () => new Date().toISOString().slice(0, 10);
    const later = () => new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);

    /** a review planned today (looking back a year), its inputs compiled, attended by the manager, and held */
    async function held(title: string, chair = manager) {
      let r = await ok('POST', base(), manager, { title, chairId: chair.id, plannedOn: today(), periodFrom: today() }, 201);
      r = await ok('POST', `${base()}/${r.id}/transition`, manager, { version: r.version, to: 'compiled' });
      r = await ok('PATCH', `${base()}/${r.id}`, manager, { version: r.version, attendees: [{ userId: chair.id, present: true }] });
      return ok('POST', `${base()}/${r.id}/transition`, manager, { version: r.version, to: 'held' });
    }

    it('are worded in the reader’s language in the PDF, the DOCX and the audit pack, the level labels on the page too', async () => {
      // records of the period: a risk of a built-in level, a critical incident, a finding checked effective
      await ok('POST', `/api/scopes/${scopeId}/risks`, manager, { title: 'Tailgating', currentLikelihood: 1, currentImpact: 1 }, 201);
      const incident = await ok('POST', `/api/scopes/${scopeId}/incidents`, manager, { title: 'Ransomware on the file server' }, 201);
      await ok('POST', `/api/scopes/${scopeId}/incidents/${incident.id}/triage`, manager, {
        version: 1,
        category: 'malware',
        severity: 'critical',
        impactConfidentiality: false,
        impactIntegrity: true,
        impactAvailability: true,
        personalData: false,
        nis2Significant: false,
      });
      const finding = await waitingForCheck('Restore never tested');
      await ok('POST', `${ncBase()}/${finding.id}/effectiveness`, manager, {
        version: finding.version,
        effective: true,
        note: 'Restore drill passed',
      });
      let first = await held('Review of the first half');
      first = await ok(
        'POST',
        `${base()}/${first.id}/decisions`,
        manager,
        {
          version: first.version,
          kind: 'resource',
          title: 'Budget for encryption',
          ownerId: manager.id,
          dueOn: later(),
        },
        201,
      );
      const second = await held('Review of the year');

      const onPage = await ok('GET', `${base()}/${second.id}`, german);
      const byLevel = Object.fromEntries(onPage.inputs.risks.byLevel.map((l: { level: string; label: string }) => [l.level, l.label]));
      expect(byLevel).toMatchObject({ low: 'Niedrig' });
      const low = onPage.inputs.risks.byLevel.find((l: { level: string }) => l.level === 'low').count;
      // the frozen inputs keep what was compiled (English built-in labels) and still verify
      expect(onPage.inputsVerified).toBe(true);
      expect(
        JSON.parse(
          (await t.deps.db.selectFrom('management_review').select('inputs').where('id', '=', second.id).executeTakeFirstOrThrow()).inputs!,
        ).risks.byLevel.find((l: { level: string }) => l.level === 'low').label,
      ).toBe('Low');

      const lines = (text: string) => text.replace(/\s+/g, ' ');
      const germanFigures = [
        'Nichtkonformitäten: ',
        ' im Zeitraum eröffnet und ',
        'Messungen: Für diesen Zeitraum sind in Praxis keine Messungen erfasst',
        'Audits: Für diesen Zeitraum sind in Praxis keine Audits erfasst',
        'Erfüllung der Ziele: noch nicht in Praxis erfasst, siehe Kommentar',
        'nicht geschlossene Risiken:',
        `Niedrig ${low}`,
        'Behandlungsmaßnahmen: ',
        'kritisch 1',
        'Kostenschätzung der anwendbaren Maßnahmen: 0',
        `${first.reference}: Ressourcenentscheidung „Budget for encryption“`,
        '(offen, Scope manager, fällig ',
      ];
      const docx = lines(await docxText((await send('GET', `${base()}/${second.id}/minutes.docx`, german)).rawPayload));
      for (const words of germanFigures) expect(docx, words).toContain(words);
      for (const english of ['Nonconformities:', 'risks not closed', `Low ${low}`, 'reported in the period'])
        expect(docx).not.toContain(english);
      const pdf = lines(await pdfText((await send('GET', `${base()}/${second.id}/minutes.pdf`, german)).rawPayload));
      for (const words of ['Erfüllung der Ziele', `Niedrig ${low}`, 'im Zeitraum gemeldet', 'kritisch 1'])
        expect(pdf, words).toContain(words);
      const englishDocx = lines(await docxText((await send('GET', `${base()}/${second.id}/minutes.docx`, manager)).rawPayload));
      for (const words of [
        'Nonconformities: ',
        'Measurements: no measurements recorded in Praxis for this period',
        'risks not closed:',
        `Low ${low}`,
        'critical 1',
        `${first.reference}: Resource decision “Budget for encryption”`,
        '(open, Scope manager, due ',
      ])
        expect(englishDocx, words).toContain(words);

      // the audit pack of the German reader: the minutes, the findings CSV and the risk method speak German
      const zip = await JSZip.loadAsync((await send('GET', `/api/scopes/${scopeId}/audit-pack.zip`, german)).rawPayload);
      const minutes = lines(await pdfText(await zip.file(`09-management-review/${second.reference}-minutes.pdf`)!.async('uint8array')));
      for (const words of ['Erfüllung der Ziele', `Niedrig ${low}`, 'nicht geschlossene Risiken']) expect(minutes, words).toContain(words);
      const findings = await zip.file('10-improvement/nonconformities.csv')!.async('string');
      expect(findings).toContain('Wirksam: Restore drill passed');
      expect(findings).not.toContain('Effective: Restore drill passed');
      const method = lines(await pdfText(await zip.file('03-risks/risk-method.pdf')!.async('uint8array')));
      for (const words of ['Möglich', 'Wahrscheinlich', 'Beträchtlich', 'Niedrig', 'Mittel']) expect(method, words).toContain(words);
      expect(method).not.toContain('Possible');
    }, 120_000);

    it('what Praxis writes into records people edit afterwards is written in the words of the German chair', async () => {
      let r = await held('Außerordentliche Bewertung', german);
      r = await ok(
        'POST',
        `${base()}/${r.id}/decisions`,
        german,
        { version: r.version, kind: 'change_request', title: 'Verschlüsselung einführen', ownerId: german.id, dueOn: later() },
        201,
      );
      const change = await ok('GET', `/api/scopes/${scopeId}/changes/${r.decisionList[0].record.id}`, german);
      expect(change.reason).toBe(`Beschlossen in der Managementbewertung ${r.reference} Außerordentliche Bewertung (ISO 27001 9.3.3).`);
      r = await ok('PATCH', `${base()}/${r.id}`, german, { version: r.version, discussion: 'Budget freigegeben.' });
      r = await ok('POST', `${base()}/${r.id}/transition`, german, { version: r.version, to: 'approved' });
      const record = await ok('GET', `/api/scopes/${scopeId}/records/${r.minutesRecord.id}`, german);
      expect(record.title).toBe(`Protokoll von ${r.reference} Außerordentliche Bewertung`);
      expect(record.description).toContain(
        `Freigegebenes Protokoll der Managementbewertung ${r.reference} (ISO 27001 9.3), durchgeführt am `,
      );
      expect(record.description).toContain(`(SHA-256 ${r.inputsHash})`);
    });
  });
});
