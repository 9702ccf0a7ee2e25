import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';

export interface WopiResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The body as JSON (throws when it is not). */
  json(): Record<string, unknown>;
  text(): string;
  header(name: string): string | undefined;
}

export interface WopiRequest {
  method?: string;
  /** Absolute URL, query included. */
  url: string;
  /** Sent exactly as given (empty values included); nothing is added but Content-Length. */
  headers?: Record<string, string>;
  body?: Buffer | string | Readable;
}

/**
 * One HTTP request the way WOPI clients send them: exact headers (an empty X-WOPI-Lock stays
 * empty), no Content-Type unless given, no redirects followed, the whole answer read as bytes.
 */
export function wopi(req: WopiRequest): Promise<WopiResponse> {
  return new Promise((resolve, reject) => {
    const url = new URL(req.url);
    const body = typeof req.body === 'string' ? Buffer.from(req.body) : req.body;
    const headers: Record<string, string> = { ...req.headers };
    if (Buffer.isBuffer(body) && !hasHeader(headers, 'content-length')) {
      headers['Content-Length'] = String(body.length);
    }
    const outgoing = httpRequest(
      {
        method: req.method ?? 'GET',
        hostname: url.hostname,
        port: url.port,
        path: `${url.pathname}${url.search}`,
        headers,
        // A connection per request: no pooled socket outlives the test server it talked to.
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const bytes = Buffer.concat(chunks);
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: bytes,
            json: () => JSON.parse(bytes.toString('utf8')) as Record<string, unknown>,
            text: () => bytes.toString('utf8'),
            header: (name) => {
              const value = response.headers[name.toLowerCase()];
              return Array.isArray(value) ? value.join(', ') : value;
            },
          });
        });
      },
    );
    outgoing.on('error', reject);
    if (body === undefined) {
      outgoing.end();
    } else if (Buffer.isBuffer(body)) {
      outgoing.end(body);
    } else {
      body.pipe(outgoing);
    }
  });
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((key) => key.toLowerCase() === name);
}

/** `{wopiSrc}/wopi/files/{fileId}[/contents]?access_token=…` */
export function fileUrl(wopiSrc: string, fileId: string, token: string, contents = false): string {
  return `${wopiSrc}/wopi/files/${fileId}${contents ? '/contents' : ''}?access_token=${encodeURIComponent(token)}`;
}
