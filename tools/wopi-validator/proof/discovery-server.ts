import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { discoveryDocument } from '../../../test/support/wopi-client/discovery-document';
import type { ProofKeyPair } from './keys';

export interface DiscoveryServer {
  /** The editor address to configure on the host: discovery is at {url}/hosting/discovery. */
  url: string;
  /** How many times the discovery document was fetched. */
  fetches(): number;
  close(): Promise<void>;
}

/**
 * Serves the runner's discovery document on 127.0.0.1 (a free port unless one is given). Unlike the
 * editor simulator's server it can listen on a fixed port, for a host configured once.
 */
export async function startDiscoveryServer(
  keys: { current: ProofKeyPair; old: ProofKeyPair },
  options: { host?: string; port?: number } = {},
): Promise<DiscoveryServer> {
  const host = options.host ?? '127.0.0.1';
  let fetched = 0;
  let body = '';
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && (path === '/hosting/discovery' || path === '/hosting/discovery/')) {
      fetched++;
      res.writeHead(200, {
        'Content-Type': 'text/xml; charset=utf-8',
        'Cache-Control': 'no-store',
      });
      res.end(body);
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${String(port)}`;
  // Office's shape (Word, Excel, PowerPoint, OneNote, WopiTest) from the editor simulator.
  body = discoveryDocument({ product: 'Microsoft', baseUrl: url, keys });
  return {
    url,
    fetches: () => fetched,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
