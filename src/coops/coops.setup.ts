import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { AppConfig } from '../config/app-config';
import { HealthRegistry } from '../health/health-registry';
import { installCoopsCors } from './http/cors';
import { RevisionLog } from './log/revision-log.port';

/** Readiness (`coops`: the revision log) and CORS for the REST routes. */
@Injectable()
export class CoopsSetup implements OnModuleInit {
  constructor(
    private readonly config: AppConfig,
    private readonly log: RevisionLog,
    private readonly health: HealthRegistry,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  onModuleInit(): void {
    this.health.register('coops', () => this.log.health());
    const adapter = this.adapterHost.httpAdapter as HttpAdapterHost['httpAdapter'] | undefined;
    if (adapter) {
      installCoopsCors(adapter.getInstance<FastifyInstance>(), this.config.coops.corsOrigins);
    }
    if (this.config.coops.log === 'jetstream' && this.config.nats.url === undefined) {
      new Logger(CoopsSetup.name).error(
        'COLLABORATION_COOPS_LOG=jetstream needs COLLABORATION_NATS_URL; CoOPS is unavailable',
      );
    }
  }
}
