import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';

/** A proof key as a WOPI discovery document publishes it. */
export interface PublishedKey {
  /** Microsoft CSP PUBLICKEYBLOB, base64. */
  value: string;
  /** Big-endian modulus, base64. */
  modulus: string;
  /** Big-endian public exponent, base64. */
  exponent: string;
}

export interface ProofKeyPair extends PublishedKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** A fresh RSA-2048 key pair with exponent 65537, as Office's proof keys are. */
export function generateProofKeyPair(): ProofKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicExponent: 0x10001,
  });
  return { privateKey, publicKey, ...publishKey(publicKey) };
}

export function publishKey(publicKey: KeyObject): PublishedKey {
  const jwk = publicKey.export({ format: 'jwk' });
  if (jwk.n === undefined || jwk.e === undefined) {
    throw new Error('not an RSA public key');
  }
  const modulus = Buffer.from(jwk.n, 'base64url');
  const exponent = Buffer.from(jwk.e, 'base64url');
  return {
    value: cspPublicKeyBlob(modulus, exponent).toString('base64'),
    modulus: modulus.toString('base64'),
    exponent: exponent.toString('base64'),
  };
}

/**
 * PUBLICKEYBLOB: BLOBHEADER (type 6, version 2, reserved 0, CALG_RSA_KEYX), RSAPUBKEY ("RSA1",
 * bit length, public exponent; little-endian), then the modulus little-endian.
 */
export function cspPublicKeyBlob(modulus: Buffer, exponent: Buffer): Buffer {
  const header = Buffer.alloc(20);
  header.writeUInt8(0x06, 0);
  header.writeUInt8(0x02, 1);
  header.writeUInt16LE(0, 2);
  header.writeUInt32LE(0x0000a400, 4);
  header.write('RSA1', 8, 'ascii');
  header.writeUInt32LE(modulus.length * 8, 12);
  header.writeUInt32LE(Number(BigInt(`0x${exponent.toString('hex')}`)), 16);
  return Buffer.concat([header, Buffer.from(modulus).reverse()]);
}

/** The public key from a published modulus and exponent (what a host does with discovery). */
export function publicKeyFromModulus(modulus: string, exponent: string): KeyObject {
  return createPublicKey({
    key: {
      kty: 'RSA',
      n: Buffer.from(modulus, 'base64').toString('base64url'),
      e: Buffer.from(exponent, 'base64').toString('base64url'),
    },
    format: 'jwk',
  });
}
