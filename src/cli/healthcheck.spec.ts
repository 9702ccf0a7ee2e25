import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.loader';
import { healthcheck, healthUrl } from './healthcheck';

describe('healthcheck', () => {
  let server: Server | undefined;

  afterEach(async () => {
    const open = server;
    server = undefined;
    if (open?.listening) {
      await new Promise((resolve) => {
        open.close(resolve);
      });
    }
  });

  async function serve(status: number): Promise<number> {
    server = createServer((_req, res) => {
      res.statusCode = status;
      res.end();
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  }

  it('should ask loopback when the debug listener binds every interface', () => {
    const config = loadConfig({ env: { COLLABORATION_DEBUG_ADDR: '0.0.0.0:9304' } });
    expect(healthUrl(config, '/healthz')).toBe('http://127.0.0.1:9304/healthz');
    const v6 = loadConfig({ env: { COLLABORATION_DEBUG_ADDR: '[::]:9404' } });
    expect(healthUrl(v6, '/readyz')).toBe('http://[::1]:9404/readyz');
  });

  it('should answer 0 for 200 and 1 for anything else or no answer', async () => {
    const ok = await serve(200);
    expect(await healthcheck(`http://127.0.0.1:${String(ok)}/healthz`)).toBe(0);
    await new Promise((resolve) => {
      server?.close(resolve);
    });
    const down = await serve(503);
    expect(await healthcheck(`http://127.0.0.1:${String(down)}/readyz`)).toBe(1);
    await new Promise((resolve) => {
      server?.close(resolve);
    });
    expect(await healthcheck(`http://127.0.0.1:${String(down)}/readyz`)).toBe(1);
  });
});
