import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNatsServer, type NatsServerHandle } from '../support/nats-server';
import { startTestServer } from '../support/test-server';

async function readiness(
  debugUrl: string,
): Promise<{ status: number; nats: { status: string } | undefined }> {
  const response = await fetch(`${debugUrl}/readyz`);
  const body = (await response.json()) as { details: Record<string, { status: string }> };
  return { status: response.status, nats: body.details['nats'] };
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error('condition not reached in time');
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('NATS', () => {
  let nats: NatsServerHandle;

  beforeAll(async () => {
    nats = await startNatsServer();
  });

  afterAll(async () => {
    await nats.dispose();
  });

  it('should give tests their own nats-server with JetStream', async () => {
    const connection = await connect({ servers: nats.url });
    const jsm = await jetstreamManager(connection);
    const info = await jsm.getAccountInfo();
    expect(info.limits).toBeDefined();
    await connection.close();
  });

  it('should report NATS in readiness, degrade when it goes away and recover without restart', async () => {
    const server = await startTestServer({ COLLABORATION_NATS_URL: nats.url });
    try {
      await eventually(async () => (await readiness(server.debugUrl)).nats?.status === 'up');
      await nats.stop();
      await eventually(async () => (await readiness(server.debugUrl)).nats?.status === 'degraded');
      expect((await readiness(server.debugUrl)).status).toBe(200);
      await nats.start();
      await eventually(
        async () => (await readiness(server.debugUrl)).nats?.status === 'up',
        15_000,
      );
    } finally {
      await server.dispose();
    }
  });

  it('should start and be ready while NATS is unreachable', async () => {
    const server = await startTestServer({ COLLABORATION_NATS_URL: 'nats://127.0.0.1:1' });
    try {
      const ready = await readiness(server.debugUrl);
      expect(ready.status).toBe(200);
      expect(ready.nats?.status).toBe('degraded');
    } finally {
      await server.dispose();
    }
  });
});
