import { z } from 'zod';

export const idSchema = z.uuid({ error: 'must be a UUID' });
export const dateSchema = z.iso.date({ error: 'must be a date YYYY-MM-DD' });
/** The largest value of a 32-bit integer column (PostgreSQL `integer`): versions, counters, positions. */
export const maxInt32 = 2_147_483_647;
export const versionSchema = z.number({ error: 'version is required (the version you edited)' }).int().min(1).max(maxInt32);

export const errorResponse = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    field: z.string().optional(),
    /** the message as a key of the server's texts with its parameters, for clients that word it themselves */
    key: z.string().optional(),
    params: z.record(z.string(), z.union([z.string(), z.number(), z.null()])).optional(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});

/** A list's free-text search (`q`): what every list takes, and what its search box stops at. */
export const searchQuery = z.string().trim().max(200).optional();

export const pageQuery = {
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(25),
};

/**
 * A page of a list. Past the count cap (db/paging.ts `countCap`, 1,000 matching rows) `total` is the cap and
 * `totalCapped` is true.
 */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int(),
    totalCapped: z.boolean().optional(),
    page: z.number().int(),
    pageSize: z.number().int(),
  });
}

export const userRef = z.object({ id: z.string(), name: z.string(), email: z.string() }).nullable();

export const scopeParams = z.object({ scopeId: idSchema });
export const scopeRecordParams = z.object({ scopeId: idSchema, id: idSchema });

/**
 * Characters that no text of a request may hold: NUL and the other C0 controls (tab, line feed and carriage return
 * excepted), surrogates that are not part of a pair, and the Unicode noncharacters (U+FFFE, U+FFFF, U+FDD0–U+FDEF…).
 * PostgreSQL refuses NUL in text, and the XML inside XLSX, DOCX and OSCAL exports cannot hold any of them, so they are
 * refused at the door, for every route, by `http/input-guard.ts` (and multipart fields by `files/upload.ts`).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is what this pattern is for
export const forbiddenCharacter = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\p{Cs}\p{Noncharacter_Code_Point}]/u;

/** The character as `U+0000`. */
const codePointOf = (s: string) => `U+${(s.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * The first string (or object key) in a parsed body, query or params that holds a forbidden character: its path
 * (`['items', '0', 'name']`) and the character as `U+0000`; null when there is none. Walks at most `depth` levels.
 */
export function findForbiddenText(value: unknown, depth = 32): { path: string[]; character: string } | null {
  if (typeof value === 'string') {
    const m = forbiddenCharacter.exec(value);
    return m ? { path: [], character: codePointOf(m[0]) } : null;
  }
  if (depth <= 0 || value === null || typeof value !== 'object') return null;
  for (const [key, item] of Object.entries(value)) {
    const inKey = forbiddenCharacter.exec(key);
    if (inKey) return { path: [[...key].map((c) => (forbiddenCharacter.test(c) ? '?' : c)).join('')], character: codePointOf(inKey[0]) };
    const inner = findForbiddenText(item, depth - 1);
    if (inner) return { path: [key, ...inner.path], character: inner.character };
  }
  return null;
}
