import type { IncomingMessage } from 'node:http';
import { CoopsBadRequestError, DocumentTooLargeError } from '../coops.errors';
import { formToObject } from './patch-input';

/** Largest PATCH body: a whole-document patch of the largest document, percent-encoded. */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

/** Reads the raw body (nothing is parsed by Fastify), refusing more than `limit` bytes. */
export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > limit) {
    req.resume();
    throw new DocumentTooLargeError(`the body is larger than ${String(limit)} bytes`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      req.resume();
      throw new DocumentTooLargeError(`the body is larger than ${String(limit)} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** A JSON body, or a form body when the Content-Type says so; 400 with the reason otherwise. */
export function parseBody(body: Buffer, contentType: string | undefined): unknown {
  const text = body.toString('utf8');
  if (/^application\/x-www-form-urlencoded\b/i.test(contentType ?? '')) {
    return formToObject(text);
  }
  if (text.trim() === '') {
    throw new CoopsBadRequestError(['the body is empty; a JSON object is expected']);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new CoopsBadRequestError([
      `the body is not JSON: ${error instanceof Error ? error.message : String(error)}`,
    ]);
  }
}
