import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNatsServer, type NatsServerHandle } from '../../../test/support/nats-server';
import { tempDir } from '../../../test/support/temp';
import { AppConfig } from '../../config/app-config';
import { HealthRegistry } from '../../health/health-registry';
import { NatsService } from '../../nats/nats.service';
import type { UserId } from '../../storage/storage.types';
import { LocalUserInfoStore } from './local-user-info-store.adapter';
import { MemoryUserInfoStore } from './memory-user-info-store.adapter';
import { NatsUserInfoStore } from './nats-user-info-store.adapter';
import { UserInfoStore } from './user-info-store.port';
import { createUserInfoStore } from './user-info.providers';

const alice: UserId = { idp: 'https://idp.example', opaqueId: 'alice' };
const bob: UserId = { idp: 'https://idp.example', opaqueId: 'bob' };

async function roundTrip(store: UserInfoStore): Promise<void> {
  expect(await store.get(alice)).toBeUndefined();
  await store.put(alice, '{"theme":"dark"}');
  await store.put(bob, 'bob ✓');
  await store.put(alice, 'second');
  expect(await store.get(alice)).toBe('second');
  expect(await store.get(bob)).toBe('bob ✓');
}

function natsConfig(url: string): AppConfig {
  const config = new AppConfig();
  config.nats.url = url;
  return config;
}

describe(UserInfoStore.name, () => {
  it('should keep user info in memory', async () => {
    await roundTrip(new MemoryUserInfoStore());
  });

  it('should keep user info in the local root across a restart', async () => {
    const temp = await tempDir();
    try {
      await roundTrip(await LocalUserInfoStore.open(temp.dir));
      expect(await (await LocalUserInfoStore.open(temp.dir)).get(alice)).toBe('second');
    } finally {
      await temp.remove();
    }
  });

  describe('NATS KV', () => {
    let nats: NatsServerHandle;

    beforeAll(async () => {
      nats = await startNatsServer();
    });

    afterAll(async () => {
      await nats.dispose();
    });

    it('should share user info between replicas through the collaboration-userinfo bucket', async () => {
      const services = [0, 1].map(() => {
        const service = new NatsService(natsConfig(nats.url), new HealthRegistry());
        service.onModuleInit();
        return service;
      });
      try {
        const [first, second] = services.map((service) => new NatsUserInfoStore(service)) as [
          NatsUserInfoStore,
          NatsUserInfoStore,
        ];
        await Promise.all(services.map((service) => service.connected()));
        await roundTrip(first);
        expect(await second.get(alice)).toBe('second');
      } finally {
        await Promise.all(services.map((service) => service.onApplicationShutdown()));
      }
    });

    it('should answer unavailable at once while NATS is down', async () => {
      const service = new NatsService(natsConfig('nats://127.0.0.1:1'), new HealthRegistry());
      service.onModuleInit();
      try {
        const store = new NatsUserInfoStore(service);
        await expect(store.get(alice)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
      } finally {
        await service.onApplicationShutdown();
      }
    });
  });

  it('should pick NATS when configured, else the local root, else memory', async () => {
    const temp = await tempDir();
    try {
      const local = new AppConfig();
      local.storage.localRoot = temp.dir;
      const nats = new NatsService(local, new HealthRegistry());
      expect((await createUserInfoStore(local, nats)).kind).toBe('local');
      const cs3 = new AppConfig();
      cs3.storage.driver = 'cs3';
      expect((await createUserInfoStore(cs3, nats)).kind).toBe('memory');
      expect((await createUserInfoStore(natsConfig('nats://127.0.0.1:1'), nats)).kind).toBe('nats');
    } finally {
      await temp.remove();
    }
  });
});
