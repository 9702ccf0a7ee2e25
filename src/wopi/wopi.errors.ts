import { AppError, BadRequestError } from '../common/errors/app-error';

/**
 * Collabora/OnlyOffice save conflict: X-COOL-WOPI-Timestamp (or X-LOOL-) no longer matches the
 * file's LastModifiedTime. Answered 409 with `{"COOLStatusCode":1010}`.
 */
export class TimestampConflictError extends AppError {
  readonly code = 'CONFLICT';
}

/** PutRelativeFile onto an existing name without overwrite: 409 + X-WOPI-ValidRelativeTarget. */
export class RelativeTargetExistsError extends AppError {
  readonly code = 'ALREADY_EXISTS';

  constructor(
    message: string,
    /** A free name, UTF-7 encoded as the header needs it. */
    readonly validRelativeTarget: string | undefined,
  ) {
    super(message);
  }
}

/** A file name the host cannot use: 400 + X-WOPI-InvalidFileNameError (RenameFile, PutRelativeFile). */
export class InvalidFileNameError extends BadRequestError {}

/** GetFile of a file larger than X-WOPI-MaxExpectedSize: 412. */
export class TooLargeForClientError extends AppError {
  readonly code = 'PRECONDITION_FAILED';
}
