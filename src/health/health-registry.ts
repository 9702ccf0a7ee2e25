import { Injectable } from '@nestjs/common';
import type { HealthReport } from '../storage/storage.types';

export type HealthCheck = () => Promise<HealthReport>;

/**
 * Readiness checks contributed by the modules (storage, NATS, discovery, registry...), each through
 * its own port. /readyz runs them all; a `down` check fails readiness, a `degraded` one is reported
 * but keeps the service ready.
 */
@Injectable()
export class HealthRegistry {
  private readonly checks = new Map<string, HealthCheck>();
  private draining = false;

  register(name: string, check: HealthCheck): void {
    this.checks.set(name, check);
  }

  entries(): readonly [string, HealthCheck][] {
    return [...this.checks.entries()];
  }

  /** From now on readiness fails, so load balancers stop sending traffic while we drain. */
  markDraining(): void {
    this.draining = true;
  }

  get isDraining(): boolean {
    return this.draining;
  }
}
