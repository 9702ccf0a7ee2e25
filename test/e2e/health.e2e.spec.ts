import { rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server';

describe('debug listener', () => {
  let server: TestServer | undefined;

  afterEach(async () => {
    await server?.dispose();
    server = undefined;
  });

  it('should answer liveness and readiness with a report per dependency', async () => {
    server = await startTestServer();
    const live = await fetch(`${server.debugUrl}/healthz`);
    expect(live.status).toBe(200);
    const ready = await fetch(`${server.debugUrl}/readyz`);
    expect(ready.status).toBe(200);
    const report = (await ready.json()) as {
      status: string;
      details: Record<string, { status: string }>;
    };
    expect(report.status).toBe('ok');
    expect(report.details['storage']).toMatchObject({ status: 'up', driver: 'local' });
    expect(report.details['nats']).toMatchObject({ status: 'up', configured: false });
  });

  it('should fail readiness when the storage is gone, and say which check failed', async () => {
    server = await startTestServer();
    await rm(server.root, { recursive: true, force: true });
    const ready = await fetch(`${server.debugUrl}/readyz`);
    expect(ready.status).toBe(503);
    const report = (await ready.json()) as { error: Record<string, { status: string }> };
    expect(report.error['storage']?.status).toBe('down');
    expect((await fetch(`${server.debugUrl}/healthz`)).status).toBe(200);
  });

  it('should keep health off the public listener', async () => {
    server = await startTestServer();
    expect((await fetch(`${server.httpUrl}/healthz`)).status).toBe(404);
    expect((await fetch(`${server.httpUrl}/metrics`)).status).toBe(404);
  });

  it('should serve Prometheus metrics with request durations by route and status', async () => {
    server = await startTestServer();
    await fetch(`${server.httpUrl}/no/such/route`);
    const response = await fetch(`${server.debugUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toMatch(
      /collaboration_http_request_duration_seconds_count\{method="GET",route="unmatched",status_code="404"\} [1-9]/,
    );
    expect(text).toContain('# TYPE collaboration_wopi_operations_total counter');
  });

  it('should require the debug token for metrics when one is set', async () => {
    server = await startTestServer({ COLLABORATION_DEBUG_TOKEN: 'metrics-token-1' });
    expect((await fetch(`${server.debugUrl}/metrics`)).status).toBe(401);
    expect(
      (await fetch(`${server.debugUrl}/metrics`, { headers: { authorization: 'Bearer wrong' } }))
        .status,
    ).toBe(401);
    const ok = await fetch(`${server.debugUrl}/metrics`, {
      headers: { authorization: 'Bearer metrics-token-1' },
    });
    expect(ok.status).toBe(200);
    expect((await fetch(`${server.debugUrl}/healthz`)).status).toBe(200);
  });
});
