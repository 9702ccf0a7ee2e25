/** Domain types of the storage port. They mirror the CS3 concepts without any proto type. */

export interface ResourceId {
  storageId: string;
  spaceId: string;
  opaqueId: string;
}

/**
 * A file or folder: a resource id, optionally with a path relative to it ("." or "./name"),
 * exactly as a CS3 reference. `./name` under a folder id addresses a child that may not exist yet.
 */
export interface FileRef {
  resourceId: ResourceId;
  path?: string;
}

export type UserType =
  | 'primary'
  | 'secondary'
  | 'service'
  | 'application'
  | 'guest'
  | 'federated'
  | 'lightweight'
  | 'space_owner';

export interface UserId {
  idp: string;
  opaqueId: string;
  type?: UserType;
}

export interface StorageUser {
  id: UserId;
  username: string;
  displayName: string;
  mail?: string;
  /** A public-link or otherwise anonymous user. */
  isGuest: boolean;
}

/** What a request carries towards the storage: who, and (CS3) the reva token to act with. */
export interface StorageCredentials {
  user: StorageUser;
  /** Reva access token (CS3 only). */
  token?: string;
}

/** Credentials of someone the storage has not identified yet: CS3 WhoAmI only looks at the token. */
export function tokenOnlyCredentials(token: string): StorageCredentials {
  return {
    user: { id: { idp: '', opaqueId: '' }, username: '', displayName: '', isGuest: false },
    token,
  };
}

export interface Timestamp {
  seconds: number;
  nanos: number;
}

export interface LockInfo {
  lockId: string;
  appName: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  user?: UserId;
}

export interface LockRequest {
  lockId: string;
  appName: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export interface FilePermissions {
  read: boolean;
  write: boolean;
  move: boolean;
  delete: boolean;
  createChild: boolean;
}

export interface FileInfo {
  resourceId: ResourceId;
  parentId?: ResourceId;
  type: 'file' | 'folder';
  /** Base name. */
  name: string;
  /** Path inside the space, starting with "/". */
  path: string;
  size: number;
  mtime: Timestamp;
  etag: string;
  /** Changes on every content change, never repeats: "v" + nanoseconds of the mtime. */
  version: string;
  mimeType: string;
  owner?: UserId;
  lock?: LockInfo;
  permissions: FilePermissions;
  /** Name of the space (e.g. "Personal"); shown as folder name at the space root. */
  spaceName?: string;
  /** The space's alias in oCIS web URLs (e.g. "personal/einstein"); none for local files. */
  spaceAlias?: string;
}

export interface UploadOptions {
  /** Exact body length when known; a shorter or longer body fails the upload. */
  size?: number;
  /** Must match the current lock when the file is locked. */
  lockId?: string;
  /** Only write if the current etag still equals this one. */
  ifMatch?: string;
  /** Only write if nothing exists at the target yet. */
  ifNotExists?: boolean;
  signal?: AbortSignal;
}

export type HealthStatus = 'up' | 'down' | 'degraded';

export interface HealthReport {
  status: HealthStatus;
  [detail: string]: unknown;
}

export function sameResource(a: ResourceId, b: ResourceId): boolean {
  return a.storageId === b.storageId && a.spaceId === b.spaceId && a.opaqueId === b.opaqueId;
}

/** "v" followed by the mtime in nanoseconds, so it is unique per mtime and sorts by time. */
export function versionOf(mtime: Timestamp): string {
  return `v${String(mtime.seconds)}${String(mtime.nanos).padStart(9, '0')}`;
}

/** ISO 8601 UTC with 7 fractional digits (the .NET round-trip form editors compare verbatim). */
export function isoTimestamp(mtime: Timestamp): string {
  const base = new Date(mtime.seconds * 1000).toISOString().slice(0, 19);
  return `${base}.${String(Math.floor(mtime.nanos / 100)).padStart(7, '0')}Z`;
}
