import type { VerifiedToken } from '../tokens/access-token.types';

/**
 * What WopiProofGuard needs from the WOPI token guard that runs before it. The WOPI request context
 * satisfies it structurally; the token guard attaches it with `attachProofInput(request, context)`.
 */
export interface ProofInput {
  /** The access token the token guard verified (the decoded `access_token` query value). */
  readonly accessToken: string;
  /** The verified token; the proof guard reads only `app`. */
  readonly token: Pick<VerifiedToken, 'app'>;
}

const PROOF_INPUT = Symbol.for('ocis-collaboration.wopi.proof-input');

type Carrier = object & { [PROOF_INPUT]?: ProofInput };

/** Called by the token guard once the token is verified (on the Fastify request object). */
export function attachProofInput(request: object, input: ProofInput): void {
  (request as Carrier)[PROOF_INPUT] = input;
}

/** What the token guard attached, or undefined when it did not run. */
export function proofInputOf(request: object): ProofInput | undefined {
  return (request as Carrier)[PROOF_INPUT];
}
