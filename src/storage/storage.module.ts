import { Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { HealthRegistry } from '../health/health-registry';
import { LocalStorageGateway } from './local/local-storage-gateway.adapter';
import { StorageGateway } from './storage-gateway.port';

/** Builds the adapter the configuration asks for. */
export async function createStorageGateway(config: AppConfig): Promise<StorageGateway> {
  switch (config.storage.driver) {
    case 'local':
      return LocalStorageGateway.create(config.storage.localRoot, config.storage.localOwner);
    case 'cs3':
      throw new Error('the cs3 storage driver is not available in this build');
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
  providers: [
    { provide: StorageGateway, inject: [AppConfig], useFactory: createStorageGateway },
    StorageHealth,
  ],
  exports: [StorageGateway],
})
export class StorageModule {}
