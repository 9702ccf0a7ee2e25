import { proofData } from '../../../src/discovery/proof-data';
import { signProof as simulatorSignProof } from '../../../test/support/wopi-client/keys';
import type { MutatorDef } from '../model';
import type { ProofKeyPair } from './keys';
import { ticksFromMs } from './ticks';

export const PROOF_HEADER = 'X-WOPI-Proof';
export const PROOF_OLD_HEADER = 'X-WOPI-ProofOld';
export const TIMESTAMP_HEADER = 'X-WOPI-TimeStamp';
/** base64("INVALID"), what the ProofKey mutator puts in place of a signature. */
export const INVALID_PROOF = Buffer.from('INVALID', 'utf8').toString('base64');

/** The proof headers in the order Microsoft's runner adds them. */
export type ProofHeaders = [string, string][];

/** The runner's two key pairs and its clock. */
export interface ProofSigner {
  current: ProofKeyPair;
  old: ProofKeyPair;
  nowTicks(): bigint;
}

export function systemClockSigner(current: ProofKeyPair, old: ProofKeyPair): ProofSigner {
  return { current, old, nowTicks: () => ticksFromMs(Date.now()) };
}

/** Thrown when there is no access token to sign (Microsoft's ProofKeySigningException). */
export class ProofSigningError extends Error {
  override readonly name = 'ProofKeySigningException';
}

/**
 * The signed bytes (ProofKeysHelper, src/discovery/proof-data): int32BE(len) ‖ token (UTF-8) ‖
 * int32BE(len) ‖ URL upper-cased (UTF-8) ‖ int32BE(8) ‖ int64BE(ticks).
 */
export const proofBytes = proofData;

/** RSA PKCS#1 v1.5 over SHA-256, base64 (RSACryptoServiceProvider.SignData). */
export const signProof = simulatorSignProof;

export function proofHeaders(
  signer: ProofSigner,
  token: string | undefined,
  url: string,
  ticks: bigint,
): ProofHeaders {
  if (token === undefined) {
    throw new ProofSigningError('AccessToken');
  }
  const bytes = proofBytes(token, url, ticks);
  return [
    [PROOF_HEADER, signProof(bytes, signer.current)],
    [PROOF_OLD_HEADER, signProof(bytes, signer.old)],
    [TIMESTAMP_HEADER, ticks.toString()],
  ];
}

type ProofKeyMutator = Extract<MutatorDef, { kind: 'ProofKey' }>;

/**
 * ProofKeyMutator.Mutate: a Timestamp re-signs everything at that time first; then Synced replaces
 * the mutated signatures with INVALID, Ahead moves the current signature to ProofOld, Behind moves
 * the old one to Proof (the other becoming INVALID). Other KeyRelation values change nothing.
 */
export function mutateProofHeaders(
  original: ProofHeaders,
  mutator: ProofKeyMutator,
  resign: (ticks: bigint) => ProofHeaders,
): ProofHeaders {
  const headers = new Map(
    mutator.timestampTicks === undefined ? original : resign(mutator.timestampTicks),
  );
  const proof = headers.get(PROOF_HEADER) ?? '';
  const proofOld = headers.get(PROOF_OLD_HEADER) ?? '';
  switch (mutator.keyRelation) {
    case 'Synced':
      if (mutator.mutateCurrent) {
        headers.set(PROOF_HEADER, INVALID_PROOF);
      }
      if (mutator.mutateOld) {
        headers.set(PROOF_OLD_HEADER, INVALID_PROOF);
      }
      break;
    case 'Behind':
      headers.set(PROOF_HEADER, proofOld);
      headers.set(PROOF_OLD_HEADER, INVALID_PROOF);
      break;
    case 'Ahead':
      headers.set(PROOF_OLD_HEADER, proof);
      headers.set(PROOF_HEADER, INVALID_PROOF);
      break;
    default:
      break;
  }
  return [...headers];
}
