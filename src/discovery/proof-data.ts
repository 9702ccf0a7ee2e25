/**
 * The bytes a WOPI client signs (Microsoft's proof-key algorithm, also used by Collabora and
 * OnlyOffice): each part is preceded by its length as a 32-bit big-endian integer.
 *
 *   len ‖ token (UTF-8) ‖ len ‖ URL upper-cased (UTF-8) ‖ 8 ‖ X-WOPI-TimeStamp as int64 big-endian
 *
 * The token is the access token exactly as the client signed it; the URL is the whole request URL
 * (scheme, host, path and every query parameter).
 */
export function proofData(token: string, url: string, ticks: bigint): Buffer {
  const tokenBytes = Buffer.from(token, 'utf8');
  const urlBytes = Buffer.from(url.toUpperCase(), 'utf8');
  const data = Buffer.alloc(4 + tokenBytes.length + 4 + urlBytes.length + 4 + 8);
  let offset = data.writeUInt32BE(tokenBytes.length, 0);
  offset += tokenBytes.copy(data, offset);
  offset = data.writeUInt32BE(urlBytes.length, offset);
  offset += urlBytes.copy(data, offset);
  offset = data.writeUInt32BE(8, offset);
  data.writeBigInt64BE(ticks, offset);
  return data;
}
