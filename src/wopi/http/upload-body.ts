import type { IncomingMessage } from 'node:http';
import { Transform, type TransformCallback } from 'node:stream';
import { BadRequestError, PayloadTooLargeError } from '../../common/errors/app-error';
import { headerOf, sizeHeader } from './headers';

/** 1 MiB buffers: large bodies move at about twice the speed of the 64 KiB default. */
const BUFFER = 1024 * 1024;

/** A request body on its way to the storage, never buffered whole. */
export interface LimitedBody {
  body: Transform;
  /** Bytes that went through so far. */
  received(): number;
  /** Whether the body passed the limit mid-stream (a body without an announced size). */
  exceeded(): boolean;
}

/**
 * The size a request announces (Content-Length or X-WOPI-Size, which must agree), checked before a
 * byte is read: above `maxBytes` is 413, a malformed value 400.
 */
export function announcedSize(raw: IncomingMessage, maxBytes: number): number | undefined {
  const contentLength = sizeOrThrow(raw, 'content-length');
  const wopiSize = sizeOrThrow(raw, 'x-wopi-size');
  if (contentLength !== undefined && wopiSize !== undefined && contentLength !== wopiSize) {
    throw new BadRequestError(
      `X-WOPI-Size ${String(wopiSize)} does not match Content-Length ${String(contentLength)}`,
    );
  }
  const size = contentLength ?? wopiSize;
  if (size !== undefined && size > maxBytes) {
    throw new PayloadTooLargeError(
      `the body has ${String(size)} bytes; at most ${String(maxBytes)} are accepted`,
    );
  }
  return size;
}

/**
 * Starts streaming the request body through a byte counter that cuts it off as soon as it passes
 * `maxBytes`, which fails the upload and leaves the stored file as it was. Call it only once the
 * request was found acceptable, so refused requests never read their body.
 */
export function limitedBody(raw: IncomingMessage, maxBytes: number): LimitedBody {
  let received = 0;
  let exceeded = false;
  const limiter = new Transform({
    readableHighWaterMark: BUFFER,
    writableHighWaterMark: BUFFER,
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      received += chunk.length;
      if (received > maxBytes) {
        exceeded = true;
        callback(new PayloadTooLargeError(`the body passed ${String(maxBytes)} bytes`));
        return;
      }
      callback(null, chunk);
    },
  });
  raw.once('error', (error) => limiter.destroy(error));
  raw.once('aborted', () =>
    limiter.destroy(new ClientAbortedError('the client closed the request')),
  );
  raw.pipe(limiter);
  return { body: limiter, received: () => received, exceeded: () => exceeded };
}

/** The client went away before its body was complete. */
export class ClientAbortedError extends BadRequestError {}

function sizeOrThrow(raw: IncomingMessage, name: string): number | undefined {
  const value = headerOf(raw.headers, name);
  if (value === undefined) {
    return undefined;
  }
  const size = sizeHeader(raw.headers, name);
  if (size === undefined) {
    throw new BadRequestError(`${name} must be a byte count`);
  }
  return size;
}
