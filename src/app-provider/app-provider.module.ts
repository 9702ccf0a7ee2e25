import { Module } from '@nestjs/common';
import { Cs3Module } from '../cs3/cs3.module';
import { StorageModule } from '../storage/storage.module';
import { AppProviderServer } from './app-provider.server';
import { FileOpenerModule } from './file-opener.module';
import { GatewayRegistrationService } from './gateway-registration.service';
import { OpenInAppService } from './open-in-app.service';

/**
 * The CS3 app provider: `ProviderAPI/OpenInApp` on one gRPC listener per app, and the apps'
 * registration with the gateway (AddAppProvider), repeated on an interval and after reconnects.
 */
@Module({
  imports: [StorageModule, Cs3Module, FileOpenerModule],
  providers: [OpenInAppService, AppProviderServer, GatewayRegistrationService],
  exports: [OpenInAppService, GatewayRegistrationService, AppProviderServer],
})
export class AppProviderModule {}
