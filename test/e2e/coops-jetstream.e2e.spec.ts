import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePatch } from '../../src/coops/algorithm/dmp';
import { openCoops } from '../support/coops';
import type { JoinAnswer } from '../support/coops-client';
import { startNatsServer, type NatsServerHandle } from '../support/nats-server';
import { startTestServer, type TestServer } from '../support/test-server';

let nats: NatsServerHandle;
let server: TestServer;

beforeAll(async () => {
  nats = await startNatsServer();
  server = await startTestServer({
    COLLABORATION_NATS_URL: nats.url,
    COLLABORATION_COOPS_LOG: 'jetstream',
  });
});

afterAll(async () => {
  await server.dispose();
  await nats.dispose();
});

async function coopsReadiness(): Promise<{ status: number; coops?: { status: string } }> {
  const response = await fetch(`${server.debugUrl}/readyz`);
  const body = (await response.json()) as { details: Record<string, { status: string }> };
  return { status: response.status, coops: body.details['coops'] };
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error('condition not reached in time');
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('CoOPS on JetStream', () => {
  it('should be down in readiness while NATS is down, refuse patches with 503 and recover', async () => {
    const doc = await openCoops(server, 'outage.txt', { content: 'a' });
    const joined = (await (
      await fetch(`${doc.coopsUrl}/join?algorithm=dmp&protocolVersion=1.0.0`)
    ).json()) as JoinAnswer;
    await eventually(async () => (await coopsReadiness()).coops?.status === 'up');
    await nats.stop();
    await eventually(async () => (await coopsReadiness()).coops?.status === 'down');
    expect((await coopsReadiness()).status).toBe(503);
    const during = await fetch(doc.coopsUrl, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        sessionId: joined.sessionId,
        revisionNumber: joined.revisionNumber,
        patch: makePatch('a', 'ab'),
      }),
    });
    expect(during.status).toBe(503);
    await nats.start();
    await eventually(async () => (await coopsReadiness()).coops?.status === 'up', 20_000);
    const after = await fetch(doc.coopsUrl, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        sessionId: joined.sessionId,
        revisionNumber: joined.revisionNumber,
        patch: makePatch('a', 'ab'),
      }),
    });
    expect(after.status).toBe(204);
    expect(await (await fetch(doc.coopsUrl)).json()).toMatchObject({ content: 'ab' });
  });
});
