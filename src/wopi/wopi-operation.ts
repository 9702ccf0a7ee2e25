/** Every WOPI operation the host answers, as recorded in metrics, logs and audit records. */
export const WOPI_OPERATIONS = [
  'CheckFileInfo',
  'GetFile',
  'PutFile',
  'Lock',
  'UnlockAndRelock',
  'GetLock',
  'RefreshLock',
  'Unlock',
  'PutRelativeFile',
  'RenameFile',
  'DeleteFile',
  'PutUserInfo',
  'GetTemplate',
  /** A POST whose X-WOPI-Override is missing or not supported. */
  'Unknown',
] as const;
export type WopiOperation = (typeof WOPI_OPERATIONS)[number];

/** Which route a request came in on. */
export type WopiEndpoint = 'file' | 'contents' | 'template';

/** Operations that change the file or its lock; view-only and read-only tokens may not run them. */
export const WRITE_OPERATIONS: ReadonlySet<WopiOperation> = new Set<WopiOperation>([
  'PutFile',
  'Lock',
  'UnlockAndRelock',
  'RefreshLock',
  'Unlock',
  'PutRelativeFile',
  'RenameFile',
  'DeleteFile',
]);

const BY_OVERRIDE: Readonly<Record<string, WopiOperation>> = {
  LOCK: 'Lock',
  GET_LOCK: 'GetLock',
  REFRESH_LOCK: 'RefreshLock',
  UNLOCK: 'Unlock',
  PUT_RELATIVE: 'PutRelativeFile',
  RENAME_FILE: 'RenameFile',
  DELETE: 'DeleteFile',
  PUT_USER_INFO: 'PutUserInfo',
};

/**
 * The operation of a request from its route, method and X-WOPI-Override (case-insensitive).
 * LOCK with X-WOPI-OldLock is UnlockAndRelock.
 */
export function operationOf(
  endpoint: WopiEndpoint,
  method: string,
  override: string | undefined,
  hasOldLock: boolean,
): WopiOperation {
  if (endpoint === 'template') {
    return 'GetTemplate';
  }
  const upper = override?.trim().toUpperCase();
  if (endpoint === 'contents') {
    if (method === 'GET' || method === 'HEAD') {
      return 'GetFile';
    }
    return upper === 'PUT' ? 'PutFile' : 'Unknown';
  }
  if (method === 'GET' || method === 'HEAD') {
    return 'CheckFileInfo';
  }
  const operation = upper === undefined ? undefined : BY_OVERRIDE[upper];
  if (operation === 'Lock' && hasOldLock) {
    return 'UnlockAndRelock';
  }
  return operation ?? 'Unknown';
}
