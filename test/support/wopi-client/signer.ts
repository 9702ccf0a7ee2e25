import { proofData } from '../../../src/discovery/proof-data';
import { ticksFromMs } from '../../../src/discovery/ticks';
import type { SimulatedProduct } from './discovery-document';
import { signProof, type PublishedKeys } from './keys';

export interface SignInput {
  product: SimulatedProduct;
  /** The full request URL exactly as sent (public WOPISrc origin, path, every query parameter). */
  url: string;
  /** The access token as the host handed it out (decoded). */
  token: string;
  /** The keys the editor signs with (its own ring; may differ from what its discovery says). */
  keys: PublishedKeys;
  /** When the request is signed (epoch ms); X-WOPI-TimeStamp carries it as .NET ticks. */
  at?: number;
}

/**
 * The proof headers an editor sends, the way each product computes them:
 * Collabora signs the decoded token and repeats X-WOPI-Proof as X-WOPI-ProofOld; OnlyOffice signs
 * with its current and (when configured) old key; Microsoft signs the token exactly as it appears
 * URL-encoded in the query, with both keys.
 */
export function proofHeaders(input: SignInput): Record<string, string> {
  const ticks = ticksFromMs(input.at ?? Date.now());
  const headers: Record<string, string> = { 'X-WOPI-TimeStamp': ticks.toString() };
  switch (input.product) {
    case 'Collabora': {
      const proof = signProof(proofData(input.token, input.url, ticks), input.keys.current);
      headers['X-WOPI-Proof'] = proof;
      headers['X-WOPI-ProofOld'] = proof;
      return headers;
    }
    case 'OnlyOffice': {
      const data = proofData(input.token, input.url, ticks);
      headers['X-WOPI-Proof'] = signProof(data, input.keys.current);
      if (input.keys.old) {
        headers['X-WOPI-ProofOld'] = signProof(data, input.keys.old);
      }
      return headers;
    }
    case 'Microsoft': {
      const raw = new URL(input.url).search
        .slice(1)
        .split('&')
        .find((pair) => pair.startsWith('access_token='))
        ?.slice('access_token='.length);
      const data = proofData(raw ?? input.token, input.url, ticks);
      headers['X-WOPI-Proof'] = signProof(data, input.keys.current);
      headers['X-WOPI-ProofOld'] = signProof(data, input.keys.old ?? input.keys.current);
      return headers;
    }
  }
}
