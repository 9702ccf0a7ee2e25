import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { decodeCspBlob, stripLeadingZeros, type RsaPublicNumbers } from './csp-blob';

/** One editor signing key, ready for crypto.verify. */
export interface ProofKey {
  key: KeyObject;
  /** Short fingerprint of the modulus, for logs ("which key"). */
  id: string;
}

/** The keys of a discovery document: the current one and, during a rotation, the previous one. */
export interface ProofKeys {
  current: ProofKey;
  /** Absent when the document has none; equal to `current` when the editor repeats it (Collabora). */
  old?: ProofKey;
}

export class InvalidProofKeyError extends Error {}

const MIN_MODULUS_BITS = 1024;

/** Imports an RSA public key from the big-endian base64 numbers of a discovery document. */
export function proofKeyFromNumbers(numbers: RsaPublicNumbers): ProofKey {
  const modulus = stripLeadingZeros(numbers.modulus);
  const exponent = stripLeadingZeros(numbers.exponent);
  if (modulus.length * 8 < MIN_MODULUS_BITS || (modulus[0] ?? 0) === 0) {
    throw new InvalidProofKeyError(
      `modulus of ${String(modulus.length * 8)} bits is too short for an RSA key`,
    );
  }
  if (
    exponent.length === 0 ||
    exponent.length > 8 ||
    (exponent[exponent.length - 1] ?? 0) % 2 === 0
  ) {
    throw new InvalidProofKeyError('the public exponent is not a usable RSA exponent');
  }
  let key: KeyObject;
  try {
    key = createPublicKey({
      key: { kty: 'RSA', n: modulus.toString('base64url'), e: exponent.toString('base64url') },
      format: 'jwk',
    });
  } catch (error) {
    throw new InvalidProofKeyError(`not an RSA public key (${(error as Error).message})`);
  }
  return { key, id: createHash('sha256').update(modulus).digest('hex').slice(0, 12) };
}

/**
 * The key of one `proof-key` generation: from `modulus`/`exponent` when both are present, else from
 * the CryptoAPI blob in `value`; undefined when the generation is absent altogether.
 */
export function proofKeyFromAttributes(
  modulus: string | undefined,
  exponent: string | undefined,
  value: string | undefined,
): ProofKey | undefined {
  if (present(modulus) && present(exponent)) {
    return proofKeyFromNumbers({
      modulus: strictBase64(modulus, 'modulus'),
      exponent: strictBase64(exponent, 'exponent'),
    });
  }
  if (present(value)) {
    const numbers = decodeCspBlob(strictBase64(value, 'value'));
    if (!numbers) {
      throw new InvalidProofKeyError('value is not a CryptoAPI RSA public key blob');
    }
    return proofKeyFromNumbers(numbers);
  }
  if (present(modulus) || present(exponent)) {
    throw new InvalidProofKeyError('modulus and exponent must come together');
  }
  return undefined;
}

function present(text: string | undefined): text is string {
  return text !== undefined && text.trim() !== '';
}

function strictBase64(text: string, what: string): Buffer {
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) {
    throw new InvalidProofKeyError(`${what} is not base64`);
  }
  return Buffer.from(compact, 'base64');
}
