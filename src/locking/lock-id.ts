import { InvalidLockIdError } from './lock.errors';

/** Longest lock id accepted and kept verbatim (WOPI SupportsExtendedLockLength). */
export const MAX_LOCK_ID_LENGTH = 1024;

/** What a header may carry: visible ASCII, spaces, tabs and Latin-1 (Node refuses the rest). */
const HEADER_SAFE = /^[\t\x20-\x7e\x80-\xff]*$/;

/**
 * The lock id a request carries, or undefined when it carries none. An empty header and the
 * literal `undefined` (OnlyOffice's blank-template save) count as none.
 */
export function optionalLockId(header: string | undefined): string | undefined {
  if (header === undefined || header === '' || header === 'undefined') {
    return undefined;
  }
  if (header.length > MAX_LOCK_ID_LENGTH) {
    throw new InvalidLockIdError(
      `lock id has ${String(header.length)} characters, at most ${String(MAX_LOCK_ID_LENGTH)} are allowed`,
    );
  }
  return header;
}

/** A lock id that an operation needs (Lock, RefreshLock, Unlock...): present and at most 1024 characters. */
export function requiredLockId(header: string | undefined, name = 'X-WOPI-Lock'): string {
  const lockId = optionalLockId(header);
  if (lockId === undefined) {
    throw new InvalidLockIdError(`${name} is missing or empty`);
  }
  return lockId;
}

/** A stored lock id as a response header value; "" when a header cannot carry it. */
export function lockHeaderValue(lockId: string | undefined): string {
  return lockId !== undefined && HEADER_SAFE.test(lockId) ? lockId : '';
}
