import fs from 'node:fs';
import path from 'node:path';
import { type AuditValue, auditField, auditRecordType } from './audit-vocabulary.ts';

/**
 * Checks an audit entry against the audit vocabulary (audit-vocabulary.ts) and the web catalogs: that its record type,
 * action and every changed field are declared, that each value is of the kind declared, and that every word a history
 * view shows for it has a label in every language. For the tests (server/src/test/audit-vocabulary.setup.ts,
 * audit-vocabulary.test.ts); it reads the catalogs from disk.
 */

/** language → namespace → catalog */
export type WebCatalogs = Map<string, Map<string, unknown>>;

const catalogDir = path.resolve(import.meta.dirname, '../../../web/src/i18n');

export function loadWebCatalogs(dir = catalogDir): WebCatalogs {
  const out: WebCatalogs = new Map();
  for (const lang of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!lang.isDirectory()) continue;
    const namespaces = new Map<string, unknown>();
    for (const file of fs.readdirSync(path.join(dir, lang.name))) {
      if (file.endsWith('.json')) namespaces.set(file.slice(0, -5), JSON.parse(fs.readFileSync(path.join(dir, lang.name, file), 'utf8')));
    }
    out.set(lang.name, namespaces);
  }
  return out;
}

const lookup = (catalog: unknown, pathParts: string[]): unknown => {
  let at = catalog;
  for (const part of pathParts) {
    if (!at || typeof at !== 'object' || !Object.hasOwn(at, part)) return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return at;
};

/** Whether `ns:a.b` is a text (or a text's plural forms) in the language. */
export function hasLabel(catalogs: WebCatalogs, lang: string, key: string): boolean {
  const colon = key.indexOf(':');
  const ns = colon > 0 ? key.slice(0, colon) : 'common';
  const parts = (colon > 0 ? key.slice(colon + 1) : key).split('.');
  const catalog = catalogs.get(lang)?.get(ns);
  if (typeof lookup(catalog, parts) === 'string') return true;
  const last = parts.pop()!;
  const parent = lookup(catalog, parts);
  return typeof lookup(parent, [`${last}_other`]) === 'string';
}

/** The languages a key lacks a label in. */
export function languagesWithout(catalogs: WebCatalogs, key: string): string[] {
  return [...catalogs.keys()].filter((lang) => !hasLabel(catalogs, lang, key));
}

const isoDay = /^\d{4}-\d{2}-\d{2}$/;
const isoInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** What is wrong with a value of the given kind: each problem a line naming where (`risk.current.level`). */
export function valueProblems(where: string, kind: AuditValue, value: unknown, catalogs: WebCatalogs, partOfText = false): string[] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) return value.flatMap((v, i) => valueProblems(`${where}[${i}]`, kind, v, catalogs, partOfText));
  const label = (key: string) => {
    const missing = languagesWithout(catalogs, key);
    return missing.length ? [`${where}: no label ${key} in ${missing.join(', ')}`] : [];
  };
  const wrong = (what: string) => [`${where}: ${JSON.stringify(value)} is not ${what}`];
  const isText = typeof value === 'string';
  if (typeof kind === 'object') {
    if ('codes' in kind) {
      if (!isText) return wrong('a code');
      if (value === '') return [];
      const list = kind.separator ? value.split(kind.separator) : [value];
      return list.flatMap((code) => label(`${kind.codes}.${code}`));
    }
    if ('record' in kind) return isText ? [] : wrong('an id');
    if ('reference' in kind) return isText ? [] : wrong('a reference');
    if ('object' in kind) {
      if (isText && kind.written) return valueProblems(where, kind.written, value, catalogs, partOfText);
      if (typeof value !== 'object') return wrong('an object');
      return Object.entries(value as Record<string, unknown>).flatMap(([key, v]) =>
        Object.hasOwn(kind.object, key)
          ? [
              ...label(kind.labels ? `${kind.labels}.${key}` : `audit:field.${key}`),
              ...valueProblems(`${where}.${key}`, kind.object[key]!, v, catalogs),
            ]
          : [`${where}: the key ${key} is not declared (server/src/audit/audit-vocabulary.ts)`],
      );
    }
    if ('texts' in kind) {
      if (isText) return kind.written ? valueProblems(where, kind.written, value, catalogs, partOfText) : [];
      const text = value as { key?: unknown; params?: unknown };
      if (typeof value !== 'object' || typeof text.key !== 'string') return wrong('a text as key and parameters');
      if (!Object.hasOwn(kind.texts, text.key))
        return [`${where}: the text ${text.key} is not declared (server/src/audit/audit-vocabulary.ts)`];
      const wording = kind.texts[text.key]!;
      const params = text.params && typeof text.params === 'object' ? (text.params as Record<string, unknown>) : {};
      return [
        ...label(`audit:${wording.label}`),
        ...Object.entries(params).flatMap(([part, v]) =>
          valueProblems(`${where}{${part}}`, wording.parts?.[part] ?? 'text', typeof v === 'number' ? String(v) : v, catalogs, true),
        ),
      ];
    }
    if (!isText) return wrong('a text');
    for (const wording of kind.words) {
      const match = new RegExp(wording.pattern).exec(value);
      if (!match) continue;
      return [
        ...label(`audit:${wording.label}`),
        ...Object.entries(match.groups ?? {}).flatMap(([part, v]) =>
          valueProblems(`${where}{${part}}`, wording.parts?.[part] ?? 'text', v, catalogs, true),
        ),
      ];
    }
    return wrong('worded by any pattern declared');
  }
  switch (kind) {
    case 'text':
    case 'sentence':
      return typeof value === 'object' ? wrong('a text') : [];
    case 'number':
      return typeof value === 'number' || (partOfText && /^\d+$/.test(String(value))) ? [] : wrong('a number');
    case 'yesNo':
      return typeof value === 'boolean' ? [] : wrong('yes or no');
    case 'day':
      return isText && isoDay.test(value) ? [] : wrong('a day (YYYY-MM-DD)');
    case 'instant':
      return isText && isoInstant.test(value) ? [] : wrong('an ISO timestamp');
    case 'language':
      return isText && /^[a-z]{2,3}(-[A-Za-z0-9]+)*$/.test(value) ? [] : wrong('a language code');
    case 'person':
    case 'process':
    case 'recurrence':
    case 'riskLevel':
      return isText ? [] : wrong(`a ${kind}`);
    case 'internal':
    case 'hidden':
      return [];
  }
}

