import { describe, expect, it } from 'vitest';
import { StorageUnavailableError } from '../storage/storage.errors';
import { DisabledServiceRegistry } from './disabled-service-registry.adapter';
import type { MicroService } from './micro-service';
import { RegistryGatewayAddressResolver } from './registry-gateway-address-resolver';

/** A registry whose answer (or failure) the test sets. */
class FakeRegistry extends DisabledServiceRegistry {
  answer: MicroService[] | Error = [];
  lookups = 0;

  override lookup(): Promise<MicroService[]> {
    this.lookups++;
    return this.answer instanceof Error
      ? Promise.reject(this.answer)
      : Promise.resolve(this.answer);
  }
}

const gateway = (...addresses: string[]): MicroService[] => [
  {
    name: 'com.owncloud.api.gateway',
    version: '7.1.0',
    metadata: null,
    endpoints: [],
    nodes: addresses.map((address, i) => ({ metadata: null, id: `gw-${String(i)}`, address })),
  },
];

describe(RegistryGatewayAddressResolver.name, () => {
  it('should resolve the gateway name to a registered node address', async () => {
    const registry = new FakeRegistry();
    registry.answer = gateway('10.0.0.5:9142');
    const resolver = new RegistryGatewayAddressResolver(registry);
    await expect(resolver.resolve('com.owncloud.api.gateway')).resolves.toBe('10.0.0.5:9142');
  });

  it('should reuse an answer for a while, then ask again and keep a still-registered address', async () => {
    const registry = new FakeRegistry();
    let now = 0;
    const resolver = new RegistryGatewayAddressResolver(registry, () => now);
    registry.answer = gateway('10.0.0.5:9142');
    await resolver.resolve('gw');
    await resolver.resolve('gw');
    expect(registry.lookups).toBe(1);
    now = 60_000;
    registry.answer = gateway('10.0.0.6:9142', '10.0.0.5:9142');
    await expect(resolver.resolve('gw')).resolves.toBe('10.0.0.5:9142');
    expect(registry.lookups).toBe(2);
  });

  it('should fall back to the last answer when the registry fails, and say what is missing otherwise', async () => {
    const registry = new FakeRegistry();
    let now = 0;
    const resolver = new RegistryGatewayAddressResolver(registry, () => now);
    registry.answer = [];
    await expect(resolver.resolve('gw')).rejects.toThrow(/not registered/);
    registry.answer = new Error('NATS down');
    await expect(resolver.resolve('gw')).rejects.toBeInstanceOf(StorageUnavailableError);
    registry.answer = gateway('10.0.0.5:9142');
    await resolver.resolve('gw');
    now = 60_000;
    registry.answer = new Error('NATS down');
    await expect(resolver.resolve('gw')).resolves.toBe('10.0.0.5:9142');
  });
});
