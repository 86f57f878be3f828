import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign, verify } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { type Config, ConfigError } from '../config.ts';

/*
 * The key that makes the audit trail prove itself: an Ed25519 key kept outside the database (node:crypto, no library
 * needed). Every new entry carries a signature of its hash, and checkpoints sign the trail's end, so that someone who
 * can write to the database but cannot read this file can neither re-hash, append to nor cut the trail unnoticed.
 *
 * PRAXIS_AUDIT_KEY_FILE names a PKCS#8 PEM file (`openssl genpkey -algorithm ed25519 -out key.pem`); unset, a key is
 * generated on first use at <data dir>/audit-signing-key.pem (mode 600). Several instances must share one key file.
 */

export interface SigningKey {
  /** the first 16 hex digits of the SHA-256 of the public key (DER, SubjectPublicKeyInfo) */
  keyId: string;
  /** SPKI PEM: what an auditor checks signatures with (openssl pkeyutl -verify) */
  publicKeyPem: string;
  publicKey: KeyObject;
  privateKey: KeyObject;
}

export interface PublicKeyInfo {
  keyId: string;
  publicKeyPem: string;
  publicKey: KeyObject;
}

export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
}

export function publicKeyFromPem(pem: string): PublicKeyInfo {
  const publicKey = createPublicKey(pem);
  if (publicKey.asymmetricKeyType !== 'ed25519') throw new Error('the public key is not an Ed25519 key');
  return { keyId: keyIdOf(publicKey), publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), publicKey };
}

/** The key a file's PEM holds; a file that holds no Ed25519 private key stops the start (ConfigError, in words). */
function fromPrivatePem(pem: string, file: string): SigningKey {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch (e) {
    throw new ConfigError({ key: 'errors:config.auditKeyNotAKey', params: { file, details: (e as Error).message } });
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new ConfigError({ key: 'errors:config.auditKeyNotEd25519', params: { file } });
  const { keyId, publicKeyPem, publicKey } = publicKeyFromPem(
    createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString(),
  );
  return { keyId, publicKeyPem, publicKey, privateKey };
}

const loaded = new Map<string, SigningKey>();

/**
 * The installation's signing key (read once per process). Generates it when none is configured and the default file
 * does not exist yet; several processes starting at once agree on one key (the file is created exclusively).
 */
export function loadSigningKey(config: Pick<Config, 'auditKeyFile' | 'auditKeyGenerate'>): SigningKey {
  const file = config.auditKeyFile;
  const cached = loaded.get(file);
  if (cached) return cached;
  let pem: string;
  try {
    pem = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' || !config.auditKeyGenerate) {
      // Praxis's sentence; what the system says follows as its details where no sentence of ours says it
      throw new ConfigError(
        code === 'ENOENT'
          ? { key: 'errors:config.auditKeyMissing', params: { file } }
          : code === 'EACCES' || code === 'EPERM'
            ? { key: 'errors:config.auditKeyNoPermission', params: { file } }
            : { key: 'errors:config.auditKeyUnreadable', params: { file, details: (e as Error).message } },
      );
    }
    const { privateKey } = generateKeyPairSync('ed25519');
    const fresh = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    try {
      fs.writeFileSync(file, fresh, { mode: 0o600, flag: 'wx' });
      pem = fresh;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      pem = fs.readFileSync(file, 'utf8');
    }
  }
  const key = fromPrivatePem(pem, file);
  loaded.set(file, key);
  return key;
}

/** A base64 Ed25519 signature of the bytes of `message`. */
export function signText(key: SigningKey, message: string): string {
  return sign(null, Buffer.from(message, 'utf8'), key.privateKey).toString('base64');
}

export function verifyText(key: Pick<PublicKeyInfo, 'publicKey'>, message: string, signature: string): boolean {
  try {
    return verify(null, Buffer.from(message, 'utf8'), key.publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/** What a checkpoint signs: one line of ASCII, easy to rebuild with printf. */
export function checkpointMessage(c: { seq: number; hash: string; at: string }): string {
  return `praxis-audit-checkpoint:${c.seq}:${c.hash}:${c.at}`;
}
