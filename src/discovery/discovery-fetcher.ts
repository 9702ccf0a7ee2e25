import { Injectable } from '@nestjs/common';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface FetchOptions {
  /** Skip TLS certificate verification (COLLABORATION_APP_INSECURE). */
  insecure: boolean;
  timeoutMs: number;
}

export class DiscoveryFetchError extends Error {}

const MAX_BYTES = 8 * 1024 * 1024;
const MAX_REDIRECTS = 3;

/** Fetches an editor's discovery document over HTTP(S): bounded in time, size and redirects. */
@Injectable()
export class DiscoveryFetcher {
  async fetch(url: string, options: FetchOptions): Promise<string> {
    const signal = AbortSignal.timeout(options.timeoutMs);
    try {
      return await this.follow(new URL(url), options, signal);
    } catch (error) {
      if (signal.aborted) {
        throw new DiscoveryFetchError(`no complete answer within ${String(options.timeoutMs)}ms`);
      }
      throw error;
    }
  }

  private async follow(url: URL, options: FetchOptions, signal: AbortSignal): Promise<string> {
    let current = url;
    for (let redirects = 0; ; redirects++) {
      const response = await get(current, options, signal);
      const location = response.headers.location;
      if (
        response.statusCode !== undefined &&
        [301, 302, 303, 307, 308].includes(response.statusCode) &&
        location
      ) {
        response.resume();
        if (redirects >= MAX_REDIRECTS) {
          throw new DiscoveryFetchError(`more than ${String(MAX_REDIRECTS)} redirects`);
        }
        current = new URL(location, current);
        continue;
      }
      if (response.statusCode !== 200) {
        response.resume();
        throw new DiscoveryFetchError(`HTTP ${String(response.statusCode)}`);
      }
      return readBody(response);
    }
  }
}

function get(url: URL, options: FetchOptions, signal: AbortSignal): Promise<IncomingMessage> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return Promise.reject(new DiscoveryFetchError(`unsupported protocol ${url.protocol}`));
  }
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(
      url,
      {
        method: 'GET',
        headers: { accept: 'application/xml, text/xml;q=0.9, */*;q=0.1' },
        signal,
        ...(url.protocol === 'https:' ? { rejectUnauthorized: !options.insecure } : {}),
      },
      resolve,
    );
    req.once('error', (error) => {
      reject(
        error instanceof DiscoveryFetchError ? error : new DiscoveryFetchError(describe(error)),
      );
    });
    req.end();
  });
}

function readBody(response: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BYTES) {
        response.destroy(
          new DiscoveryFetchError(`document larger than ${String(MAX_BYTES)} bytes`),
        );
        return;
      }
      chunks.push(chunk);
    });
    response.once('end', () => {
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    response.once('error', (error) => {
      reject(
        error instanceof DiscoveryFetchError ? error : new DiscoveryFetchError(describe(error)),
      );
    });
  });
}

function describe(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code ? `${code}: ${error.message}` : error.message;
}
