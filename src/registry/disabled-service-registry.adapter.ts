import type { HealthReport } from '../storage/storage.types';
import type { MicroService } from './micro-service';
import { ServiceRegistry } from './service-registry.port';

/** No registry configured (the embedded default): nothing is announced and nothing can be looked up. */
export class DisabledServiceRegistry extends ServiceRegistry {
  readonly enabled = false;

  register(_service: MicroService): Promise<void> {
    return Promise.resolve();
  }

  deregister(_service: MicroService): Promise<void> {
    return Promise.resolve();
  }

  lookup(name: string): Promise<MicroService[]> {
    return Promise.reject(
      new Error(`cannot look up ${name}: no service registry configured (MICRO_REGISTRY)`),
    );
  }

  health(): Promise<HealthReport> {
    return Promise.resolve({ status: 'up', configured: false });
  }
}
