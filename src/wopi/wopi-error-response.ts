import { HttpException } from '@nestjs/common';
import { AppError, HTTP_STATUS_BY_CODE } from '../common/errors/app-error';
import { redactText } from '../common/logging/redact';
import { lockHeaderValue } from '../locking/lock-id';
import { LockConflictError } from '../locking/lock.errors';
import { StorageLockedError, StorageNotLockedError } from '../storage/storage.errors';
import {
  InvalidFileNameError,
  RelativeTargetExistsError,
  TimestampConflictError,
} from './wopi.errors';

export interface WopiErrorResponse {
  status: number;
  /** The outcome recorded for the operation: the error code. */
  outcome: string;
  headers: Record<string, string>;
  body: unknown;
}

/** Seconds editors are asked to wait before retrying when the storage is busy or unavailable. */
const RETRY_AFTER_SECONDS = '5';

/**
 * The WOPI answer for an error: status, WOPI headers (X-WOPI-Lock, X-WOPI-LockFailureReason,
 * X-WOPI-ValidRelativeTarget, X-WOPI-InvalidFileNameError) and body. Every storage outcome has a
 * deliberate mapping: lock outcomes are 409 with the current lock, a refused permission is 401
 * (WOPI's "not allowed"), an unavailable storage 503, a timeout 504; only unknown errors are 500.
 */
export function wopiErrorResponse(
  exception: unknown,
  requestId: string | undefined,
): WopiErrorResponse {
  if (exception instanceof LockConflictError) {
    return lockConflict(exception.currentLockId, exception.reason, requestId);
  }
  if (exception instanceof StorageLockedError) {
    return lockConflict(lockHeaderValue(exception.current?.lockId), 'Lock mismatch', requestId);
  }
  if (exception instanceof StorageNotLockedError) {
    return lockConflict('', 'File not locked', requestId);
  }
  if (exception instanceof TimestampConflictError) {
    return {
      status: 409,
      outcome: 'TIMESTAMP_CONFLICT',
      headers: {},
      body: { COOLStatusCode: 1010, LOOLStatusCode: 1010, requestId },
    };
  }
  if (exception instanceof RelativeTargetExistsError) {
    return {
      status: 409,
      outcome: exception.code,
      headers:
        exception.validRelativeTarget === undefined
          ? {}
          : { 'X-WOPI-ValidRelativeTarget': exception.validRelativeTarget },
      body: errorBody(exception.code, exception.message, requestId),
    };
  }
  if (exception instanceof InvalidFileNameError) {
    return {
      status: 400,
      outcome: 'INVALID_FILE_NAME',
      headers: { 'X-WOPI-InvalidFileNameError': headerSafe(exception.message) },
      body: errorBody(exception.code, exception.message, requestId),
    };
  }
  if (exception instanceof AppError) {
    // A permission the storage refuses is WOPI's 401, the same as a token that does not allow it.
    const status = exception.code === 'FORBIDDEN' ? 401 : HTTP_STATUS_BY_CODE[exception.code];
    const headers: Record<string, string> =
      status === 503 ? { 'Retry-After': RETRY_AFTER_SECONDS } : {};
    if (exception.code === 'PAYLOAD_TOO_LARGE') {
      headers['Connection'] = 'close';
    }
    return {
      status,
      outcome: exception.code,
      headers,
      body: errorBody(
        exception.code,
        exception.code === 'INTERNAL' ? 'internal error' : exception.message,
        requestId,
      ),
    };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    return {
      status,
      outcome: `HTTP_${String(status)}`,
      headers: {},
      body: errorBody(`HTTP_${String(status)}`, exception.message, requestId),
    };
  }
  return {
    status: 500,
    outcome: 'INTERNAL',
    headers: {},
    body: errorBody('INTERNAL', 'internal error', requestId),
  };
}

function lockConflict(
  currentLockId: string,
  reason: string,
  requestId: string | undefined,
): WopiErrorResponse {
  return {
    status: 409,
    outcome: 'LOCK_CONFLICT',
    headers: { 'X-WOPI-Lock': currentLockId, 'X-WOPI-LockFailureReason': reason },
    body: errorBody('LOCK_CONFLICT', reason, requestId),
  };
}

function errorBody(code: string, message: string, requestId: string | undefined): unknown {
  return { code, message: redactText(message), requestId };
}

function headerSafe(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?');
}
