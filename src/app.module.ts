import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { AppProviderModule } from './app-provider/app-provider.module';
import { AuditModule } from './audit/audit.module';
import { HttpExceptionFilter } from './common/errors/http-exception.filter';
import { loggerParams } from './common/logging/logger.options';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { CoopsModule } from './coops/coops.module';
import { DiscoveryModule } from './discovery/discovery.module';
import { HealthModule } from './health/health.module';
import { MetricsModule } from './metrics/metrics.module';
import { NatsModule } from './nats/nats.module';
import { OperatorModule } from './operator/operator.module';
import { RegistryModule } from './registry/registry.module';
import { StorageModule } from './storage/storage.module';
import { TokensModule } from './tokens/tokens.module';
import { WopiModule } from './wopi/wopi.module';

/** Composition root of the service. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerParams(config.log)),
        HealthModule,
        MetricsModule,
        NatsModule,
        RegistryModule,
        StorageModule,
        TokensModule,
        DiscoveryModule.forRoot(config),
        WopiModule,
        CoopsModule,
        AuditModule,
        AppProviderModule,
        OperatorModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: HttpExceptionFilter }],
    };
  }
}
