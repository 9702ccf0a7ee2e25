/**
 * Microsoft CryptoAPI PUBLICKEYBLOB, the format of the discovery `proof-key@value` attributes:
 *
 *   06 02 0000 | 00A40000 (CALG_RSA_KEYX, little-endian) | "RSA1" | bit length (LE32)
 *   | public exponent (LE32) | modulus (little-endian, bit length / 8 bytes)
 *
 * Discovery documents also carry `modulus`/`exponent` (big-endian base64), which we prefer; the blob
 * is read only when those are missing, and written by the test simulator.
 */
const HEADER = Buffer.from([0x06, 0x02, 0x00, 0x00, 0x00, 0xa4, 0x00, 0x00]);
const MAGIC = 'RSA1';

export interface RsaPublicNumbers {
  /** Big-endian, no leading zero bytes. */
  modulus: Buffer;
  /** Big-endian, no leading zero bytes. */
  exponent: Buffer;
}

export function encodeCspBlob({ modulus, exponent }: RsaPublicNumbers): Buffer {
  const n = stripLeadingZeros(modulus);
  const e = stripLeadingZeros(exponent);
  if (e.length > 4) {
    throw new Error('the public exponent does not fit a CryptoAPI blob');
  }
  const blob = Buffer.alloc(HEADER.length + 12 + n.length);
  HEADER.copy(blob, 0);
  blob.write(MAGIC, 8, 'latin1');
  blob.writeUInt32LE(n.length * 8, 12);
  blob.writeUInt32LE(e.length === 0 ? 0 : e.readUIntBE(0, e.length), 16);
  Buffer.from(n).reverse().copy(blob, 20);
  return blob;
}

/** Undefined when the bytes are not an RSA PUBLICKEYBLOB. */
export function decodeCspBlob(blob: Buffer): RsaPublicNumbers | undefined {
  if (blob.length < 20 || !blob.subarray(0, 8).equals(HEADER)) {
    return undefined;
  }
  if (blob.toString('latin1', 8, 12) !== MAGIC) {
    return undefined;
  }
  const bits = blob.readUInt32LE(12);
  if (bits === 0 || bits % 8 !== 0 || blob.length !== 20 + bits / 8) {
    return undefined;
  }
  const exponent = Buffer.alloc(4);
  exponent.writeUInt32BE(blob.readUInt32LE(16), 0);
  return {
    modulus: stripLeadingZeros(Buffer.from(blob.subarray(20)).reverse()),
    exponent: stripLeadingZeros(exponent),
  };
}

export function stripLeadingZeros(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) {
    start++;
  }
  return bytes.subarray(start);
}
