import { type DynamicModule, Module } from '@nestjs/common';
import { FileOpenerModule } from '../app-provider/file-opener.module';
import type { AppConfig } from '../config/app-config';
import { ConfigModule } from '../config/config.module';
import { DiscoveryModule } from '../discovery/discovery.module';
import { HealthModule } from '../health/health.module';
import { StorageModule } from '../storage/storage.module';
import { TokensModule } from '../tokens/tokens.module';
import { OpenService } from './open.service';

/** What the CLI commands need: storage, tokens and editor discovery, no listeners. */
@Module({})
export class CliModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [
        ConfigModule.forRoot(config),
        HealthModule,
        StorageModule,
        TokensModule,
        DiscoveryModule.forRoot(config),
        FileOpenerModule,
      ],
      providers: [OpenService],
    };
  }
}
