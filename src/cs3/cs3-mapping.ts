import { DEFAULT_MIME_TYPE } from '../common/mime';
import {
  versionOf,
  type FileInfo,
  type FileRef,
  type LockInfo,
  type LockRequest,
  type ResourceId,
  type StorageUser,
  type Timestamp,
  type UserId,
  type UserType,
} from '../storage/storage.types';
import { readPlain } from './proto/cs3-proto';
import type * as cs3 from './proto/cs3.messages';

/** Conversions between CS3 messages and the domain types of the storage port. */

/**
 * A CS3 reference. "." (or no path) becomes an empty path: reva then answers Stat with the full path
 * of the resource instead of its base name, as oCIS's CheckFileInfo asks for it. A ref whose id is
 * all empty with an absolute path stays a path reference (the CLI opens files by path that way).
 */
export function toReference(ref: FileRef): cs3.Reference {
  const path = ref.path === undefined || ref.path === '.' || ref.path === './' ? '' : ref.path;
  const { storageId, spaceId, opaqueId } = ref.resourceId;
  if (storageId === '' && spaceId === '' && opaqueId === '' && path.startsWith('/')) {
    return { path };
  }
  return { resource_id: toResourceId(ref.resourceId), path };
}

export function toResourceId(id: ResourceId): cs3.ResourceId {
  return { storage_id: id.storageId, space_id: id.spaceId, opaque_id: id.opaqueId };
}

export function fromResourceId(id: cs3.ResourceId | undefined): ResourceId {
  return {
    storageId: id?.storage_id ?? '',
    spaceId: id?.space_id ?? '',
    opaqueId: id?.opaque_id ?? '',
  };
}

export function toTimestamp(epochMs: number): cs3.Timestamp {
  const ms = Math.max(0, Math.floor(epochMs));
  return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1_000_000 };
}

function fromTimestamp(ts: cs3.Timestamp | undefined): Timestamp {
  return { seconds: ts?.seconds ?? 0, nanos: ts?.nanos ?? 0 };
}

/** What this service writes: a WRITE lock with app name and expiry and no user, as oCIS does. */
export function toLock(
  lock: Pick<LockRequest, 'lockId' | 'appName'> & { expiresAt?: number },
): cs3.Lock {
  return {
    lock_id: lock.lockId,
    type: 'LOCK_TYPE_WRITE',
    app_name: lock.appName,
    ...(lock.expiresAt === undefined ? {} : { expiration: toTimestamp(lock.expiresAt) }),
  };
}

export function fromLock(lock: cs3.Lock | undefined): LockInfo | undefined {
  if (!lock?.lock_id) {
    return undefined;
  }
  const { seconds, nanos } = fromTimestamp(lock.expiration);
  return {
    lockId: lock.lock_id,
    appName: lock.app_name ?? '',
    // A lock without expiration never expires.
    expiresAt: lock.expiration
      ? seconds * 1000 + Math.floor(nanos / 1_000_000)
      : Number.MAX_SAFE_INTEGER,
    ...(lock.user?.opaque_id ? { user: fromUserId(lock.user) } : {}),
  };
}

const USER_TYPES: Record<string, UserType> = {
  USER_TYPE_PRIMARY: 'primary',
  USER_TYPE_SECONDARY: 'secondary',
  USER_TYPE_SERVICE: 'service',
  USER_TYPE_APPLICATION: 'application',
  USER_TYPE_GUEST: 'guest',
  USER_TYPE_FEDERATED: 'federated',
  USER_TYPE_LIGHTWEIGHT: 'lightweight',
  USER_TYPE_SPACE_OWNER: 'space_owner',
};

export function fromUserId(id: cs3.UserId): UserId {
  const type = typeof id.type === 'string' ? USER_TYPES[id.type] : undefined;
  return { idp: id.idp ?? '', opaqueId: id.opaque_id ?? '', ...(type ? { type } : {}) };
}

export function toUserId(id: UserId): cs3.UserId {
  const type = Object.entries(USER_TYPES).find(([, value]) => value === id.type)?.[0];
  return { idp: id.idp, opaque_id: id.opaqueId, ...(type ? { type: type as cs3.UserType } : {}) };
}

/** oCIS marks users that came through a public link with the opaque key "public-share-role". */
export function fromUser(user: cs3.User): StorageUser {
  return {
    id: fromUserId(user.id ?? {}),
    username: user.username ?? '',
    displayName: nonEmpty(user.display_name) ?? user.username ?? '',
    ...(user.mail ? { mail: user.mail } : {}),
    isGuest: readPlain(user.opaque, 'public-share-role') !== undefined,
  };
}

function isFolder(info: cs3.ResourceInfo): boolean {
  return info.type === 'RESOURCE_TYPE_CONTAINER';
}

/** The name of a resource: its `name`, else the last segment of its path. */
function nameOf(info: cs3.ResourceInfo): string {
  if (info.name) {
    return info.name;
  }
  const path = info.path ?? '';
  return path === '/' || path === '.' ? '' : (path.split('/').pop() ?? '');
}

/** FileInfo from a Stat answer; `path` is the full path when the Stat was by id (see toReference). */
export function toFileInfo(info: cs3.ResourceInfo): FileInfo {
  const mtime = fromTimestamp(info.mtime);
  const perms = info.permission_set ?? {};
  const folder = isFolder(info);
  const path = info.path?.startsWith('/') ? info.path : `/${nameOf(info)}`;
  return {
    resourceId: fromResourceId(info.id),
    ...(info.parent_id?.opaque_id ? { parentId: fromResourceId(info.parent_id) } : {}),
    type: folder ? 'folder' : 'file',
    name: nameOf(info),
    path,
    size: info.size ?? 0,
    mtime,
    etag: info.etag ?? '',
    version: versionOf(mtime),
    mimeType: nonEmpty(info.mime_type) ?? (folder ? 'httpd/unix-directory' : DEFAULT_MIME_TYPE),
    ...(info.owner?.opaque_id ? { owner: fromUserId(info.owner) } : {}),
    ...(fromLock(info.lock) ? { lock: fromLock(info.lock) } : {}),
    permissions: {
      read: perms.initiate_file_download === true,
      write: perms.initiate_file_upload === true,
      move: perms.move === true,
      delete: perms.delete === true,
      createChild: folder && perms.initiate_file_upload === true,
    },
    ...(info.space?.name ? { spaceName: info.space.name } : {}),
    ...spaceAliasOf(info),
  };
}

/** The space alias oCIS keeps in the space's opaque map (what its web URLs start with). */
function spaceAliasOf(info: cs3.ResourceInfo): { spaceAlias?: string } {
  const alias = nonEmpty(readPlain(info.space?.opaque, 'spaceAlias'));
  return alias === undefined ? {} : { spaceAlias: alias };
}

/** A lock that has passed its expiry counts as absent (decomposedfs deletes it on the next read). */
export function liveLock(lock: LockInfo | undefined, now = Date.now()): LockInfo | undefined {
  return lock && lock.expiresAt > now ? lock : undefined;
}

function nonEmpty(text: string | undefined): string | undefined {
  return text === '' ? undefined : text;
}