export interface AuditEntryWords {
  action: string;
  recordType: string;
  recordRef?: string | null | undefined;
  changes: Record<string, { from?: unknown; to?: unknown }>;
}

/** What an entry carries that the vocabulary does not declare or the catalogs do not label. */
export function entryProblems(entry: AuditEntryWords, catalogs: WebCatalogs): string[] {
  const out: string[] = [];
  const declared = auditRecordType(entry.recordType);
  const where = `${entry.recordType} ${entry.action}`;
  const vocabulary = '(declare it in server/src/audit/audit-vocabulary.ts, with its labels in web/src/i18n/<lang>/audit.json)';
  if (!declared) return [`${where}: the record type ${entry.recordType} is not declared ${vocabulary}`];
  if (!declared.actions.includes(entry.action))
    out.push(`${where}: the action ${entry.action} is not declared for ${entry.recordType} ${vocabulary}`);
  for (const key of [`audit:recordType.${entry.recordType}`, `audit:action.${entry.action}`]) {
    const missing = languagesWithout(catalogs, key);
    if (missing.length) out.push(`${where}: no label ${key} in ${missing.join(', ')}`);
  }
  if (declared.recordRef && entry.recordRef)
    out.push(...valueProblems(`${entry.recordType} reference`, declared.recordRef, entry.recordRef, catalogs));
  for (const [field, change] of Object.entries(entry.changes)) {
    const f = auditField(entry.recordType, field);
    if (!f) {
      out.push(`${where}: the field ${field} is not declared for ${entry.recordType} ${vocabulary}`);
      continue;
    }
    const missing = languagesWithout(catalogs, `audit:field.${f.label}`);
    if (missing.length) out.push(`${where}: no label audit:field.${f.label} in ${missing.join(', ')}`);
    for (const side of ['from', 'to'] as const) {
      if (change && side in change) out.push(...valueProblems(`${entry.recordType}.${field}`, f.value, change[side], catalogs));
    }
  }
  return out;
}
