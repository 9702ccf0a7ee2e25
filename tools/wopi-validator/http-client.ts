import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { requestTarget } from './dotnet-url';

/** A request exactly as it goes on the wire (header order and values kept, nothing added but Host). */
export interface OutgoingRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: [string, string][];
  /** Undefined: no body; a POST then carries `Content-Length: 0`, a GET nothing. */
  body?: Buffer;
}

export interface WopiResponse {
  status: number;
  /** Lower-case names; repeated headers joined with `,` as .NET's WebHeaderCollection does. */
  headers: ReadonlyMap<string, string>;
  body: Buffer;
  /** The body as text when the request type expects text (BOM-aware, UTF-8 by default). */
  text?: string;
}

export interface HttpOptions {
  timeoutMs: number;
  /** Accept any TLS certificate (self-signed test hosts). */
  insecure: boolean;
}

/** The header Microsoft's runner uses to carry an exception through its validators. */
export const VALIDATOR_ERROR_HEADER = 'x-wopi-validatorerror';

/**
 * Sends one request with node:http: no redirects followed, no Content-Type, no compression, the
 * response read to the end. Failures to connect or read become Microsoft's 306 pseudo-response.
 */
export async function send(
  outgoing: OutgoingRequest,
  textExpected: boolean,
  options: HttpOptions,
): Promise<WopiResponse> {
  try {
    const response = await exchange(outgoing, options);
    return textExpected ? { ...response, text: decodeText(response.body) } : response;
  } catch (error) {
    return exceptionResponse(error);
  }
}

function exchange(outgoing: OutgoingRequest, options: HttpOptions): Promise<WopiResponse> {
  const target = requestTarget(outgoing.url);
  const url = new URL(target.origin);
  const headers: Record<string, string> = {};
  for (const [name, value] of outgoing.headers) {
    headers[name] = value;
  }
  if (outgoing.body !== undefined) {
    headers['Content-Length'] = String(outgoing.body.length);
  } else if (outgoing.method === 'POST') {
    headers['Content-Length'] = '0';
  }
  const request = target.secure ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        method: outgoing.method,
        hostname: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port === '' ? undefined : Number(url.port),
        path: target.pathAndQuery,
        headers,
        agent: false,
        timeout: options.timeoutMs,
        rejectUnauthorized: !options.insecure,
      },
      (res) => {
        collect(res).then(resolve, reject);
      },
    );
    req.once('timeout', () => {
      req.destroy(new Error(`no response within ${String(options.timeoutMs)} ms`));
    });
    req.once('error', reject);
    req.end(outgoing.body);
  });
}

function collect(res: IncomingMessage): Promise<WopiResponse> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.once('error', reject);
    res.once('aborted', () => {
      reject(new Error('the response was cut off'));
    });
    res.once('end', () => {
      const headers = new Map<string, string>();
      for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
        const name = (res.rawHeaders[i] ?? '').toLowerCase();
        const value = res.rawHeaders[i + 1] ?? '';
        const seen = headers.get(name);
        headers.set(name, seen === undefined ? value : `${seen},${value}`);
      }
      resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks) });
    });
  });
}

/** ExceptionHelper.WrapExceptionInResponseData: status 306 and the message in X-WOPI-ValidatorError. */
export function exceptionResponse(error: unknown): WopiResponse {
  const message = error instanceof Error ? `(${error.name}) ${error.message}` : String(error);
  const details = error instanceof Error ? (error.stack ?? message) : message;
  return {
    status: 306,
    headers: new Map([[VALIDATOR_ERROR_HEADER, message]]),
    body: Buffer.from(details, 'utf8'),
    text: details,
  };
}

/** StreamReader(stream, UTF8, detectEncodingFromByteOrderMarks: true).ReadToEnd(). */
export function decodeText(body: Buffer): string {
  if (body.length >= 3 && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) {
    return body.subarray(3).toString('utf8');
  }
  if (body.length >= 2 && body[0] === 0xff && body[1] === 0xfe) {
    return body.subarray(2).toString('utf16le');
  }
  if (body.length >= 2 && body[0] === 0xfe && body[1] === 0xff) {
    const text = Buffer.from(body.subarray(2, 2 + ((body.length - 2) & ~1)));
    return text.swap16().toString('utf16le');
  }
  return body.toString('utf8');
}
