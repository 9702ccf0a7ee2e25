import { createHash } from 'node:crypto';
import type { UserId } from '../../storage/storage.types';

/**
 * Where PUT_USER_INFO keeps each user's opaque UserInfo string (returned by CheckFileInfo). One value
 * per user, shared by every file and session of that user.
 */
export abstract class UserInfoStore {
  abstract readonly kind: string;

  abstract get(user: UserId): Promise<string | undefined>;

  abstract put(user: UserId, info: string): Promise<void>;
}

/** A key safe for file names and NATS KV keys: sha256 hex of `<idp>\n<opaque id>`. */
export function userInfoKey(user: UserId): string {
  return createHash('sha256').update(`${user.idp}\n${user.opaqueId}`).digest('hex');
}

/** Largest UserInfo accepted (bytes of UTF-8). */
export const MAX_USER_INFO_BYTES = 64 * 1024;
