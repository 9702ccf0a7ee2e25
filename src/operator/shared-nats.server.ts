import { Logger } from '@nestjs/common';
import {
  NatsRequestJSONDeserializer,
  ServerNats,
  type IncomingEvent,
  type IncomingRequest,
} from '@nestjs/microservices';
import { randomUUID } from 'node:crypto';
import type { NatsService } from '../nats/nats.service';
import { OPERATOR_PREFIX } from './operator.subjects';

/** How long one wait for the shared connection lasts before it is logged and retried. */
const WAIT_MS = 30_000;

/**
 * Nest's NATS microservice transport on the service's shared NATS connection (NatsService)
 * instead of a connection of its own: ServerNats 12 gets its client from `createNatsClient()`,
 * which this strategy answers with the shared connection, wrapped so that closing the transport
 * only unsubscribes (the connection belongs to NatsService, which drains it at shutdown). The
 * wait for the connection never fails: with NATS down at start, the handlers subscribe once it is
 * up, and nats.js keeps the subscriptions across reconnects.
 */
export class SharedNatsServer extends ServerNats {
  private readonly log = new Logger(SharedNatsServer.name);
  private stopped = false;

  constructor(private readonly nats: NatsService) {
    super({
      gracefulShutdown: true,
      gracePeriod: 0,
      deserializer: new PlainRequestDeserializer(),
    });
  }

  override async createNatsClient(): Promise<unknown> {
    for (;;) {
      if (this.stopped) {
        throw new Error('the NATS transport was closed before NATS was reachable');
      }
      try {
        const connection = await this.nats.connected(undefined, WAIT_MS);
        // Everything but close/drain goes to the shared connection.
        return new Proxy(connection, {
          get: (target, property, receiver) =>
            property === 'close' || property === 'drain'
              ? () => Promise.resolve()
              : (Reflect.get(target, property, receiver) as unknown),
        });
      } catch (error) {
        this.log.warn(
          { error: (error as Error).message },
          'operator API and oCIS events wait for NATS',
        );
      }
    }
  }

  override async close(): Promise<void> {
    this.stopped = true;
    await super.close();
  }
}

/**
 * Nest's request format (`{"pattern","data","id"}`) plus plain JSON requests: a message that is not
 * a Nest packet but comes with a reply subject on an operator subject (`nats request <subject>
 * '{...}'`) is a request too, so an operator needs no Nest client.
 */
class PlainRequestDeserializer extends NatsRequestJSONDeserializer {
  override deserialize(
    value: { json(): unknown; reply?: string },
    options?: Record<string, unknown>,
  ): IncomingRequest | IncomingEvent {
    // The JSON deserializer is synchronous.
    const message = super.deserialize(value, options) as IncomingRequest | IncomingEvent;
    const replyTo = options?.['replyTo'];
    const channel = options?.['channel'];
    // Only operator subjects: a JetStream publish (reva's events) carries a reply subject for its
    // ack, which must never get an answer from us.
    if (
      typeof channel === 'string' &&
      channel.startsWith(OPERATOR_PREFIX) &&
      typeof replyTo === 'string' &&
      replyTo !== '' &&
      !('id' in message)
    ) {
      return { ...message, id: randomUUID() };
    }
    return message;
  }
}
