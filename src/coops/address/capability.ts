import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * The capability segment of a CoOPS address: the access token, encrypted (AES-256-GCM with a key of
 * its own), so the address carries the credential without showing its claims. The token's three
 * base64url parts are packed as bytes first, which keeps the segment about as long as the token.
 */
export function sealCapability(key: Buffer, accessToken: string): string {
  const parts = accessToken.split('.');
  if (parts.length !== 3) {
    throw new Error('not a compact JWT');
  }
  const packed = Buffer.concat(
    parts.map((part) => {
      const bytes = Buffer.from(part, 'base64url');
      const length = Buffer.alloc(2);
      length.writeUInt16BE(bytes.length);
      return Buffer.concat([length, bytes]);
    }),
  );
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(packed), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
}

/** The access token inside a capability; undefined when it was not made with this key or is damaged. */
export function openCapability(key: Buffer, capability: string): string | undefined {
  if (!/^[\w-]{40,}$/.test(capability)) {
    return undefined;
  }
  try {
    const data = Buffer.from(capability, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
    decipher.setAuthTag(data.subarray(data.length - 16));
    const packed = Buffer.concat([
      decipher.update(data.subarray(12, data.length - 16)),
      decipher.final(),
    ]);
    const parts: string[] = [];
    let offset = 0;
    while (offset < packed.length && parts.length < 3) {
      const length = packed.readUInt16BE(offset);
      parts.push(packed.subarray(offset + 2, offset + 2 + length).toString('base64url'));
      offset += 2 + length;
    }
    return parts.length === 3 && offset === packed.length ? parts.join('.') : undefined;
  } catch {
    return undefined;
  }
}
