import { describe, expect, it } from 'vitest';
import { chunkId, spookyHash128 } from './spooky-hash';

const MSG1 = 'Hello World!!';
const MSG2 =
  'DAKARA ONE TWO THREE DE ARUKIDASE\nKYOU MO ASHITA MO KINOU MO KAWARANAI\nNARABA ONE TWO THREE DE ARUKIDASE\nMAWARU SEKAI TO GYAKU MUKI DE';

describe('spookyHash128', () => {
  it('should give SpookyV2 reference values for short messages', () => {
    expect(spookyHash128(Buffer.from(MSG1), 123n, 0n)).toEqual([
      0xd89b808bd353c2ecn,
      0x9bede9164600e157n,
    ]);
    expect(spookyHash128(Buffer.from(MSG2), 0n, 0n)).toEqual([
      0xf4c773c08b934657n,
      0xe898100932d7fa1cn,
    ]);
  });

  it('should reproduce the SMHasher verification value of SpookyV2_128 (long messages included)', () => {
    const key = Buffer.alloc(256);
    const hashes = Buffer.alloc(16 * 256);
    for (let i = 0; i < 256; i++) {
      key[i] = i;
      const seed = BigInt(256 - i);
      const [first, second] = spookyHash128(key.subarray(0, i), seed, seed);
      hashes.writeBigUInt64LE(first, i * 16);
      hashes.writeBigUInt64LE(second, i * 16 + 8);
    }
    const [final] = spookyHash128(hashes, 0n, 0n);
    expect(Number(final & 0xffffffffn)).toBe(0x893cfcbe);
  });

  it('should write chunk ids as base64 of both halves little-endian', () => {
    const id = chunkId(Buffer.from('Blob1'));
    const bytes = Buffer.from(id, 'base64');
    const [first, second] = spookyHash128(Buffer.from('Blob1'));
    expect(bytes).toHaveLength(16);
    expect(bytes.readBigUInt64LE(0)).toBe(first);
    expect(bytes.readBigUInt64LE(8)).toBe(second);
  });
});
