import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface Spooled {
  size: number;
  /** A fresh stream of the spooled bytes. */
  open(): Readable;
  remove(): Promise<void>;
}

const BUFFER = 1024 * 1024;

/**
 * Writes a body of unknown length to a temporary file, so it can be sent with the exact
 * Content-Length reva's data servers require, without holding it in memory.
 */
export async function spool(body: Readable, signal?: AbortSignal): Promise<Spooled> {
  const dir = await mkdtemp(join(tmpdir(), 'collab-cs3-upload-'));
  const file = join(dir, 'body');
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    let size = 0;
    await pipeline(
      body,
      async function* count(source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          size += chunk.length;
          yield chunk;
        }
      },
      createWriteStream(file, { mode: 0o600, highWaterMark: BUFFER }),
      { signal },
    );
    return { size, open: () => createReadStream(file, { highWaterMark: BUFFER }), remove };
  } catch (error) {
    await remove();
    throw error;
  }
}

/** Reads a body that was announced empty; true when it really is. */
export async function isEmpty(body: Readable): Promise<boolean> {
  for await (const chunk of body) {
    if ((chunk as Buffer).length > 0) {
      body.destroy();
      return false;
    }
  }
  return true;
}
