import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../common/errors/app-error';
import type { Cs3Settings } from '../config/app-config';
import {
  StorageInvalidArgumentError,
  StorageTimeoutError,
  StorageUnavailableError,
} from '../storage/storage.errors';

/** Where the gateway said the bytes are: an endpoint and the signed transfer token for it. */
export interface TransferEndpoint {
  url: string;
  /** Sent as X-Reva-Transfer when not empty. */
  transferToken?: string;
}

export interface DataResponse {
  status: number;
  headers: IncomingMessage['headers'];
  /** The body (GET only); already drained for PUT and for failures. */
  body?: IncomingMessage;
}

/**
 * HTTP transfers to reva's data gateway (or an exposed data server), streamed both ways: the reva
 * token as X-Access-Token, the transfer token as X-Reva-Transfer, the lock id as X-Lock-Id, and an
 * exact Content-Length on PUT. A socket that stays silent for COLLABORATION_CS3_TIMEOUT fails the
 * transfer.
 */
export class DataTransfer {
  private readonly http = new HttpAgent({ keepAlive: true });
  private readonly https: HttpsAgent;

  constructor(private readonly settings: Cs3Settings) {
    this.https = new HttpsAgent({
      keepAlive: true,
      rejectUnauthorized: !settings.dataGatewayInsecure,
    });
  }

  /** GET: resolves with the response once its headers arrived; non-200 bodies are drained. */
  get(
    endpoint: TransferEndpoint,
    accessToken: string,
    signal?: AbortSignal,
  ): Promise<DataResponse> {
    return new Promise((resolve, reject) => {
      const req = this.request(endpoint, 'GET', this.headers(endpoint, accessToken), signal);
      req.on('error', (error) => {
        reject(this.failure(error, 'download'));
      });
      req.once('response', (res) => {
        if (res.statusCode === 200) {
          resolve({ status: 200, headers: res.headers, body: res });
        } else {
          res.resume();
          resolve({ status: res.statusCode ?? 0, headers: res.headers });
        }
      });
      req.end();
    });
  }

  /**
   * PUT exactly `length` bytes of `body`. A body that is longer or shorter fails with
   * StorageInvalidArgumentError and the request is aborted, so the server stores nothing.
   */
  async put(
    endpoint: TransferEndpoint,
    accessToken: string,
    body: Readable,
    length: number,
    lockId: string | undefined,
    signal?: AbortSignal,
  ): Promise<DataResponse> {
    const headers = {
      ...this.headers(endpoint, accessToken),
      'content-type': 'application/octet-stream',
      'content-length': String(length),
      ...(lockId ? { 'x-lock-id': lockId } : {}),
    };
    const req = this.request(endpoint, 'PUT', headers, signal);
    // Which side failed first: the body we stream (the caller's problem) or the data gateway.
    let failedFirst: 'body' | 'request' | undefined;
    body.once('error', () => {
      failedFirst ??= 'body';
    });
    let response: DataResponse | undefined;
    const answered = new Promise<DataResponse>((resolve, reject) => {
      req.on('error', (error) => {
        failedFirst ??= 'request';
        reject(this.failure(error, 'upload'));
      });
      req.once('response', (res) => {
        const answer = { status: res.statusCode ?? 0, headers: res.headers };
        response = answer;
        res.resume();
        res.once('end', () => {
          resolve(answer);
        });
        res.once('error', reject);
      });
    });
    answered.catch(() => undefined);
    try {
      await pipeline(body, exactly(length), req, { signal });
    } catch (error) {
      if (error instanceof AppError || signal?.aborted || failedFirst === 'body') {
        throw error;
      }
      if (response && response.status !== 200) {
        return response;
      }
      throw this.failure(error as Error, 'upload');
    }
    return answered;
  }

  close(): void {
    this.http.destroy();
    this.https.destroy();
  }

  private headers(endpoint: TransferEndpoint, accessToken: string): Record<string, string> {
    return {
      'x-access-token': accessToken,
      ...(endpoint.transferToken ? { 'x-reva-transfer': endpoint.transferToken } : {}),
    };
  }

  private request(
    endpoint: TransferEndpoint,
    method: 'GET' | 'PUT',
    headers: Record<string, string>,
    signal: AbortSignal | undefined,
  ) {
    const url = new URL(endpoint.url);
    const secure = url.protocol === 'https:';
    const req = (secure ? httpsRequest : httpRequest)(url, {
      method,
      headers,
      agent: secure ? this.https : this.http,
      timeout: this.settings.timeout,
      signal,
    });
    req.once('timeout', () => {
      req.destroy(
        new StorageTimeoutError(
          `the data gateway sent nothing for ${String(this.settings.timeout)} ms (${method} ${url.origin})`,
        ),
      );
    });
    return req;
  }

  private failure(error: Error, what: 'download' | 'upload'): Error {
    if (error instanceof AppError || error.name === 'AbortError') {
      return error;
    }
    return new StorageUnavailableError(
      `the data gateway failed the ${what}: ${error.message === '' ? 'connection closed' : error.message}`,
    );
  }
}

/** Passes exactly `length` bytes through; more or fewer fail the stream. */
function exactly(length: number) {
  return async function* (source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    let seen = 0;
    for await (const chunk of source) {
      seen += chunk.length;
      if (seen > length) {
        throw new StorageInvalidArgumentError(
          `body is longer than the announced ${String(length)} bytes`,
        );
      }
      yield chunk;
    }
    if (seen !== length) {
      throw new StorageInvalidArgumentError(
        `body has ${String(seen)} bytes, ${String(length)} announced`,
      );
    }
  };
}
