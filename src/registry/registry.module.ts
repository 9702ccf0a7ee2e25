import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { NatsService } from '../nats/nats.service';
import { DisabledServiceRegistry } from './disabled-service-registry.adapter';
import { NatsKvServiceRegistry } from './nats-kv-service-registry.adapter';
import { PROCESS_ID, RegistrationService } from './registration.service';
import { ServiceRegistry } from './service-registry.port';

/** Global: the CS3 module resolves the gateway's name through the ServiceRegistry port. */
@Global()
@Module({
  providers: [
    {
      provide: ServiceRegistry,
      inject: [AppConfig, NatsService],
      useFactory: (config: AppConfig, nats: NatsService): ServiceRegistry =>
        config.registry.type === 'nats-js-kv'
          ? new NatsKvServiceRegistry(
              nats,
              config.registry.address,
              config.registry.ttl,
              PROCESS_ID,
            )
          : new DisabledServiceRegistry(),
    },
    RegistrationService,
  ],
  exports: [ServiceRegistry],
})
export class RegistryModule {}
