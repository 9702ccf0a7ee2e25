import { Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { Cs3GatewayClient } from '../cs3/cs3-gateway.client';
import { createCs3StorageGateway, Cs3Module } from '../cs3/cs3.module';
import { HealthRegistry } from '../health/health-registry';
import { LocalStorageGateway } from './local/local-storage-gateway.adapter';
import { StorageGateway } from './storage-gateway.port';

/** Builds the adapter the configuration asks for. */
export async function createStorageGateway(
  config: AppConfig,
  cs3: Cs3GatewayClient,
): Promise<StorageGateway> {
  switch (config.storage.driver) {
    case 'local':
      return LocalStorageGateway.create(config.storage.localRoot, config.storage.localOwner);
    case 'cs3':
      return createCs3StorageGateway(config, cs3);
  }
}

@Injectable()
class StorageHealth implements OnModuleInit {
  constructor(
    private readonly storage: StorageGateway,
    private readonly health: HealthRegistry,
  ) {}

  onModuleInit(): void {
    this.health.register('storage', () => this.storage.health());
  }
}

@Module({
  imports: [Cs3Module],
  providers: [
    {
      provide: StorageGateway,
      inject: [AppConfig, Cs3GatewayClient],
      useFactory: createStorageGateway,
    },
    StorageHealth,
  ],
  exports: [StorageGateway],
})
export class StorageModule {}
