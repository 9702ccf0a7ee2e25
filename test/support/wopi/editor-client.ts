import type { Readable } from 'node:stream';
import { fileUrl, wopi, type WopiResponse } from './wopi-http';

/**
 * One editor session against one file: the token, the headers that editor puts on every request,
 * and the WOPI calls by name.
 */
export class EditorClient {
  constructor(
    readonly wopiSrc: string,
    readonly fileId: string,
    readonly token: string,
    private readonly common: Record<string, string> = {},
  ) {}

  /** The same session on another file (e.g. the one PutRelativeFile made), by its WOPI URL. */
  static fromUrl(url: string, common: Record<string, string> = {}): EditorClient {
    const parsed = new URL(url);
    const token = parsed.searchParams.get('access_token') ?? '';
    const fileId = parsed.pathname.split('/').pop() ?? '';
    return new EditorClient(parsed.origin, fileId, token, common);
  }

  get url(): string {
    return fileUrl(this.wopiSrc, this.fileId, this.token);
  }

  checkFileInfo(headers: Record<string, string> = {}): Promise<WopiResponse> {
    return wopi({ url: this.url, headers: { ...this.common, ...headers } });
  }

  getFile(headers: Record<string, string> = {}): Promise<WopiResponse> {
    return wopi({
      url: fileUrl(this.wopiSrc, this.fileId, this.token, true),
      headers: { ...this.common, ...headers },
    });
  }

  putFile(
    body: Buffer | string | Readable,
    headers: Record<string, string> = {},
  ): Promise<WopiResponse> {
    return wopi({
      method: 'POST',
      url: fileUrl(this.wopiSrc, this.fileId, this.token, true),
      headers: { ...this.common, 'X-WOPI-Override': 'PUT', ...headers },
      body,
    });
  }

  /** POST /wopi/files/{id} with X-WOPI-Override and an empty body unless one is given. */
  post(
    override: string,
    headers: Record<string, string> = {},
    body: Buffer | string = Buffer.alloc(0),
  ): Promise<WopiResponse> {
    return wopi({
      method: 'POST',
      url: this.url,
      headers: { ...this.common, 'X-WOPI-Override': override, ...headers },
      body,
    });
  }

  lock(lockId: string, headers: Record<string, string> = {}): Promise<WopiResponse> {
    return this.post('LOCK', { 'X-WOPI-Lock': lockId, ...headers });
  }

  unlock(lockId: string): Promise<WopiResponse> {
    return this.post('UNLOCK', { 'X-WOPI-Lock': lockId });
  }

  refreshLock(lockId: string): Promise<WopiResponse> {
    return this.post('REFRESH_LOCK', { 'X-WOPI-Lock': lockId });
  }

  unlockAndRelock(oldLockId: string, lockId: string): Promise<WopiResponse> {
    return this.post('LOCK', { 'X-WOPI-Lock': lockId, 'X-WOPI-OldLock': oldLockId });
  }

  getLock(): Promise<WopiResponse> {
    return this.post('GET_LOCK');
  }
}
