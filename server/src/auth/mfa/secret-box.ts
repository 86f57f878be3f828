import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config.ts';

/**
 * Encrypts TOTP secrets at rest with AES-256-GCM (node:crypto; no library adds anything for one authenticated cipher
 * call). The key is PRAXIS_MFA_KEY (any text, hashed to 256 bits) or, when unset, a random key that the first use writes
 * to <data dir>/mfa.key. Several instances share PRAXIS_MFA_KEY, so a database copy alone does not reveal the secrets.
 */
const keys = new Map<string, Buffer>();

function keyOf(config: Pick<Config, 'mfaKey' | 'dataDir'>): Buffer {
  const cacheKey = config.mfaKey ? `env:${config.mfaKey}` : `file:${config.dataDir}`;
  const known = keys.get(cacheKey);
  if (known) return known;
  let material: string;
  if (config.mfaKey) material = config.mfaKey;
  else {
    const file = path.join(config.dataDir, 'mfa.key');
    try {
      fs.mkdirSync(config.dataDir, { recursive: true });
      fs.writeFileSync(file, randomBytes(32).toString('base64url'), { flag: 'wx', mode: 0o600 });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    material = fs.readFileSync(file, 'utf8').trim();
  }
  const key = createHash('sha256').update(material).digest();
  keys.set(cacheKey, key);
  return key;
}

export function sealSecret(config: Pick<Config, 'mfaKey' | 'dataDir'>, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(config), iv);
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join(':');
}

export function openSecret(config: Pick<Config, 'mfaKey' | 'dataDir'>, sealed: string): string {
  const [v, iv, tag, data] = sealed.split(':');
  if (v !== 'v1' || !iv || !tag || data === undefined) throw new Error('unknown secret format');
  const decipher = createDecipheriv('aes-256-gcm', keyOf(config), Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
}
