import { createRequire } from 'node:module';
import { errorText, invalid } from '../shared/errors.ts';

/**
 * The common and breached password check (NIST SP 800-63B 5.1.1.2, OWASP ASVS 6.2.4): a new password must not be one
 * that attackers try first. The list is zxcvbn-ts's common passwords (about 49,000 from public breach corpora, MIT
 * licence), shipped with the package and read offline; nothing is sent anywhere.
 *
 * Beyond the list itself, a password is refused when it is a listed password (or the installation's name, or the
 * user's own email name or name) with only digits and symbols around it ("Password2024!", "dragon123456"), or one
 * character repeated: the variations every guessing tool tries right after the list.
 */
const require = createRequire(import.meta.url);
let list: Set<string> | undefined;
/** the list (a package of its own, CommonJS) loads with the first password checked, not when the server starts */
const common = () => {
  if (!list) {
    const { dictionary } = require('@zxcvbn-ts/language-common') as typeof import('@zxcvbn-ts/language-common');
    list = new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));
  }
  return list;
};

const normalise = (s: string) => s.normalize('NFKC').toLowerCase();

/** What is left after taking digits, symbols and spaces off both ends. */
const core = (s: string) => s.replace(/^[\d\W_]+|[\d\W_]+$/gu, '');

export function isCommonPassword(password: string, context: readonly string[] = []): boolean {
  const p = normalise(password);
  const words = new Set(['praxis', 'password', 'passwort', ...context.flatMap((c) => contextWords(c))]);
  if (common().has(p) || words.has(p)) return true;
  if (/^(.)\1*$/u.test(p)) return true;
  const c = core(p);
  if (c.length === 0) return true; // only digits and symbols: a keyboard walk or a date
  return common().has(c) || words.has(c) || words.has(c.replace(/[\s._-]+/g, ''));
}

/** An email gives its local part; a name gives itself and each of its words (four letters and more). */
function contextWords(value: string): string[] {
  const v = normalise(value.split('@')[0] ?? '');
  return [v, v.replace(/[\s._-]+/g, ''), ...v.split(/[\s._-]+/)].filter((w) => w.length >= 4);
}

/** Throws 400 naming `field` when the password is common (see above); `context` holds the user's email and name. */
export function assertPasswordNotCommon(password: string, field: string, context: readonly string[] = []): void {
  if (isCommonPassword(password, context)) throw invalid(field, errorText('passwordCommon'));
}
