import fs from 'node:fs';
import path from 'node:path';
import type { i18n as I18n } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { type AuditWords, fieldWords, showAuditValue } from '../../../web/src/features/audit/audit-words.ts';
import { webCatalogDir as catalogDir, webI18n } from '../test/web-i18n.ts';

/**
 * The web client's history views (web/src/features/audit/audit-words.ts) read on a German page: the fields, actions and
 * record types of the audit trail in German, codes as their labels, dates in the reader's format, ids as names. The
 * words come from the same catalogs the pages load; the names and dates are given as the page gives them.
 */
const lang = 'de';
const locale = 'de-DE';
let i18n: I18n;
let w: AuditWords;

const catalog = (namespace: string, key: string): string => {
  let at: unknown = JSON.parse(fs.readFileSync(path.join(catalogDir, lang, `${namespace}.json`), 'utf8'));
  for (const part of key.split('.')) at = (at as Record<string, unknown>)[part];
  return at as string;
};
const dateTime = (iso: string) =>
  new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(iso));
const day = (iso: string) =>
  new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${iso}T00:00:00Z`),
  );

beforeAll(async () => {
  i18n = await webI18n(lang);
  const auditLabel = (group: string, key: string) => (i18n.exists(`audit:${group}.${key}`) ? i18n.t(`audit:${group}.${key}`) : `?${key}`);
  w = {
    names: new Map([['01a251a1-4a05-73d2-9e0c-3530b4582324', 'Erika Mustermann']]),
    levels: new Map([['high', 'Hoch']]),
    t: (key, params) => i18n.t(key, params ?? {}),
    exists: (key) => i18n.exists(key),
    fieldLabel: (field) =>
      auditLabel(
        'field',
        field.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()),
      ),
    recordTypeLabel: (type) => auditLabel('recordType', type),
    valueLabel: (_field, value) => value,
    formatDate: (value) => day(value),
    formatDateTime: (value) => dateTime(value),
    formatNumber: (n) => new Intl.NumberFormat(locale).format(n),
    languageName: (code) => new Intl.DisplayNames([locale], { type: 'language' }).of(code) ?? code,
    recurrence: (rrule) => `(${rrule})`,
  };
});

describe('the history of a record on a German page', () => {
  it('names the fields and actions of an approval in German, not as humanised codes', () => {
    expect(fieldWords(w, 'document_version', 'approved_at')).toBe('Freigegeben am');
    expect(fieldWords(w, 'document_version', 'review_round')).toBe('Prüfrunde');
    expect(fieldWords(w, 'document_version', 'published_by')).toBe('Veröffentlicht von');
    expect(fieldWords(w, 'membership', 'userId')).toBe('Mitglied');
    expect(fieldWords(w, 'change_request', 'source')).toBe('Herkunft');
    expect(i18n.t('audit:action.approve')).toBe('Freigegeben');
    expect(i18n.t('audit:action.submit')).toBe('Eingereicht');
    expect(i18n.t('audit:recordType.document_version')).toBe('Dokumentversion');
  });

  it('shows dates and times in the reader’s format, never as ISO text', () => {
    const approvedAt = showAuditValue(w, 'document_version', 'approved_at', '2026-03-02T09:00:00.000Z').text;
    expect(approvedAt).toBe(dateTime('2026-03-02T09:00:00.000Z'));
    expect(approvedAt).toContain('2026');
    expect(approvedAt).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    const nextReview = showAuditValue(w, 'risk', 'nextReviewOn', '2027-01-15').text;
    expect(nextReview).toBe(day('2027-01-15'));
    expect(nextReview).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    // days inside a stored wording too
    expect(showAuditValue(w, 'management_review', 'period', '2025-03-02 – 2026-03-02').text).toBe(
      `${day('2025-03-02')} – ${day('2026-03-02')}`,
    );
    // and inside an object
    expect(showAuditValue(w, 'incident', 'gdpr_art33', { sentAt: '2026-03-02T09:00:00.000Z', recipient: 'LfD', late: false }).text).toBe(
      `Gesendet am: ${dateTime('2026-03-02T09:00:00.000Z')} · Empfänger: LfD · Verspätet: Nein`,
    );
  });

  it('shows codes as their German labels', () => {
    expect(showAuditValue(w, 'document_version', 'status', 'in_review').text).toBe(catalog('policies', 'versionStatus.in_review'));
    expect(showAuditValue(w, 'nonconformity', 'source', 'internal_audit').text).toBe(catalog('improvement', 'source.internal_audit'));
    expect(showAuditValue(w, 'risk_acceptance', 'requiredRoles', ['risk_owner', 'management']).text).toBe(
      `${catalog('risks', 'signatureRole.risk_owner')}, ${catalog('risks', 'signatureRole.management')}`,
    );
    expect(showAuditValue(w, 'document', 'audience', 'roles:employee,viewer').text).toBe(
      `Rollen: ${catalog('common', 'role.employee')}, ${catalog('common', 'role.viewer')}`,
    );
    expect(showAuditValue(w, 'task', 'origin', 'change_request:CHG-0001').text).toBe('Änderungsantrag CHG-0001');
    expect(showAuditValue(w, 'change_request', 'approvals', 'Vorstand:approve').text).toBe('Vorstand: genehmigt');
    expect(showAuditValue(w, 'user', 'language', 'en').text).toBe('Englisch');
  });

  it('rewords what Praxis stored in English words', () => {
    expect(showAuditValue(w, 'document', 'retention', '3 years').text).toBe('3 Jahre');
    expect(showAuditValue(w, 'document', 'retention', '1 months').text).toBe('1 Monat');
    expect(showAuditValue(w, 'document_version', 'content', '111 characters').text).toBe('111 Zeichen');
    expect(showAuditValue(w, 'document_version', 'approvals', '1 of 2').text).toBe('1 von 2');
    expect(showAuditValue(w, 'user', 'recoveryCodes', '10 new').text).toBe('10 neue');
    expect(showAuditValue(w, 'user', 'password', '(hidden)').text).toBe('(verborgen)');
    expect(showAuditValue(w, 'incident', 'timeline', 'fail_over: Auf den zweiten Knoten umgeschaltet').text).toBe(
      `${catalog('incidents', 'measure.fail_over')}: Auf den zweiten Knoten umgeschaltet`,
    );
  });

  it('names people and risk levels, never their ids or keys', () => {
    expect(showAuditValue(w, 'document_version', 'published_by', '01a251a1-4a05-73d2-9e0c-3530b4582324').text).toBe('Erika Mustermann');
    const unknown = showAuditValue(w, 'risk', 'ownerId', '01a251a1-ffff-7000-8000-000000000000');
    expect(unknown.text).toBe('Unbekannte Person');
    expect(unknown.title).toBe('01a251a1-ffff-7000-8000-000000000000');
    expect(showAuditValue(w, 'risk', 'current', { likelihood: 2, impact: 3, level: 'high' }).text).toBe(
      'Eintrittswahrscheinlichkeit: 2 · Auswirkung: 3 · Stufe: Hoch',
    );
    expect(showAuditValue(w, 'document_version', 'changeRequestId', '01a251a0-fedf-77d4-a660-79f7ec83f0f6').text).toBe(
      'Änderungsantrag (ID 01a251a0)',
    );
  });

  it('says what a task is for in words, never its key', () => {
    expect(showAuditValue(w, 'task', 'purpose', 'review').text).toBe('Überprüfung');
    expect(showAuditValue(w, 'task', 'purpose', 'implement:01a251a0-fedf-77d4-a660-79f7ec83f0f6').text).toBe('Umsetzung');
    expect(showAuditValue(w, 'task', 'purpose', 'approve:01a251a1-4a05-73d2-9e0c-3530b4582324').text).toBe(
      'Freigabe durch Erika Mustermann',
    );
    expect(showAuditValue(w, 'task', 'purpose', 'cadence:2026-03-01').text).toBe(`Wiederkehrende Aktivität (${day('2026-03-01')})`);
    expect(showAuditValue(w, 'task', 'purpose', 'cadence-escalation:2:01a251a1-4a05-73d2-9e0c-3530b4582324').text).toBe(
      'Eskalation (Stufe 2)',
    );
    expect(showAuditValue(w, 'task', 'purpose', 'something-new').text).toBe('(intern)');
  });

  it('names linked records by their references and names; entries written with ids still read as before', () => {
    expect(fieldWords(w, 'document_version', 'changeRequest')).toBe('Änderungsantrag');
    expect(showAuditValue(w, 'document_version', 'changeRequest', 'CHG-0003').text).toBe('CHG-0003');
    expect(fieldWords(w, 'training_course', 'materialDocument')).toBe('Schulungsmaterial');
    expect(showAuditValue(w, 'training_course', 'materialDocument', 'POL-0002').text).toBe('POL-0002');
    expect(showAuditValue(w, 'training_course', 'materialDocumentId', '01a251a0-fedf-77d4-a660-79f7ec83f0f6').text).toBe(
      'Dokument (ID 01a251a0)',
    );
    expect(fieldWords(w, 'training_course', 'grantsCompetence')).toBe('Vermittelt Kompetenz');
    expect(showAuditValue(w, 'training_course', 'grantsCompetence', 'Sicherheitsbewusstsein').text).toBe('Sicherheitsbewusstsein');
    expect(showAuditValue(w, 'controlled_record', 'linkedRecord', 'document:POL-0002').text).toBe('Dokument POL-0002');
    expect(showAuditValue(w, 'controlled_record', 'linkedRecord', 'document:01a251a0-fedf-77d4-a660-79f7ec83f0f6').text).toBe(
      'Dokument (intern)',
    );
    const control = catalog('measures', 'linkType.control');
    expect(showAuditValue(w, 'measure', 'links', ['control:CTL-0003']).text).toBe(`${control} CTL-0003`);
    expect(showAuditValue(w, 'measure', 'links', ['control:01a251a0-fedf-77d4-a660-79f7ec83f0f6']).text).toBe(`${control} (intern)`);
    expect(
      showAuditValue(w, 'measure', 'analysis', { measuredAt: '2026-03-02T09:00:00.000Z', value: 15, outcome: 'no_action', note: 'x' }).text,
    ).toBe(
      `Gemessen am: ${dateTime('2026-03-02T09:00:00.000Z')} · Wert: 15 · Ergebnis: ${catalog('measures', 'analysis.outcomes.no_action')} · Notiz: x`,
    );
  });
});
