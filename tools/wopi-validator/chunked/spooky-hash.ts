/**
 * Bob Jenkins' SpookyHash V2, 128-bit, as the validator uses it for chunk ids: seeds 0/0, the two
 * 64-bit halves little-endian, base64. Written from the published algorithm (public domain).
 */

const MASK = (1n << 64n) - 1n;
const CONST = 0xdeadbeefdeadbeefn;

const MIX_ROT = [11, 32, 43, 31, 17, 28, 39, 57, 55, 54, 22, 46];
const END_ROT = [44, 15, 34, 21, 38, 33, 10, 13, 38, 53, 42, 54];
const SHORT_MIX_ROT = [50, 52, 30, 41, 54, 48, 38, 37, 62, 34, 5, 36];
const SHORT_END_ROT = [15, 52, 26, 51, 28, 9, 47, 54, 32, 25, 63];

function rot(value: bigint, bits: number): bigint {
  return ((value << BigInt(bits)) | (value >> BigInt(64 - bits))) & MASK;
}

const add = (a: bigint, b: bigint): bigint => (a + b) & MASK;

export function spookyHash128(data: Buffer, seed1 = 0n, seed2 = 0n): [bigint, bigint] {
  return data.length < 192 ? short(data, seed1, seed2) : long(data, seed1, seed2);
}

/** The chunk id: base64 of both halves, little-endian. */
export function chunkId(data: Buffer): string {
  const [first, second] = spookyHash128(data);
  const out = Buffer.alloc(16);
  out.writeBigUInt64LE(first, 0);
  out.writeBigUInt64LE(second, 8);
  return out.toString('base64');
}

function long(data: Buffer, seed1: bigint, seed2: bigint): [bigint, bigint] {
  const h = [seed1, seed2, CONST, seed1, seed2, CONST, seed1, seed2, CONST, seed1, seed2, CONST];
  let pos = 0;
  for (; data.length - pos >= 96; pos += 96) {
    mix(data, pos, h);
  }
  const last = Buffer.alloc(96);
  data.copy(last, 0, pos);
  last[95] = data.length - pos;
  for (let i = 0; i < 12; i++) {
    h[i] = add(at(h, i), last.readBigUInt64LE(i * 8));
  }
  endPartial(h);
  endPartial(h);
  endPartial(h);
  return [at(h, 0), at(h, 1)];
}

function at(h: bigint[], index: number): bigint {
  return h[index] ?? 0n;
}

function mix(data: Buffer, offset: number, h: bigint[]): void {
  for (let i = 0; i < 12; i++) {
    h[i] = add(at(h, i), data.readBigUInt64LE(offset + i * 8));
    h[(i + 2) % 12] = at(h, (i + 2) % 12) ^ at(h, (i + 10) % 12);
    h[(i + 11) % 12] = at(h, (i + 11) % 12) ^ at(h, i);
    h[i] = rot(at(h, i), MIX_ROT[i] ?? 0);
    h[(i + 11) % 12] = add(at(h, (i + 11) % 12), at(h, (i + 1) % 12));
  }
}

function endPartial(h: bigint[]): void {
  for (let i = 0; i < 12; i++) {
    h[(i + 11) % 12] = add(at(h, (i + 11) % 12), at(h, (i + 1) % 12));
    h[(i + 2) % 12] = at(h, (i + 2) % 12) ^ at(h, (i + 11) % 12);
    h[(i + 1) % 12] = rot(at(h, (i + 1) % 12), END_ROT[i] ?? 0);
  }
}

function short(data: Buffer, seed1: bigint, seed2: bigint): [bigint, bigint] {
  const h = [seed1, seed2, CONST, CONST];
  const length = data.length;
  let remainder = length % 32;
  let i = 0;
  const u64 = (offset: number): bigint => data.readBigUInt64LE(offset);
  const byte = (offset: number, shift: bigint): bigint => BigInt(data[offset] ?? 0) << shift;
  if (length > 15) {
    for (; i + 31 < length; i += 32) {
      h[2] = add(at(h, 2), u64(i));
      h[3] = add(at(h, 3), u64(i + 8));
      shortMix(h);
      h[0] = add(at(h, 0), u64(i + 16));
      h[1] = add(at(h, 1), u64(i + 24));
    }
    if (remainder >= 16) {
      h[2] = add(at(h, 2), u64(i));
      h[3] = add(at(h, 3), u64(i + 8));
      shortMix(h);
      i += 16;
      remainder -= 16;
    }
  }
  let c = at(h, 2);
  let d = add(at(h, 3), BigInt(length) << 56n);
  if (remainder >= 12) {
    for (let k = remainder; k > 12; k--) {
      d = add(d, byte(i + k - 1, BigInt((k - 9) * 8)));
    }
    c = add(c, u64(i));
    d = add(d, BigInt(data.readUInt32LE(i + 8)));
  } else if (remainder >= 8) {
    for (let k = remainder; k > 8; k--) {
      d = add(d, byte(i + k - 1, BigInt((k - 9) * 8)));
    }
    c = add(c, u64(i));
  } else if (remainder >= 4) {
    for (let k = remainder; k > 4; k--) {
      c = add(c, byte(i + k - 1, BigInt((k - 1) * 8)));
    }
    c = add(c, BigInt(data.readUInt32LE(i)));
  } else if (remainder > 0) {
    for (let k = remainder; k > 0; k--) {
      c = add(c, byte(i + k - 1, BigInt((k - 1) * 8)));
    }
  } else {
    c = add(c, CONST);
    d = add(d, CONST);
  }
  h[2] = c;
  h[3] = d;
  shortEnd(h);
  return [at(h, 0), at(h, 1)];
}

function shortMix(h: bigint[]): void {
  for (let n = 0; n < 12; n++) {
    const i = n % 4;
    h[(i + 2) % 4] = rot(at(h, (i + 2) % 4), SHORT_MIX_ROT[n] ?? 0);
    h[(i + 2) % 4] = add(at(h, (i + 2) % 4), at(h, (i + 3) % 4));
    h[i] = at(h, i) ^ at(h, (i + 2) % 4);
  }
}

function shortEnd(h: bigint[]): void {
  for (let n = 0; n < 11; n++) {
    const i = n % 4;
    h[(i + 3) % 4] = at(h, (i + 3) % 4) ^ at(h, (i + 2) % 4);
    h[(i + 2) % 4] = rot(at(h, (i + 2) % 4), SHORT_END_ROT[n] ?? 0);
    h[(i + 3) % 4] = add(at(h, (i + 3) % 4), at(h, (i + 2) % 4));
  }
}
