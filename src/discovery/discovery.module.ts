import { type DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { StorageModule } from '../storage/storage.module';
import { TokensModule } from '../tokens/tokens.module';
import { Clock, SystemClock } from './clock';
import { DevOpenController } from './dev-open.controller';
import { DiscoveryFetcher } from './discovery-fetcher';
import { DiscoveryService } from './discovery.service';
import { EditorAppsService } from './editor-apps.service';
import { EditorUrlService } from './editor-url.service';
import { ProofCheckService } from './proof-check.service';

/**
 * Editors: discovery per app, editor URLs, proof keys (WopiProofGuard for the WOPI routes), the
 * apps' MIME types, and in dev mode the /open/{fileId} page. Global, so the WOPI and app-provider
 * modules inject its services without importing it; `@UseGuards(..., WopiProofGuard)` resolves the
 * guard's dependencies from here and from the global MetricsModule.
 */
@Module({})
export class DiscoveryModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      global: true,
      module: DiscoveryModule,
      imports: [StorageModule, TokensModule],
      controllers: config.dev.enabled ? [DevOpenController] : [],
      providers: [
        { provide: Clock, useClass: SystemClock },
        DiscoveryFetcher,
        DiscoveryService,
        EditorUrlService,
        EditorAppsService,
        ProofCheckService,
      ],
      exports: [Clock, DiscoveryService, EditorUrlService, EditorAppsService, ProofCheckService],
    };
  }
}
