import { verify } from 'node:crypto';
import { proofData } from './proof-data';
import type { ProofKey, ProofKeys } from './proof-keys';
import { msFromTicks, parseTicks } from './ticks';

/** How far X-WOPI-TimeStamp may be from our clock, either way. */
export const PROOF_MAX_AGE_MS = 20 * 60_000;

/** The proof headers of a request, as received (any may be missing). */
export interface ProofHeaders {
  timestamp?: string;
  proof?: string;
  proofOld?: string;
}

export interface ProofRequest {
  /** The token as the editor may have signed it; tried in order (raw from the URL, decoded...). */
  tokens: readonly string[];
  /** The full request URL as the editor sent it (public origin, raw path and query). */
  url: string;
  headers: ProofHeaders;
}

/** Which check failed. Only `signature-mismatch` can be cured by fetching newer keys. */
export type ProofFailure =
  | 'missing-timestamp'
  | 'invalid-timestamp'
  | 'expired-timestamp'
  | 'missing-proof'
  | 'signature-mismatch';

/** Which of the accepted combinations matched. */
export type ProofMatch = 'proof-current' | 'proofold-current' | 'proof-old';

export type ProofResult =
  | { valid: true; match: ProofMatch; keyId: string; tokenIndex: number }
  | { valid: false; reason: ProofFailure; detail: string };

/**
 * Verifies a WOPI proof (RSA PKCS#1 v1.5, SHA-256): valid when X-WOPI-Proof verifies with the
 * current key, or X-WOPI-ProofOld with the current key, or X-WOPI-Proof with the old key, and the
 * timestamp is within 20 minutes of `now`. A ProofOld signed with the old key alone is rejected.
 */
export function verifyProof(request: ProofRequest, keys: ProofKeys, now: number): ProofResult {
  const { headers } = request;
  if (headers.timestamp === undefined || headers.timestamp.trim() === '') {
    return fail('missing-timestamp', 'X-WOPI-TimeStamp is missing');
  }
  const ticks = parseTicks(headers.timestamp);
  if (ticks === undefined) {
    return fail('invalid-timestamp', 'X-WOPI-TimeStamp is not a .NET ticks value');
  }
  const skew = now - msFromTicks(ticks);
  if (Math.abs(skew) > PROOF_MAX_AGE_MS) {
    return fail(
      'expired-timestamp',
      `X-WOPI-TimeStamp is ${String(Math.round(Math.abs(skew) / 1000))}s ${skew > 0 ? 'old' : 'in the future'} (at most ${String(PROOF_MAX_AGE_MS / 1000)}s allowed)`,
    );
  }
  if (headers.proof === undefined || headers.proof.trim() === '') {
    return fail('missing-proof', 'X-WOPI-Proof is missing');
  }
  const proof = signature(headers.proof);
  const proofOld = headers.proofOld === undefined ? undefined : signature(headers.proofOld);
  const combinations: [ProofMatch, Buffer | undefined, ProofKey | undefined][] = [
    ['proof-current', proof, keys.current],
    ['proofold-current', proofOld, keys.current],
    ['proof-old', proof, keys.old],
  ];
  const tokens = [...new Set(request.tokens)];
  for (const [tokenIndex, token] of tokens.entries()) {
    const data = proofData(token, request.url, ticks);
    for (const [match, sig, key] of combinations) {
      if (sig !== undefined && key !== undefined && verify('sha256', data, key.key, sig)) {
        return { valid: true, match, keyId: key.id, tokenIndex };
      }
    }
  }
  return fail(
    'signature-mismatch',
    `no signature verifies with key ${keys.current.id}${keys.old && keys.old.id !== keys.current.id ? ` or old key ${keys.old.id}` : ''} (X-WOPI-ProofOld ${proofOld === undefined ? 'absent' : 'present'}, ${String(tokens.length)} token form(s) tried)`,
  );
}

function signature(header: string): Buffer {
  return Buffer.from(header.trim(), 'base64');
}

function fail(reason: ProofFailure, detail: string): ProofResult {
  return { valid: false, reason, detail };
}
