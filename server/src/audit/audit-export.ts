import fs from 'node:fs';
import path from 'node:path';
import type { AuditWords } from '../../../web/src/features/audit/audit-words.ts';
import type { AuditEntryTable } from '../db/schema.ts';
import { exportTexts } from '../i18n/export-texts.ts';
import { fallbackLanguage, pickLanguage } from '../i18n/i18n.ts';
import { findCurrentMethod, levelLabelIn } from '../processes/risk-assessment/index.ts';
import type { Deps } from '../shared/context.ts';
import { AppError, errorText } from '../shared/errors.ts';
import { createCheckpoint, toCheckpointFile, writeCheckpointFile } from './audit-checkpoint.ts';
import { canonicalEntry, hashedFieldsOf } from './audit-hash.ts';
import { findNamedRecords, namedBy, recordsWanted } from './audit-records.ts';
import { auditWordsIn, entryInWords, instantIn } from './audit-words.ts';
import * as repo from './audit.repository.ts';

/*
 * The trail export for an auditor who verifies it without Praxis (README "Verifying the audit trail without Praxis"):
 *
 *   trail.txt        one line per entry: `<seq> <prev_hash> <hash> <signature or -> <canonical entry JSON>`, where
 *                    hash = sha256(prev_hash || canonical entry JSON) over the line's own bytes, so that
 *                    `printf '%s%s' "$prev" "$entry" | sha256sum` recomputes it;
 *   checkpoint.json  a checkpoint signed now, for the last exported entry (also `praxis audit verify --checkpoint`);
 *   checkpoint.txt   the exact text it signs (praxis-audit-checkpoint:<seq>:<hash>:<at>, no newline);
 *   checkpoint.sig   its raw Ed25519 signature (`openssl pkeyutl -verify -rawin`);
 *   public-key.pem   the installation's public key (SPKI PEM);
 *   trail.<lang>.txt the same entries in words, in the language of the user who asks (`trail.de.txt`): when, who, which
 *                    record (type and reference), what was done and each field's label with its values read by the
 *                    audit vocabulary (audit-words.ts). For reading only: trail.txt is what is verified.
 */

export interface TrailExport {
  dir: string;
  entries: number;
  seq: number;
  hash: string;
  keyId: string;
  /** the file with the entries in words */
  words: string;
}

/** Entries worded together: the records they name are read in one statement per record type. */
const WORDS_BATCH = 500;

export async function exportTrail(deps: Deps, dir: string, language: string = fallbackLanguage): Promise<TrailExport> {
  const lang = pickLanguage(language);
  // the checkpoint first: the export ends at the entry it vouches for, whatever is appended meanwhile
  const checkpoint = await createCheckpoint(deps, 'command');
  if (!checkpoint) throw new AppError('invalid_state', errorText('auditTrail.empty'));
  fs.mkdirSync(dir, { recursive: true });
  const out = fs.createWriteStream(path.join(dir, 'trail.txt'));
  const wordsName = `trail.${lang}.txt`;
  const inWords = fs.createWriteStream(path.join(dir, wordsName));
  const write = async (stream: fs.WriteStream, text: string) => {
    if (!stream.write(text)) await new Promise<void>((resolve) => stream.once('drain', resolve));
  };
  const t = exportTexts(lang);
  const reader = await trailReader(deps, lang);
  let entries = 0;
  let batch: AuditEntryTable[] = [];
  const flush = async () => {
    await write(inWords, await reader.word(batch));
    batch = [];
  };
  try {
    await write(
      inWords,
      `${t('auditTrail.title')}\n${t('auditTrail.intro')}\n${t('auditTrail.exported', { at: instantIn(lang, checkpoint.at), seq: checkpoint.seq, hash: checkpoint.hash })}\n`,
    );
    for await (const row of repo.iterateChain(deps.db)) {
      if (row.seq > checkpoint.seq) break;
      const line = `${row.seq} ${row.prev_hash} ${row.hash} ${row.signature ?? '-'} ${canonicalEntry(hashedFieldsOf(row))}\n`;
      await write(out, line);
      batch.push(row);
      if (batch.length >= WORDS_BATCH) await flush();
      entries += 1;
    }
    await flush();
  } finally {
    await Promise.all(
      [out, inWords].map((s) => new Promise<void>((resolve, reject) => s.end((err?: Error | null) => (err ? reject(err) : resolve())))),
    );
  }
  const file = toCheckpointFile(checkpoint);
  writeCheckpointFile(path.join(dir, 'checkpoint.json'), file);
  fs.writeFileSync(path.join(dir, 'checkpoint.txt'), file.signed);
  fs.writeFileSync(path.join(dir, 'checkpoint.sig'), Buffer.from(file.signature, 'base64'));
  fs.writeFileSync(path.join(dir, 'public-key.pem'), file.publicKey);
  return { dir, entries, seq: file.seq, hash: file.hash, keyId: file.keyId, words: wordsName };
}

