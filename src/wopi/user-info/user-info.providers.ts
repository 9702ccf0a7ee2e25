import type { Provider } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { NatsService } from '../../nats/nats.service';
import { LocalRoot } from '../../storage/local/local-root';
import { LocalUserInfoStore } from './local-user-info-store.adapter';
import { MemoryUserInfoStore } from './memory-user-info-store.adapter';
import { NatsUserInfoStore } from './nats-user-info-store.adapter';
import { UserInfoStore } from './user-info-store.port';

/**
 * Where user info lives: NATS KV when COLLABORATION_NATS_URL is set (shared by replicas), else the
 * local root when the storage is local, else memory.
 */
export async function createUserInfoStore(
  config: AppConfig,
  nats: NatsService,
): Promise<UserInfoStore> {
  if (config.nats.url !== undefined) {
    return new NatsUserInfoStore(nats);
  }
  if (config.storage.driver === 'local') {
    return LocalUserInfoStore.open((await LocalRoot.open(config.storage.localRoot)).stateDir);
  }
  return new MemoryUserInfoStore();
}

export const userInfoStoreProvider: Provider = {
  provide: UserInfoStore,
  inject: [AppConfig, NatsService],
  useFactory: createUserInfoStore,
};
