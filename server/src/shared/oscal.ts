import { createHash } from 'node:crypto';

/**
 * What every OSCAL export shares (the SoA's System Security Plan, an audit's assessment results, the POA&M): the
 * namespace of Praxis' own properties, stable name-based UUIDs, timestamps and strings in the forms OSCAL 1.0.4 accepts.
 */

/** Namespace of Praxis' own OSCAL properties, and of the name-based (v5) UUIDs that make exports reproducible. */
export const PRAXIS_OSCAL_NS = 'https://praxis-isms.org/ns/oscal';
const UUID_NAMESPACE = '4f0c1b0e-8a55-5c8e-9d1f-3b6a2e7c9d40';

/**
 * An RFC 4122 version 5 UUID (SHA-1, name-based): the OSCAL schema accepts only versions 4 and 5. Written here rather
 * than taken from a library because it is these few lines over node:crypto.
 */
export function uuidV5(name: string, namespace = UUID_NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const h = hash.subarray(0, 16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** OSCAL 1.0.4's date-time pattern refuses fractional seconds that end in 0 (".000Z"): whole seconds, "Z". */
export const oscalTimestamp = (iso: string) => iso.replace(/\.\d+Z$/, 'Z');

/** A calendar day (YYYY-MM-DD) as an OSCAL date-time at the start of that day, UTC. */
export const oscalDayStart = (day: string) => `${day}T00:00:00Z`;

/** OSCAL strings may not be empty nor start or end with white space. */
export const oscalText = (s: string | null | undefined, fallback: string) => s?.trim() || fallback;

/** A property in Praxis' namespace; an empty value (refused by OSCAL) becomes "none". */
export const praxisProp = (name: string, value: string) => ({ name, ns: PRAXIS_OSCAL_NS, value: oscalText(value, 'none') });

/**
 * An OSCAL token (control ids, target ids): a letter or underscore first, then letters, digits, `_ . -`. Anything else
 * becomes `-`.
 */
export const oscalToken = (s: string) => {
  const t = s.trim().replace(/[^A-Za-z0-9_.-]+/g, '-');
  return /^[A-Za-z_]/.test(t) ? t : `_${t}`;
};
