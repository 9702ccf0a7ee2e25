import { GatewayAddressResolver, isGrpcTarget } from '../cs3/gateway-address-resolver.port';
import { StorageUnavailableError } from '../storage/storage.errors';
import type { ServiceRegistry } from './service-registry.port';

/** How long a resolved address is reused before the registry is asked again. */
const CACHE_MS = 10_000;

/**
 * Resolves the gateway's service name (OCIS_REVA_GATEWAY, `com.owncloud.api.gateway`) in oCIS's
 * service registry as reva's selector does: every node of every registered version, one picked at
 * random. Answers are kept for a few seconds; a lookup failure falls back to the last answer.
 */
export class RegistryGatewayAddressResolver extends GatewayAddressResolver {
  private readonly cache = new Map<string, { addr: string; at: number }>();

  constructor(
    private readonly registry: ServiceRegistry,
    private readonly now: () => number = Date.now,
  ) {
    super();
  }

  async resolve(serviceName: string): Promise<string> {
    const cached = this.cache.get(serviceName);
    if (cached && this.now() - cached.at < CACHE_MS) {
      return cached.addr;
    }
    let addresses: string[];
    try {
      const services = await this.registry.lookup(serviceName);
      addresses = services
        .flatMap((service) => service.nodes ?? [])
        .map((node) => node.address)
        .filter((addr) => addr !== '' && isGrpcTarget(addr));
    } catch (error) {
      if (cached) {
        return cached.addr;
      }
      throw new StorageUnavailableError(
        `cannot look up the CS3 gateway "${serviceName}" in the service registry: ${(error as Error).message}`,
      );
    }
    const addr = addresses[Math.floor(Math.random() * addresses.length)];
    if (addr === undefined) {
      if (cached) {
        return cached.addr;
      }
      throw new StorageUnavailableError(
        `the CS3 gateway "${serviceName}" is not registered in the service registry`,
      );
    }
    // Keep the address while it is still registered, so calls stay on one connection.
    const keep = cached && addresses.includes(cached.addr) ? cached.addr : addr;
    this.cache.set(serviceName, { addr: keep, at: this.now() });
    return keep;
  }
}