/**
 * The entries of one scope's trail up to now, in words in `lang`, oldest first, as text in batches (the audit pack's
 * copy for an auditor: the same numbers as trail.txt of `praxis audit export`, which is what is verified).
 */
export async function* scopeTrailInWords(deps: Deps, scopeId: string, lang: string): AsyncGenerator<string> {
  const t = exportTexts(lang);
  const reader = await trailReader(deps, lang, scopeId);
  yield `${t('auditTrail.scopeTitle')}\n${t('auditTrail.scopeIntro')}\n`;
  let after = -1;
  for (;;) {
    const rows = await deps.db
      .selectFrom('audit_entry')
      .selectAll()
      .where('scope_id', '=', scopeId)
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(WORDS_BATCH)
      .execute();
    if (rows.length === 0) return;
    yield await reader.word(rows.map((r) => ({ ...r, seq: Number(r.seq) })));
    if (rows.length < WORDS_BATCH) return;
    after = Number(rows[rows.length - 1]!.seq);
  }
}

/**
 * Words entries of the whole trail in `lang`: the installation's people and scopes are read once, a scope's risk levels
 * when its first entry needs them, the records a batch of entries names in one statement per record type, each within
 * the scope of the entry that names it.
 */
async function trailReader(deps: Deps, lang: string, onlyScope?: string) {
  const t = exportTexts(lang);
  const people = await deps.db.selectFrom('app_user').select(['id', 'name']).execute();
  // one scope's entries need not name their scope
  const scopes = onlyScope
    ? new Map<string, string>()
    : new Map((await deps.db.selectFrom('scope').select(['id', 'name']).execute()).map((s) => [s.id, s.name]));
  const base = auditWordsIn(
    lang,
    people.map((p) => [p.id, p.name] as const),
  );
  const byScope = new Map<string, AuditWords>();
  const wordsOf = async (scopeId: string | null): Promise<AuditWords> => {
    if (!scopeId) return base;
    let w = byScope.get(scopeId);
    if (!w) {
      const method = await findCurrentMethod(deps.db, scopeId);
      const levels = method ? ((JSON.parse(method.definition) as { levels?: { key: string; label: string }[] }).levels ?? []) : [];
      w = { ...base, levels: new Map(levels.map((l) => [l.key, levelLabelIn(l.key, l.label, lang)])) };
      byScope.set(scopeId, w);
    }
    return w;
  };
  return {
    async word(rows: AuditEntryTable[]): Promise<string> {
      const parsed = rows.map((row) => ({ row, wants: recordsWanted({ ...row, changes: JSON.parse(row.changes) }) }));
      const wanted = new Map<string, Set<string>>();
      for (const { row, wants } of parsed) {
        if (!row.scope_id || wants.size === 0) continue;
        const set = wanted.get(row.scope_id) ?? new Set<string>();
        for (const w of wants) set.add(w);
        wanted.set(row.scope_id, set);
      }
      const found = wanted.size ? await findNamedRecords(deps.db, wanted) : new Map();
      let text = '';
      for (const { row, wants } of parsed) {
        const e = entryInWords(await wordsOf(row.scope_id), row, namedBy(found, row.scope_id, wants));
        const head = {
          seq: e.seq,
          at: e.at,
          actor: e.actor ?? t('auditTrail.system'),
          record: e.record,
          action: e.action,
        };
        const scope = row.scope_id ? scopes.get(row.scope_id) : undefined;
        text += `\n${scope ? t('auditTrail.entryInScope', { ...head, scope }) : t('auditTrail.entry', head)}\n`;
        for (const c of e.changes) {
          text += `    ${c.from === null ? t('auditTrail.set', { field: c.field, to: c.to }) : t('auditTrail.changed', c)}\n`;
        }
      }
      return text;
    },
  };
}
