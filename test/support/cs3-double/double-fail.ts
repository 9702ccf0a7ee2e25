import type { Cs3Code } from '../../../src/cs3/proto/cs3.messages';

/** A CS3 status the double answers with (reva puts the outcome in the response's status). */
export class Cs3Fail extends Error {
  constructor(
    readonly code: Cs3Code,
    message: string,
  ) {
    super(message);
  }
}

const UPLOAD_FAILURE_STATUS: Partial<Record<Cs3Code, number>> = {
  CODE_NOT_FOUND: 404,
  CODE_PERMISSION_DENIED: 403,
  CODE_UNAUTHENTICATED: 401,
  CODE_INSUFFICIENT_STORAGE: 507,
  CODE_FAILED_PRECONDITION: 412,
  CODE_ABORTED: 412,
  CODE_ALREADY_EXISTS: 412,
};

/**
 * How reva's simple data server answers a failed upload (pkg/rhttp/datatx/manager/simple): anything
 * else, errtypes.Locked included, is 500.
 */
export function httpStatusOfUploadFailure(code: Cs3Code): number {
  return UPLOAD_FAILURE_STATUS[code] ?? 500;
}
