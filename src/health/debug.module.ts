import { type DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import type { AppConfig } from '../config/app-config';
import { ConfigModule } from '../config/config.module';
import { MetricsController } from '../metrics/metrics.controller';
import { HealthRegistry } from './health-registry';
import { HealthController } from './health.controller';

/**
 * The debug listener's application: health, readiness and metrics, kept off the public listener.
 * It shares the main application's health registry and configuration.
 */
@Module({})
export class DebugModule {
  static forRoot(shared: { registry: HealthRegistry; config: AppConfig }): DynamicModule {
    return {
      module: DebugModule,
      imports: [
        ConfigModule.forRoot(shared.config),
        TerminusModule.forRoot({ errorLogStyle: 'json', logger: false }),
        PrometheusModule.register({
          controller: MetricsController,
          defaultMetrics: { enabled: false },
        }),
      ],
      controllers: [HealthController],
      providers: [{ provide: HealthRegistry, useValue: shared.registry }],
    };
  }
}
