import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNatsServer, type NatsServerHandle } from '../../../test/support/nats-server';
import { describeRevisionLogContract } from '../../../test/support/revision-log-contract';
import { loadConfig } from '../../config/config.loader';
import { HealthRegistry } from '../../health/health-registry';
import { NatsService } from '../../nats/nats.service';
import { JetStreamRevisionLog } from './jetstream-revision-log.adapter';
import { COOPS_STREAM } from './jetstream-setup';
import { RETAINED_REVISIONS } from './revision-log.port';

let nats: NatsServerHandle;

beforeAll(async () => {
  nats = await startNatsServer();
});

afterAll(async () => {
  await nats.dispose();
});

function natsService(url: string): NatsService {
  const service = new NatsService(
    loadConfig({ env: { COLLABORATION_NATS_URL: url } }),
    new HealthRegistry(),
  );
  service.onModuleInit();
  return service;
}

describeRevisionLogContract('jetstream', () => {
  const a = natsService(nats.url);
  const b = natsService(nats.url);
  return Promise.resolve({
    log: new JetStreamRevisionLog(a),
    other: new JetStreamRevisionLog(b),
    dispose: async () => {
      await a.onApplicationShutdown();
      await b.onApplicationShutdown();
    },
  });
});

describe(JetStreamRevisionLog.name, () => {
  it('should keep at least 10,000 revisions per document in one stream', async () => {
    const service = natsService(nats.url);
    const log = new JetStreamRevisionLog(service);
    try {
      await service.connected();
      expect((await log.health()).status).toBe('up');
      const connection = await connect({ servers: nats.url });
      const info = await (await jetstreamManager(connection)).streams.info(COOPS_STREAM);
      await connection.close();
      expect(info.config.subjects).toEqual(['coops.rev.>']);
      expect(info.config.max_msgs_per_subject).toBe(RETAINED_REVISIONS);
      expect(RETAINED_REVISIONS).toBeGreaterThanOrEqual(10_000);
    } finally {
      await service.onApplicationShutdown();
    }
  });

  it('should report down while NATS is unreachable', async () => {
    const service = natsService('nats://127.0.0.1:1');
    try {
      expect(await new JetStreamRevisionLog(service).health()).toMatchObject({ status: 'down' });
    } finally {
      await service.onApplicationShutdown();
    }
  });
});
