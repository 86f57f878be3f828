import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { isoCBOR } from '@simplewebauthn/server/helpers';

/**
 * A software passkey for tests: what a browser and an authenticator send to the server during WebAuthn registration
 * ("none" attestation) and authentication, built with node:crypto (ES256 over P-256) and the CBOR encoder of
 * @simplewebauthn/server, so that the server's verification runs for real.
 */
const b64url = (b: Uint8Array) => Buffer.from(b).toString('base64url');
const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest();

export class SoftAuthenticator {
  readonly credentialId = randomBytes(16);
  readonly #privateKey: KeyObject;
  readonly #cosePublicKey: Uint8Array;
  #counter = 0;

  readonly origin: string;
  readonly rpId: string;
  /** answer as if the user verified (PIN, biometrics) */
  readonly userVerified: boolean;

  constructor(origin: string, rpId = new URL(origin).hostname, userVerified = true) {
    this.origin = origin;
    this.rpId = rpId;
    this.userVerified = userVerified;
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.#privateKey = privateKey;
    const jwk = publicKey.export({ format: 'jwk' });
    const cose = new Map<number, number | Uint8Array>([
      [1, 2], // kty: EC2
      [3, -7], // alg: ES256
      [-1, 1], // crv: P-256
      [-2, new Uint8Array(Buffer.from(jwk.x!, 'base64url'))],
      [-3, new Uint8Array(Buffer.from(jwk.y!, 'base64url'))],
    ]);
    this.#cosePublicKey = isoCBOR.encode(cose);
  }

  get id(): string {
    return b64url(this.credentialId);
  }

  #flags(attested: boolean) {
    return 0x01 | (this.userVerified ? 0x04 : 0) | (attested ? 0x40 : 0);
  }

  #counterBytes() {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(this.#counter);
    return c;
  }

  /** The response to `navigator.credentials.create()` for the given options' challenge. */
  register(options: { challenge: string }, clientOrigin = this.origin) {
    const clientDataJSON = Buffer.from(
      JSON.stringify({ type: 'webauthn.create', challenge: options.challenge, origin: clientOrigin, crossOrigin: false }),
    );
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(this.credentialId.length);
    const authData = Buffer.concat([
      sha(this.rpId),
      Buffer.from([this.#flags(true)]),
      this.#counterBytes(),
      Buffer.alloc(16), // AAGUID: none
      idLength,
      this.credentialId,
      this.#cosePublicKey,
    ]);
    const attestationObject = isoCBOR.encode(
      new Map<string, string | Map<string, string> | Uint8Array>([
        ['fmt', 'none'],
        ['attStmt', new Map<string, string>()],
        ['authData', new Uint8Array(authData)],
      ]),
    );
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key' as const,
      response: { clientDataJSON: b64url(clientDataJSON), attestationObject: b64url(attestationObject), transports: ['internal'] },
      clientExtensionResults: {},
    };
  }

  /** The response to `navigator.credentials.get()`: an assertion signed with the private key; the counter grows. */
  authenticate(options: { challenge: string }, clientOrigin = this.origin) {
    this.#counter += 1;
    const clientDataJSON = Buffer.from(
      JSON.stringify({ type: 'webauthn.get', challenge: options.challenge, origin: clientOrigin, crossOrigin: false }),
    );
    const authData = Buffer.concat([sha(this.rpId), Buffer.from([this.#flags(false)]), this.#counterBytes()]);
    const signature = sign('sha256', Buffer.concat([authData, sha(clientDataJSON)]), this.#privateKey);
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key' as const,
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
      },
      clientExtensionResults: {},
    };
  }
}
