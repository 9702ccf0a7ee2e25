import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/temp';
import { LocalStorageGateway } from '../storage/local/local-storage-gateway.adapter';
import type { FileInfo, StorageCredentials } from '../storage/storage.types';
import { lockHeaderValue, optionalLockId, requiredLockId } from './lock-id';
import { InvalidLockIdError, LockConflictError } from './lock.errors';
import { LOCK_DURATION_MS, WopiLockService, type LockTarget } from './wopi-lock.service';

const credentials: StorageCredentials = {
  user: {
    id: { idp: 'local', opaqueId: 'alice' },
    username: 'alice',
    displayName: 'Alice',
    isGuest: false,
  },
};

async function conflict(promise: Promise<unknown> | (() => void)): Promise<LockConflictError> {
  try {
    await (typeof promise === 'function' ? Promise.resolve().then(promise) : promise);
  } catch (error) {
    expect(error).toBeInstanceOf(LockConflictError);
    return error as LockConflictError;
  }
  throw new Error('expected a lock conflict');
}

describe(WopiLockService.name, () => {
  let remove: () => Promise<void>;
  let storage: LocalStorageGateway;
  let locks: WopiLockService;
  let target: LockTarget;
  let now: number;

  beforeEach(async () => {
    const temp = await tempDir();
    remove = temp.remove;
    now = Date.now();
    storage = await LocalStorageGateway.create(temp.dir, 'owner', () => now);
    await writeFile(join(temp.dir, 'a.docx'), 'content');
    const ref = { resourceId: (await storage.statPath('/a.docx')).resourceId };
    locks = new WopiLockService(storage);
    locks.now = () => now;
    target = { ref, credentials, appName: 'Collabora' };
  });

  afterEach(async () => {
    await remove();
  });

  it('should lock for 30 minutes and refresh when the same id locks again', async () => {
    await locks.lock(target, 'L1');
    expect((await storage.getLock(target.ref))?.expiresAt).toBe(now + LOCK_DURATION_MS);
    now += 10 * 60_000;
    await locks.lock(target, 'L1');
    expect(await storage.getLock(target.ref)).toMatchObject({
      lockId: 'L1',
      appName: 'Collabora',
      expiresAt: now + LOCK_DURATION_MS,
    });
  });

  it('should name the current lock when another id locks', async () => {
    await locks.lock(target, 'L1');
    const error = await conflict(locks.lock(target, 'L2'));
    expect(error.currentLockId).toBe('L1');
    expect(error.reason).toBe('Conflicting lock');
  });

  it('should refuse the same id from another app', async () => {
    await locks.lock(target, 'L1');
    const error = await conflict(locks.lock({ ...target, appName: 'OnlyOffice' }, 'L1'));
    expect(error.currentLockId).toBe('L1');
    expect(error.reason).toBe('Locked by another app');
  });

  it('should take a lock whose predecessor expired', async () => {
    await locks.lock(target, 'L1');
    now += LOCK_DURATION_MS + 1;
    await locks.lock(target, 'L2');
    expect(await locks.getLock(target)).toBe('L2');
  });

  it('should relock atomically only from the current id', async () => {
    expect((await conflict(locks.unlockAndRelock(target, 'L1', 'L2'))).currentLockId).toBe('');
    await locks.lock(target, 'L1');
    expect((await conflict(locks.unlockAndRelock(target, 'L0', 'L2'))).currentLockId).toBe('L1');
    await locks.unlockAndRelock(target, 'L1', 'L2');
    expect(await locks.getLock(target)).toBe('L2');
  });

  it('should refresh and unlock only with the current id, and say when there is no lock', async () => {
    const none = await conflict(locks.refreshLock(target, 'L1'));
    expect(none).toMatchObject({ currentLockId: '', reason: 'File not locked' });
    expect((await conflict(locks.unlock(target, 'L1'))).currentLockId).toBe('');
    await locks.lock(target, 'L1');
    expect((await conflict(locks.refreshLock(target, 'L2'))).currentLockId).toBe('L1');
    expect((await conflict(locks.unlock(target, 'L2'))).currentLockId).toBe('L1');
    await locks.refreshLock(target, 'L1');
    await locks.unlock(target, 'L1');
    expect(await locks.getLock(target)).toBe('');
  });

  it('should let PutFile through with the lock, or on an empty unlocked file only', async () => {
    const info = (size: number, lockId?: string): FileInfo =>
      ({
        size,
        lock: lockId === undefined ? undefined : { lockId, appName: 'x', expiresAt: now + 1 },
      }) as FileInfo;
    expect(() => {
      locks.checkPutFile(info(10, 'L1'), 'L1');
    }).not.toThrow();
    expect(() => {
      locks.checkPutFile(info(0), undefined);
    }).not.toThrow();
    expect(() => {
      locks.checkPutFile(info(0), 'any');
    }).not.toThrow();
    expect(
      (
        await conflict(() => {
          locks.checkPutFile(info(10, 'L1'), 'L2');
        })
      ).currentLockId,
    ).toBe('L1');
    expect(
      (
        await conflict(() => {
          locks.checkPutFile(info(10, 'L1'), undefined);
        })
      ).reason,
    ).toBe('File is locked');
    expect(
      (
        await conflict(() => {
          locks.checkPutFile(info(1), 'L1');
        })
      ).currentLockId,
    ).toBe('');
    expect(() => {
      locks.checkChange(info(10), undefined);
    }).not.toThrow();
    expect(
      (
        await conflict(() => {
          locks.checkChange(info(10, 'L1'), 'L2');
        })
      ).currentLockId,
    ).toBe('L1');
  });
});

describe('lock ids', () => {
  it('should keep up to 1024 characters verbatim and refuse more', () => {
    const json = `{"S":"${'x'.repeat(1000)}"}`.padEnd(1024, ' ');
    expect(requiredLockId(json)).toBe(json);
    expect(() => requiredLockId(`${json}y`)).toThrow(InvalidLockIdError);
    expect(() => optionalLockId('L'.repeat(1025))).toThrow(InvalidLockIdError);
  });

  it('should treat empty and the literal "undefined" as no lock', () => {
    expect(optionalLockId(undefined)).toBeUndefined();
    expect(optionalLockId('')).toBeUndefined();
    expect(optionalLockId('undefined')).toBeUndefined();
    expect(() => requiredLockId('')).toThrow(InvalidLockIdError);
  });

  it('should answer "" for a stored lock a header cannot carry', () => {
    expect(lockHeaderValue(undefined)).toBe('');
    expect(lockHeaderValue('line\nbreak')).toBe('');
    expect(lockHeaderValue('{"S":"a b"}')).toBe('{"S":"a b"}');
    expect(lockHeaderValue('ünïcode-free? no: \u0100')).toBe('');
  });
});
