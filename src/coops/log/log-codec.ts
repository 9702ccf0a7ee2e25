import { deflateRawSync, inflateRawSync } from 'node:zlib';

/** Values above this size are deflated, so large documents fit NATS's 1 MiB message limit. */
const COMPRESS_ABOVE = 32 * 1024;
/** JSON never starts with a zero byte; a deflated value does. */
const DEFLATED = 0x00;

export function encodeValue(value: unknown): Uint8Array {
  const json = Buffer.from(JSON.stringify(value), 'utf8');
  if (json.length <= COMPRESS_ABOVE) {
    return json;
  }
  return Buffer.concat([Buffer.from([DEFLATED]), deflateRawSync(json)]);
}

export function decodeValue(data: Uint8Array): unknown {
  const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const json = buffer[0] === DEFLATED ? inflateRawSync(buffer.subarray(1)) : buffer;
  return JSON.parse(json.toString('utf8')) as unknown;
}
