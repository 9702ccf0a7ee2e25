import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { encodeCspBlob } from '../../../src/discovery/csp-blob';

/** One RSA signing key of a simulated editor, with its public half as discovery publishes it. */
export interface ProofKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** Big-endian base64, as discovery's `modulus`/`exponent`. */
  modulus: string;
  exponent: string;
  /** Microsoft CryptoAPI PUBLICKEYBLOB, base64, as discovery's `value`. */
  value: string;
}

/** The keys a discovery document publishes: current and (optionally) old. */
export interface PublishedKeys {
  current: ProofKeyPair;
  old?: ProofKeyPair;
}

export function generateProofKeyPair(bits = 2048): ProofKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  const jwk = publicKey.export({ format: 'jwk' });
  const modulus = Buffer.from(jwk.n ?? '', 'base64url');
  const exponent = Buffer.from(jwk.e ?? '', 'base64url');
  return {
    privateKey,
    publicKey,
    modulus: modulus.toString('base64'),
    exponent: exponent.toString('base64'),
    value: encodeCspBlob({ modulus, exponent }).toString('base64'),
  };
}

/** RSA PKCS#1 v1.5 over SHA-256, base64: an X-WOPI-Proof value. */
export function signProof(data: Buffer, key: ProofKeyPair): string {
  return sign('sha256', data, key.privateKey).toString('base64');
}

/**
 * An editor's key history. `rotate()` does what an editor's key rotation does: the current key
 * becomes the old one and a new current key appears; the key from before is gone.
 */
export class ProofKeyRing {
  private generations: [ProofKeyPair, ...ProofKeyPair[]];

  constructor(current = generateProofKeyPair(), old: ProofKeyPair | null = generateProofKeyPair()) {
    this.generations = old ? [current, old] : [current];
  }

  get current(): ProofKeyPair {
    return this.generations[0];
  }

  get old(): ProofKeyPair | undefined {
    return this.generations[1];
  }

  /** Every key this ring ever held that is no longer published (newest first). */
  get retired(): ProofKeyPair[] {
    return this.generations.slice(2);
  }

  published(): PublishedKeys {
    return this.old ? { current: this.current, old: this.old } : { current: this.current };
  }

  rotate(next = generateProofKeyPair()): void {
    this.generations = [next, ...this.generations];
  }
}
