import { type KeyObject } from 'node:crypto';
import { encodeCspBlob } from '../../../src/discovery/csp-blob';
import { proofKeyFromNumbers } from '../../../src/discovery/proof-keys';
import type { ProofKeyPair } from '../../../test/support/wopi-client/keys';

/**
 * The runner's proof keys are the editor simulator's (test/support/wopi-client): RSA-2048 pairs with
 * their discovery `value` (CSP PUBLICKEYBLOB), `modulus` and `exponent`.
 */
export { generateProofKeyPair, type ProofKeyPair } from '../../../test/support/wopi-client/keys';

/** A key as a discovery document publishes it. */
export type PublishedKey = Pick<ProofKeyPair, 'value' | 'modulus' | 'exponent'>;

/** The discovery attributes of a public key (used for keys read back from a key file). */
export function publishKey(publicKey: KeyObject): PublishedKey {
  const jwk = publicKey.export({ format: 'jwk' });
  if (jwk.n === undefined || jwk.e === undefined) {
    throw new Error('not an RSA public key');
  }
  const modulus = Buffer.from(jwk.n, 'base64url');
  const exponent = Buffer.from(jwk.e, 'base64url');
  return {
    value: encodeCspBlob({ modulus, exponent }).toString('base64'),
    modulus: modulus.toString('base64'),
    exponent: exponent.toString('base64'),
  };
}

/** The public key from a published modulus and exponent, as the server's discovery reads it. */
export function publicKeyFromModulus(modulus: string, exponent: string): KeyObject {
  return proofKeyFromNumbers({
    modulus: Buffer.from(modulus, 'base64'),
    exponent: Buffer.from(exponent, 'base64'),
  }).key;
}
