import type { HealthReport } from '../storage/storage.types';
import type { MicroService } from './micro-service';

/** oCIS's service registry: where gRPC services announce themselves and find each other. */
export abstract class ServiceRegistry {
  /** Whether a registry is configured at all (MICRO_REGISTRY). */
  abstract readonly enabled: boolean;

  /** Announces (or refreshes) one node of a service; it expires unless refreshed before the TTL. */
  abstract register(service: MicroService): Promise<void>;

  abstract deregister(service: MicroService): Promise<void>;

  /** Every registered version of a service, nodes merged per version (empty when unknown). */
  abstract lookup(name: string): Promise<MicroService[]>;

  abstract health(): Promise<HealthReport>;
}
