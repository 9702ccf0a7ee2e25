import { Global, Module } from '@nestjs/common';
import { metricProviders } from './metrics';

/** The application's metrics, injectable with @InjectMetric(name). Served by the debug listener. */
@Global()
@Module({ providers: [...metricProviders], exports: [...metricProviders] })
export class MetricsModule {}
