import { Controller, Get } from '@nestjs/common';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  type HealthIndicatorResult,
} from '@nestjs/terminus';
import type { HealthReport } from '../storage/storage.types';
import { HealthRegistry } from './health-registry';

const CHECK_TIMEOUT_MS = 3000;

@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly registry: HealthRegistry,
  ) {}

  /** Liveness: the process and its event loop answer. */
  @Get('healthz')
  @HealthCheck()
  liveness() {
    return this.health.check([
      () =>
        Promise.resolve(
          this.indicators.check('process').up({ uptimeSeconds: Math.round(process.uptime()) }),
        ),
    ]);
  }

  /** Readiness: every configured dependency, each with its own report. */
  @Get('readyz')
  @HealthCheck()
  readiness() {
    const checks = this.registry.entries().map(
      ([name, check]) =>
        () =>
          this.run(name, check),
    );
    checks.push(() =>
      Promise.resolve(
        this.registry.isDraining
          ? this.indicators.check('shutdown').down({ message: 'draining' })
          : this.indicators.check('shutdown').up(),
      ),
    );
    return this.health.check(checks);
  }

  private async run(
    name: string,
    check: () => Promise<HealthReport>,
  ): Promise<HealthIndicatorResult> {
    const session = this.indicators.check(name);
    let timer: NodeJS.Timeout | undefined;
    try {
      const report = await Promise.race([
        check(),
        new Promise<HealthReport>((resolve) => {
          timer = setTimeout(() => {
            resolve({ status: 'down', error: `no answer within ${String(CHECK_TIMEOUT_MS)}ms` });
          }, CHECK_TIMEOUT_MS);
        }),
      ]);
      const { status, ...details } = report;
      return status === 'up'
        ? session.up(details)
        : status === 'degraded'
          ? session.degraded(details)
          : session.down(details);
    } catch (error) {
      return session.down({ error: error instanceof Error ? error.message : String(error) });
    } finally {
      clearTimeout(timer);
    }
  }
}
