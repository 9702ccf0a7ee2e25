import { Module } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { RegistryGatewayAddressResolver } from '../registry/registry-gateway-address-resolver';
import { ServiceRegistry } from '../registry/service-registry.port';
import { Cs3GatewayClient } from './cs3-gateway.client';
import { Cs3StorageGateway } from './cs3-storage-gateway.adapter';
import { DataTransfer } from './data-transfer';
import { GatewayAddressResolver, NoGatewayAddressResolver } from './gateway-address-resolver.port';

/**
 * The CS3 gateway client for every module that talks to oCIS (storage, app provider). The gateway
 * gateway's address is looked up in oCIS's service registry when one is configured (RegistryModule
 * is global), else OCIS_REVA_GATEWAY must be host:port.
 */
@Module({
  providers: [
    {
      provide: GatewayAddressResolver,
      inject: [{ token: ServiceRegistry, optional: true }],
      useFactory: (registry?: ServiceRegistry): GatewayAddressResolver =>
        registry?.enabled === true
          ? new RegistryGatewayAddressResolver(registry)
          : new NoGatewayAddressResolver(),
    },
    Cs3GatewayClient,
  ],
  exports: [Cs3GatewayClient, GatewayAddressResolver],
})
export class Cs3Module {}

/** The storage adapter on the CS3 gateway (COLLABORATION_STORAGE=cs3). */
export function createCs3StorageGateway(
  config: AppConfig,
  client: Cs3GatewayClient,
): Cs3StorageGateway {
  // Unusable TLS settings (an unreadable CA file) fail the start, not the first request.
  client.credentials();
  return new Cs3StorageGateway(client, new DataTransfer(config.cs3), {
    tooEarlyBudgetMs: config.cs3.timeout,
  });
}
