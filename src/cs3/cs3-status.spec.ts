import { describe, expect, it } from 'vitest';
import {
  StorageInternalError,
  StorageInvalidArgumentError,
  StorageLockedError,
  StorageNotFoundError,
  StorageNotLockedError,
  StoragePermissionDeniedError,
  StoragePreconditionError,
  StorageTimeoutError,
  StorageTooEarlyError,
  StorageUnauthenticatedError,
  StorageUnavailableError,
} from '../storage/storage.errors';
import type { LockInfo } from '../storage/storage.types';
import { resolveOutcome, resolveStatus, type FailureScope } from './cs3-outcomes';
import {
  CS3_STATUS_TABLE,
  codeOf,
  dataStatusOutcome,
  describeStatus,
  outcomeOf,
  type Cs3Operation,
} from './cs3-status';
import { CS3_CODES, type Cs3Code } from './proto/cs3.messages';

const LOCK: LockInfo = { lockId: 'L1', appName: 'Collabora', expiresAt: Date.now() + 60_000 };

function scope(lock: LockInfo | undefined, more: Partial<FailureScope> = {}): FailureScope {
  return {
    currentLock: () => Promise.resolve(lock),
    exists: () => Promise.resolve(true),
    ...more,
  };
}

async function errorOf(
  operation: Cs3Operation,
  code: Cs3Code,
  within: FailureScope,
): Promise<unknown> {
  const resolution = await resolveStatus(operation, 'Call', { code, message: 'why' }, within);
  return 'error' in resolution ? resolution.error : resolution;
}

describe('CS3 status table', () => {
  it('should have a row for every code of cs3.rpc.v1beta1.Code', () => {
    expect(Object.keys(CS3_STATUS_TABLE).sort()).toEqual(
      CS3_CODES.filter((code) => code !== 'CODE_OK').sort(),
    );
  });

  it.each([
    ['CODE_INVALID', StorageInternalError],
    ['CODE_INVALID_ARGUMENT', StorageInvalidArgumentError],
    ['CODE_DEADLINE_EXCEEDED', StorageTimeoutError],
    ['CODE_NOT_FOUND', StorageNotFoundError],
    ['CODE_PERMISSION_DENIED', StoragePermissionDeniedError],
    ['CODE_UNAUTHENTICATED', StorageUnauthenticatedError],
    ['CODE_FAILED_PRECONDITION', StoragePreconditionError],
    ['CODE_INTERNAL', StorageInternalError],
    ['CODE_UNAVAILABLE', StorageUnavailableError],
    ['CODE_TOO_EARLY', StorageTooEarlyError],
  ] as const)('should map %s on Stat to %o', async (code, expected) => {
    const error = await errorOf('stat', code, scope(undefined));
    expect(error).toBeInstanceOf(expected);
    expect((error as Error).message).toBe(`Call: ${code} (why)`);
  });

  it('should read GetLock NOT_FOUND as "no lock", unless the file is gone', async () => {
    expect(
      await resolveStatus('getLock', 'GetLock', { code: 'CODE_NOT_FOUND' }, scope(undefined)),
    ).toEqual({
      noLock: true,
    });
    const gone = scope(undefined, { exists: () => Promise.resolve(false) });
    expect(await errorOf('getLock', 'CODE_NOT_FOUND', gone)).toBeInstanceOf(StorageNotFoundError);
  });

  it('should read SetLock FAILED_PRECONDITION as a conflict carrying the current lock', async () => {
    const error = await errorOf('setLock', 'CODE_FAILED_PRECONDITION', scope(LOCK));
    expect(error).toBeInstanceOf(StorageLockedError);
    expect((error as StorageLockedError).current).toEqual(LOCK);
  });

  it('should read Refresh/Unlock FAILED_PRECONDITION, ABORTED and LOCKED by the lock there is now', async () => {
    for (const operation of ['refreshLock', 'unlock'] as const) {
      for (const code of ['CODE_FAILED_PRECONDITION', 'CODE_ABORTED', 'CODE_LOCKED'] as const) {
        expect(await errorOf(operation, code, scope(undefined))).toBeInstanceOf(
          StorageNotLockedError,
        );
        expect(await errorOf(operation, code, scope(LOCK))).toBeInstanceOf(StorageLockedError);
      }
    }
  });

  it('should read PERMISSION_DENIED on a lock as a conflict only when another app or id holds it', async () => {
    const ours = { lockId: 'L1', appName: 'OnlyOffice' };
    expect(await errorOf('unlock', 'CODE_PERMISSION_DENIED', scope(LOCK, { ours }))).toBeInstanceOf(
      StorageLockedError,
    );
    const same = { lockId: 'L1', appName: 'Collabora' };
    expect(
      await errorOf('unlock', 'CODE_PERMISSION_DENIED', scope(LOCK, { ours: same })),
    ).toBeInstanceOf(StoragePermissionDeniedError);
    expect(await errorOf('setLock', 'CODE_PERMISSION_DENIED', scope(undefined))).toBeInstanceOf(
      StoragePermissionDeniedError,
    );
  });

  it('should read an upload INTERNAL as a lock conflict when another lock is there (reva maps Aborted so)', async () => {
    expect(
      await errorOf('upload', 'CODE_INTERNAL', scope(LOCK, { ours: { lockId: 'L2' } })),
    ).toBeInstanceOf(StorageLockedError);
    expect(await errorOf('upload', 'CODE_INTERNAL', scope(undefined))).toBeInstanceOf(
      StorageInternalError,
    );
  });

  it('should retry a write once without lock id when the file turns out unlocked', async () => {
    for (const operation of ['upload', 'move', 'delete'] as const) {
      expect(
        await errorOf(operation, 'CODE_ABORTED', scope(undefined, { mayRetry: true })),
      ).toEqual({
        retryWithoutLockId: true,
      });
      const again = await errorOf(operation, 'CODE_LOCKED', scope(undefined, { mayRetry: false }));
      expect(again).toBeInstanceOf(StorageLockedError);
      expect(await errorOf(operation, 'CODE_LOCKED', scope(LOCK))).toMatchObject({ current: LOCK });
    }
  });

  it('should treat codes it does not know as internal errors', () => {
    expect(codeOf({ code: 42 })).toBe(42);
    expect(codeOf({ code: 20 })).toBe('CODE_LOCKED');
    expect(codeOf(undefined)).toBe('CODE_INVALID');
    expect(outcomeOf('stat', { code: 42 })).toEqual({ kind: 'error', error: StorageInternalError });
    expect(describeStatus('Stat', { code: 42, message: 'new' })).toBe('Stat: code 42 (new)');
    expect(() => outcomeOf('stat', { code: 'CODE_OK' })).toThrow('CODE_OK is not an error');
  });

  it.each([
    [400, StorageInvalidArgumentError],
    [401, StorageUnauthenticatedError],
    [403, StoragePermissionDeniedError],
    [404, StorageNotFoundError],
    [412, StoragePreconditionError],
    [425, StorageTooEarlyError],
    [500, StorageInternalError],
    [503, StorageUnavailableError],
  ] as const)('should map a data-gateway %i to %o', async (status, expected) => {
    const resolution = await resolveOutcome(dataStatusOutcome(status), 'PUT', scope(undefined));
    expect('error' in resolution && resolution.error).toBeInstanceOf(expected);
  });
});
