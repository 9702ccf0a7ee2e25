import { afterEach, describe, expect, it } from 'vitest';
import { decodeText, send } from './http-client';
import { startScriptedHost, type ScriptedHost } from './testing/scripted-host';

describe('decodeText', () => {
  it('should read UTF-8 by default and honour UTF-8 and UTF-16 byte order marks', () => {
    expect(decodeText(Buffer.from('héllo'))).toBe('héllo');
    expect(decodeText(Buffer.from([0xef, 0xbb, 0xbf, 0x41]))).toBe('A');
    expect(decodeText(Buffer.from([0xff, 0xfe, 0x41, 0x00]))).toBe('A');
    expect(decodeText(Buffer.from([0xfe, 0xff, 0x00, 0x41, 0x00]))).toBe('A');
  });
});

describe('send', () => {
  let host: ScriptedHost | undefined;
  afterEach(async () => {
    await host?.close();
  });

  it("should turn a refused connection into Microsoft's 306 response with X-WOPI-ValidatorError", async () => {
    host = await startScriptedHost(() => ({ status: 200 }));
    const url = `${host.origin}/x`;
    await host.close();
    host = undefined;
    const response = await send({ method: 'GET', url, headers: [] }, true, {
      timeoutMs: 2000,
      insecure: false,
    });
    expect(response.status).toBe(306);
    expect(response.headers.get('x-wopi-validatorerror')).toMatch(/ECONNREFUSED/);
  });

  it('should keep repeated response headers joined with a comma', async () => {
    host = await startScriptedHost(() => ({ status: 200, headers: { 'X-Multi': ['a', 'b'] } }));
    const response = await send({ method: 'GET', url: `${host.origin}/`, headers: [] }, true, {
      timeoutMs: 2000,
      insecure: false,
    });
    expect(response.headers.get('x-multi')).toBe('a,b');
    expect(response.text).toBe('');
  });
});
