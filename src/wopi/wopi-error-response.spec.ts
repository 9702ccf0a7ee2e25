import { HttpException } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { NotImplementedError, PayloadTooLargeError } from '../common/errors/app-error';
import { LockConflictError } from '../locking/lock.errors';
import {
  StorageAlreadyExistsError,
  StorageInvalidArgumentError,
  StorageLockedError,
  StorageNotFoundError,
  StorageNotLockedError,
  StoragePermissionDeniedError,
  StoragePreconditionError,
  StorageTimeoutError,
  StorageTooEarlyError,
  StorageUnavailableError,
} from '../storage/storage.errors';
import { InvalidTokenError } from '../tokens/access-token.service';
import { wopiErrorResponse } from './wopi-error-response';
import {
  InvalidFileNameError,
  RelativeTargetExistsError,
  TimestampConflictError,
  TooLargeForClientError,
} from './wopi.errors';

const lock = { lockId: 'L1', appName: 'Collabora', expiresAt: 0 };

describe('wopiErrorResponse', () => {
  it.each([
    ['an invalid token', new InvalidTokenError('signature'), 401, 'UNAUTHORIZED'],
    ['a storage permission refusal', new StoragePermissionDeniedError('no'), 401, 'FORBIDDEN'],
    ['an unknown file', new StorageNotFoundError('gone'), 404, 'NOT_FOUND'],
    ['a bad argument', new StorageInvalidArgumentError('bad'), 400, 'BAD_REQUEST'],
    ['an existing target', new StorageAlreadyExistsError('exists'), 409, 'ALREADY_EXISTS'],
    ['a changed etag', new StoragePreconditionError('changed'), 412, 'PRECONDITION_FAILED'],
    ['a body too large', new PayloadTooLargeError('big'), 413, 'PAYLOAD_TOO_LARGE'],
    [
      'a file too large for the client',
      new TooLargeForClientError('big'),
      412,
      'PRECONDITION_FAILED',
    ],
    ['an unknown override', new NotImplementedError('no'), 501, 'NOT_IMPLEMENTED'],
    ['an unavailable storage', new StorageUnavailableError('down'), 503, 'UNAVAILABLE'],
    ['a storage still processing', new StorageTooEarlyError('wait'), 503, 'TOO_EARLY'],
    ['a storage timeout', new StorageTimeoutError('slow'), 504, 'TIMEOUT'],
    ['a Nest HTTP exception', new HttpException('teapot', 418), 418, 'HTTP_418'],
    ['anything else', new Error('boom'), 500, 'INTERNAL'],
  ])('should map %s deliberately', (_name, error, status, outcome) => {
    const answer = wopiErrorResponse(error, 'req-1');
    expect(answer.status).toBe(status);
    expect(answer.outcome).toBe(outcome);
    expect(answer.body).toMatchObject({ requestId: 'req-1' });
  });

  it('should answer lock outcomes with 409 and the current lock', () => {
    expect(
      wopiErrorResponse(new LockConflictError('L1', 'Lock mismatch'), undefined),
    ).toMatchObject({
      status: 409,
      headers: { 'X-WOPI-Lock': 'L1', 'X-WOPI-LockFailureReason': 'Lock mismatch' },
    });
    expect(wopiErrorResponse(new StorageLockedError('locked', lock), undefined).headers).toEqual({
      'X-WOPI-Lock': 'L1',
      'X-WOPI-LockFailureReason': 'Lock mismatch',
    });
    expect(
      wopiErrorResponse(new StorageLockedError('locked', undefined), undefined).headers[
        'X-WOPI-Lock'
      ],
    ).toBe('');
    expect(wopiErrorResponse(new StorageNotLockedError('none'), undefined)).toMatchObject({
      status: 409,
      headers: { 'X-WOPI-Lock': '' },
    });
  });

  it("should answer the editors' special conflicts in their format", () => {
    const timestamp = wopiErrorResponse(new TimestampConflictError('changed'), undefined);
    expect(timestamp.status).toBe(409);
    expect(timestamp.body).toMatchObject({ COOLStatusCode: 1010 });
    expect(
      wopiErrorResponse(new RelativeTargetExistsError('exists', 'a+AF8-b'), undefined),
    ).toMatchObject({
      status: 409,
      headers: { 'X-WOPI-ValidRelativeTarget': 'a+AF8-b' },
    });
    expect(
      wopiErrorResponse(new InvalidFileNameError('Filename too long'), undefined),
    ).toMatchObject({
      status: 400,
      headers: { 'X-WOPI-InvalidFileNameError': 'Filename too long' },
    });
  });

  it('should ask to retry later when the storage is unavailable and close refused uploads', () => {
    expect(
      wopiErrorResponse(new StorageUnavailableError('down'), undefined).headers['Retry-After'],
    ).toBe('5');
    expect(
      wopiErrorResponse(new PayloadTooLargeError('big'), undefined).headers['Connection'],
    ).toBe('close');
  });

  it('should never leak internals or tokens in messages', () => {
    expect(wopiErrorResponse(new Error('secret path /etc'), undefined).body).toMatchObject({
      message: 'internal error',
    });
    expect(
      wopiErrorResponse(new StorageInvalidArgumentError('bad url ?access_token=abc'), undefined)
        .body,
    ).toMatchObject({ message: 'bad url ?access_token=[REDACTED]' });
  });
});
