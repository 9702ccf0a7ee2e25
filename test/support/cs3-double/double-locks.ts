import type * as cs3 from '../../../src/cs3/proto/cs3.messages';
import { Cs3Fail } from './double-fail';

function sameUser(a: cs3.UserId | undefined, b: cs3.UserId | undefined): boolean {
  return a?.idp === b?.idp && a?.opaque_id === b?.opaque_id;
}

function expired(lock: cs3.Lock): boolean {
  const exp = lock.expiration;
  return exp !== undefined && Date.now() > (exp.seconds ?? 0) * 1000 + (exp.nanos ?? 0) / 1e6;
}

/**
 * Locks with decomposedfs's rules and status codes (reva pkg/storage/.../node/locks.go): one lock
 * per node; an expired lock is deleted when it is read (Refresh and Unlock do not read it first);
 * SetLock on a locked node is FAILED_PRECONDITION; Refresh without a lock FAILED_PRECONDITION, with
 * another id ABORTED; Unlock without a lock ABORTED, with another id LOCKED; another app name or
 * lock user PERMISSION_DENIED; writes need the lock id (none → LOCKED, another → ABORTED, a lock id
 * on an unlocked node → ABORTED).
 */
export class DoubleLocks {
  private readonly locks = new Map<string, cs3.Lock>();

  /** The live lock of a node (ReadLock): an expired one is removed and reported as none. */
  read(nodeId: string): cs3.Lock | undefined {
    const lock = this.locks.get(nodeId);
    if (lock && expired(lock)) {
      this.locks.delete(nodeId);
      return undefined;
    }
    return lock;
  }

  set(nodeId: string, lock: cs3.Lock): void {
    if (this.read(nodeId)) {
      throw new Cs3Fail('CODE_FAILED_PRECONDITION', 'set lock: already locked');
    }
    this.locks.set(nodeId, lock);
  }

  refresh(nodeId: string, lock: cs3.Lock, existingLockId: string, caller: cs3.UserId): void {
    if (!lock.lock_id) {
      throw new Cs3Fail('CODE_INVALID_ARGUMENT', 'refresh lock: missing lockid');
    }
    const stored = this.locks.get(nodeId);
    if (!stored) {
      throw new Cs3Fail('CODE_FAILED_PRECONDITION', 'refresh lock: lock does not exist');
    }
    if (existingLockId === '' && stored.lock_id !== lock.lock_id) {
      throw new Cs3Fail('CODE_ABORTED', 'refresh lock: mismatching lock ID');
    }
    if (existingLockId !== '' && stored.lock_id !== existingLockId) {
      throw new Cs3Fail('CODE_ABORTED', 'refresh lock: mismatching existing lock ID');
    }
    this.checkModification(stored, lock, caller);
    this.locks.set(nodeId, lock);
  }

  unlock(nodeId: string, lock: cs3.Lock, caller: cs3.UserId): void {
    if (!lock.lock_id) {
      throw new Cs3Fail('CODE_INVALID_ARGUMENT', 'unlock: missing lockid');
    }
    const stored = this.locks.get(nodeId);
    if (!stored) {
      throw new Cs3Fail('CODE_ABORTED', 'unlock: lock does not exist');
    }
    if (stored.lock_id !== lock.lock_id) {
      throw new Cs3Fail('CODE_LOCKED', `unlock: ${stored.lock_id ?? ''}`);
    }
    this.checkModification(stored, lock, caller);
    this.locks.delete(nodeId);
  }

  /** CheckLock: may a write carrying `lockId` ('' for none) touch the node? */
  check(nodeId: string, lockId: string): void {
    const lock = this.read(nodeId);
    if (lock) {
      if (lockId === '') {
        throw new Cs3Fail('CODE_LOCKED', lock.lock_id ?? '');
      }
      if (lockId !== lock.lock_id) {
        throw new Cs3Fail('CODE_ABORTED', 'mismatching lock');
      }
      return;
    }
    if (lockId !== '') {
      throw new Cs3Fail('CODE_ABORTED', 'not locked');
    }
  }

  remove(nodeId: string): void {
    this.locks.delete(nodeId);
  }

  private checkModification(stored: cs3.Lock, lock: cs3.Lock, caller: cs3.UserId): void {
    if (stored.type === 'LOCK_TYPE_SHARED') {
      return;
    }
    if (stored.app_name !== lock.app_name) {
      throw new Cs3Fail('CODE_PERMISSION_DENIED', 'app names of the locks are mismatching');
    }
    if (stored.user === undefined && lock.user === undefined) {
      return;
    }
    if (!sameUser(stored.user, lock.user)) {
      throw new Cs3Fail('CODE_PERMISSION_DENIED', 'users of the locks are mismatching');
    }
    if (!sameUser(stored.user, caller)) {
      throw new Cs3Fail('CODE_PERMISSION_DENIED', 'lock holder and current user are mismatching');
    }
  }
}
