import { AppError, NotFoundError, UnavailableError } from '../common/errors/app-error';
import type { ProofFailure } from './proof-verifier';

/** The request names an editor app that is not configured. */
export class UnknownAppError extends NotFoundError {
  constructor(readonly app: string) {
    super(`no editor app named ${JSON.stringify(app)} is configured`);
  }
}

/** The app's discovery has not answered yet (and there is no earlier copy). */
export class EditorUnavailableError extends UnavailableError {
  constructor(readonly app: string) {
    super(`the discovery of ${app} is not available`);
  }
}

/** The app's discovery has no usable action for the file's extension. */
export class NoEditorActionError extends NotFoundError {
  constructor(
    readonly app: string,
    readonly extension: string,
  ) {
    super(`${app} cannot open .${extension} files`);
  }
}

/** Why a request's proof was refused: a verifier failure or a missing precondition. */
export type ProofRefusal = ProofFailure | 'no-discovery' | 'unknown-app' | 'no-proof-input';

/** A WOPI request failed its proof-key check; WOPI expects 500 for it. */
export class ProofInvalidError extends AppError {
  readonly code = 'PROOF_INVALID';

  constructor(readonly reason: ProofRefusal) {
    super('proof-key check failed');
  }
}
