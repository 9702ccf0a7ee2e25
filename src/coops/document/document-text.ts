import type { Readable } from 'node:stream';
import { mimeTypeOf } from '../../common/mime';
import { CoopsBadRequestError, DocumentTooLargeError } from '../coops.errors';

/** Largest document CoOPS edits (UTF-8 bytes); the log and every client hold it whole. */
export const MAX_DOCUMENT_BYTES = 1024 * 1024;

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The file's bytes as text, exactly (a byte-order mark stays); refuses binary and oversized files. */
export async function readText(body: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_DOCUMENT_BYTES) {
      body.destroy();
      throw new DocumentTooLargeError(
        `documents larger than ${String(MAX_DOCUMENT_BYTES)} bytes cannot be edited with CoOPS`,
      );
    }
    chunks.push(chunk);
  }
  try {
    return decoder.decode(Buffer.concat(chunks));
  } catch {
    throw new CoopsBadRequestError(['the file is not UTF-8 text']);
  }
}

export function checkSize(content: string): void {
  if (Buffer.byteLength(content, 'utf8') > MAX_DOCUMENT_BYTES) {
    throw new DocumentTooLargeError(
      `documents larger than ${String(MAX_DOCUMENT_BYTES)} bytes cannot be edited with CoOPS`,
    );
  }
}

/** The join/load `contentType`: the file's MIME type, text/plain for unknown text files. */
export function contentTypeOf(name: string): string {
  const type = mimeTypeOf(name);
  return type === 'application/octet-stream' ? 'text/plain' : type;
}
