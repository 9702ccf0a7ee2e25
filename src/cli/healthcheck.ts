import { request } from 'node:http';
import type { AppConfig } from '../config/app-config';
import { parseHostPort } from '../config/units';

const TIMEOUT_MS = 3000;

/** Where to reach the debug listener from the same host: a wildcard address means loopback. */
export function healthUrl(config: AppConfig, path: '/healthz' | '/readyz'): string {
  const addr = parseHostPort(config.debug.addr);
  if (!addr) {
    throw new Error(`invalid debug address ${config.debug.addr}`);
  }
  let host = addr.host;
  if (host === '0.0.0.0') {
    host = '127.0.0.1';
  } else if (host === '::') {
    host = '::1';
  }
  return `http://${host.includes(':') ? `[${host}]` : host}:${String(addr.port)}${path}`;
}

/**
 * `healthcheck [--ready]`: asks the running server's debug listener for /healthz (or /readyz) and
 * answers 0 when it says 200, 1 otherwise. For container HEALTHCHECKs where no curl exists.
 */
export function healthcheck(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request(url, { timeout: TIMEOUT_MS }, (res) => {
      res.resume();
      resolve(res.statusCode === 200 ? 0 : 1);
    });
    req.on('timeout', () => {
      req.destroy(new Error('timeout'));
    });
    req.on('error', (error) => {
      process.stderr.write(`${url}: ${error.message}\n`);
      resolve(1);
    });
    req.end();
  });
}
