import { createHash, randomBytes } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';

/** Record ids are UUIDv7, generated here and never by the database. */
export const newId = (): string => uuidv7();

export const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

/** A random secret for cookies, invitations and API tokens (256 bits, url-safe). */
export const newSecret = (): string => randomBytes(32).toString('base64url');

export const formatReference = (prefix: string, n: number): string => `${prefix}-${String(n).padStart(4, '0')}`;
