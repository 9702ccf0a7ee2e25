import type { UserId } from '../../storage/storage.types';
import { UserInfoStore, userInfoKey } from './user-info-store.port';

/** In-process only (no local root, no NATS): lost on restart, not shared between replicas. */
export class MemoryUserInfoStore extends UserInfoStore {
  readonly kind = 'memory';
  private readonly values = new Map<string, string>();

  get(user: UserId): Promise<string | undefined> {
    return Promise.resolve(this.values.get(userInfoKey(user)));
  }

  put(user: UserId, info: string): Promise<void> {
    this.values.set(userInfoKey(user), info);
    return Promise.resolve();
  }
}
