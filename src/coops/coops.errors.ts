import {
  AppError,
  BadRequestError,
  ConflictError,
  NotImplementedError,
  PayloadTooLargeError,
} from '../common/errors/app-error';

/** A request CoOPS cannot read; `reasons` lists every problem found. */
export class CoopsBadRequestError extends BadRequestError {
  constructor(readonly reasons: string[]) {
    super(reasons.join('; '));
  }
}

/** The PATCH was made against a revision that is no longer the newest one. */
export class StaleRevisionError extends ConflictError {
  constructor(
    readonly given: number,
    readonly current: number,
  ) {
    super(`revision ${String(given)} is not the current revision ${String(current)}`);
  }
}

/** The patch does not apply exactly to the revision it names (client and server diverged). */
export class PatchNotApplicableError extends ConflictError {}

/** Join without a protocol version or algorithm this server speaks. */
export class UnsupportedProtocolError extends NotImplementedError {}

export class DocumentTooLargeError extends PayloadTooLargeError {}

/** Another replica appended first; the caller catches up and decides again. */
export class RevisionConflictError extends AppError {
  readonly code = 'CONFLICT';
}

/** The revisions asked for are older than the log keeps. */
export class RevisionsTrimmedError extends AppError {
  readonly code = 'NOT_FOUND';
}
