import { Module } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { Cs3GatewayClient } from './cs3-gateway.client';
import { Cs3StorageGateway } from './cs3-storage-gateway.adapter';
import { DataTransfer } from './data-transfer';
import { GatewayAddressResolver, NoGatewayAddressResolver } from './gateway-address-resolver.port';

/**
 * The CS3 gateway client for every module that talks to oCIS (storage, app provider). The gateway
 * address resolver is the seam for the service registry: replace NoGatewayAddressResolver there.
 */
@Module({
  providers: [
    { provide: GatewayAddressResolver, useClass: NoGatewayAddressResolver },
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
