import type { NatsConnection } from '@nats-io/transport-node';
import { describe, expect, it } from 'vitest';
import type { NatsService } from '../nats/nats.service';
import { SharedNatsServer } from './shared-nats.server';

/** Enough of a connection to see what the transport does with it. */
function fakeConnection(): { connection: NatsConnection; calls: string[] } {
  const calls: string[] = [];
  const connection = {
    subscribe: (subject: string) => {
      calls.push(`subscribe ${subject}`);
      return { unsubscribe: () => calls.push(`unsubscribe ${subject}`) };
    },
    close: () => {
      calls.push('close');
      return Promise.resolve();
    },
    drain: () => {
      calls.push('drain');
      return Promise.resolve();
    },
    status: () => ({
      [Symbol.asyncIterator]: () => ({ next: () => new Promise(() => undefined) }),
    }),
  } as unknown as NatsConnection;
  return { connection, calls };
}

describe(SharedNatsServer.name, () => {
  it('should use the shared connection, waiting for it, and never close or drain it', async () => {
    const { connection, calls } = fakeConnection();
    let attempts = 0;
    const nats = {
      connected: () =>
        ++attempts === 1
          ? Promise.reject(new Error('NATS not reachable'))
          : Promise.resolve(connection),
    } as unknown as NatsService;
    const server = new SharedNatsServer(nats);
    server.addHandler('collaboration.operator.documents', () => Promise.resolve({}), false);
    await new Promise<void>((resolve, reject) => {
      void server.listen((error?: unknown) => {
        if (error) {
          reject(error instanceof Error ? error : new Error('listen failed'));
        } else {
          resolve();
        }
      });
    });
    expect(attempts).toBe(2);
    expect(calls).toEqual(['subscribe collaboration.operator.documents']);
    await server.close();
    expect(calls).toEqual([
      'subscribe collaboration.operator.documents',
      'unsubscribe collaboration.operator.documents',
    ]);
  });
});
