import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/temp';
import { DiscoveryFetcher, DiscoveryFetchError } from './discovery-fetcher';

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe(DiscoveryFetcher.name, () => {
  const fetcher = new DiscoveryFetcher();
  const servers: Server[] = [];

  afterEach(async () => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  async function serve(handler: RequestListener): Promise<string> {
    const server = createServer(handler);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
  }

  const options = { insecure: false, timeoutMs: 2000 };

  it('should return the body of a 200 answer, following a few redirects', async () => {
    const url = await serve((req, res) => {
      if (req.url === '/old') {
        res.writeHead(302, { location: '/hosting/discovery' }).end();
      } else {
        res.writeHead(200, { 'content-type': 'text/xml' }).end('<wopi-discovery/>');
      }
    });
    expect(await fetcher.fetch(`${url}/old`, options)).toBe('<wopi-discovery/>');
  });

  it.each([
    [
      'an error status',
      (res: Parameters<RequestListener>[1]) => res.writeHead(503).end('down'),
      /HTTP 503/,
    ],
    [
      'a redirect loop',
      (res: Parameters<RequestListener>[1]) => res.writeHead(302, { location: '/again' }).end(),
      /redirects/,
    ],
    [
      'a body larger than 8 MiB',
      (res: Parameters<RequestListener>[1]) => {
        res.writeHead(200);
        const chunk = Buffer.alloc(1024 * 1024, 0x20);
        for (let i = 0; i < 9; i++) {
          res.write(chunk);
        }
        res.end();
      },
      /larger than/,
    ],
  ] as const)('should fail on %s', async (_name, answer, message) => {
    const url = await serve((_req, res) => {
      answer(res);
    });
    await expect(fetcher.fetch(`${url}/hosting/discovery`, options)).rejects.toThrow(message);
  });

  it('should give up when the editor does not answer in time', async () => {
    const url = await serve(() => {
      // never answers
    });
    const error = await fetcher
      .fetch(url, { insecure: false, timeoutMs: 300 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiscoveryFetchError);
    expect((error as Error).message).toMatch(/within 300ms/);
  });

  it('should fail when nothing listens', async () => {
    const url = await serve(() => undefined);
    const server = servers.pop()!;
    await new Promise((resolve) => server.close(resolve));
    await expect(fetcher.fetch(url, options)).rejects.toThrow(/ECONNREFUSED/);
  });

  it.skipIf(!hasOpenssl())('should verify TLS unless the app is marked insecure', async () => {
    const temp = await tempDir();
    try {
      const key = join(temp.dir, 'key.pem');
      const cert = join(temp.dir, 'cert.pem');
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-keyout',
          key,
          '-out',
          cert,
          '-days',
          '1',
          '-subj',
          '/CN=127.0.0.1',
        ],
        { stdio: 'ignore' },
      );
      const server = createHttpsServer({ key: readFileSync(key), cert: readFileSync(cert) });
      servers.push(server);
      server.on('request', (_req, res) => res.writeHead(200).end('<wopi-discovery/>'));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const url = `https://127.0.0.1:${String((server.address() as AddressInfo).port)}/hosting/discovery`;
      await expect(fetcher.fetch(url, options)).rejects.toThrow(DiscoveryFetchError);
      expect(await fetcher.fetch(url, { ...options, insecure: true })).toBe('<wopi-discovery/>');
    } finally {
      await temp.remove();
    }
  });
});
