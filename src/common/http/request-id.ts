import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';

const SAFE_ID = /^[\w.:-]{1,128}$/;

/**
 * Takes X-Request-ID when it is a sane token, otherwise makes one; stores it on the request and, when
 * given the response, echoes it.
 */
export function assignRequestId(req: IncomingMessage, res?: ServerResponse): string {
  const existing = (req as IncomingMessage & { id?: unknown }).id;
  if (typeof existing === 'string' && existing !== '') {
    return existing;
  }
  const header = req.headers[REQUEST_ID_HEADER];
  const candidate = Array.isArray(header) ? header[0] : header;
  const id = candidate !== undefined && SAFE_ID.test(candidate) ? candidate : randomUUID();
  (req as IncomingMessage & { id?: string }).id = id;
  if (res && !res.headersSent) {
    res.setHeader('X-Request-ID', id);
  }
  return id;
}

export function requestIdOf(req: IncomingMessage): string | undefined {
  const id = (req as IncomingMessage & { id?: unknown }).id;
  return typeof id === 'string' ? id : undefined;
}
