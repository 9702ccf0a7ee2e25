import { chunkId } from './spooky-hash';

/** Frame types of the incremental-file-transfer body (WopiFrame). */
export const FrameType = { EndFrame: 1, MessageJSON: 2, Chunk: 3, ChunkRange: 4 } as const;

export interface Frame {
  type: number;
  extendedHeader?: Buffer;
  payload: Buffer;
}

/** A blob of a stream, addressed by its SpookyHash chunk id. */
export interface Blob {
  id: string;
  bytes: Buffer;
}

export function blobOf(bytes: Buffer): Blob {
  return { id: chunkId(bytes), bytes };
}

/** A 16-byte header (uint32 type, uint32 extended-header size, uint64 payload size; big-endian). */
function header(type: number, extendedHeader: Buffer | undefined, payloadSize: number): Buffer {
  const out = Buffer.alloc(16);
  out.writeUInt32BE(type, 0);
  out.writeUInt32BE(extendedHeader?.length ?? 0, 4);
  out.writeBigUInt64BE(BigInt(payloadSize), 8);
  return extendedHeader ? Buffer.concat([out, extendedHeader]) : out;
}

/**
 * FrameProtocolBuilder.CreateStream: a MessageJSON frame with the message, a Chunk frame per blob
 * (extended header = the 16 chunk-id bytes), then the EndFrame.
 */
export function buildFrames(message: string, blobs: readonly Blob[] = []): Buffer {
  const json = Buffer.from(message, 'utf8');
  const parts = [header(FrameType.MessageJSON, undefined, json.length), json];
  for (const blob of blobs) {
    parts.push(
      header(FrameType.Chunk, Buffer.from(blob.id, 'base64'), blob.bytes.length),
      blob.bytes,
    );
  }
  parts.push(header(FrameType.EndFrame, undefined, 0));
  return Buffer.concat(parts);
}

/** FrameProtocolParser.ParseStream: frames up to the EndFrame (not included); errors on short data. */
export function parseFrames(body: Buffer): Frame[] {
  const frames: Frame[] = [];
  let pos = 0;
  const take = (length: number): Buffer => {
    if (pos + length > body.length) {
      throw new Error('the frame stream ended early');
    }
    const out = body.subarray(pos, pos + length);
    pos += length;
    return out;
  };
  for (;;) {
    const head = take(16);
    const type = head.readUInt32BE(0);
    if (type === 0) {
      throw new Error('ReadFrameHeader encountered an undefined frametype.');
    }
    const extendedSize = head.readUInt32BE(4);
    const payloadSize = Number(head.readBigUInt64BE(8));
    const extendedHeader = extendedSize === 0 ? undefined : take(extendedSize);
    if (type === FrameType.EndFrame) {
      return frames;
    }
    frames.push({ type, extendedHeader, payload: take(payloadSize) });
  }
}

/**
 * JSON as DataContractJsonSerializer writes the message contracts: members in ordinal order of
 * their names, `/` escaped as `\/`.
 */
export function dataContractJson(value: unknown): string {
  return JSON.stringify(sortMembers(value)).replace(/\//g, '\\/');
}

function sortMembers(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(sortMembers);
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return Object.fromEntries(entries.map(([key, item]) => [key, sortMembers(item)]));
  }
  return value;
}
