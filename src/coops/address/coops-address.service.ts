import { Injectable } from '@nestjs/common';
import { extensionOf, mimeTypeOf } from '../../common/mime';
import { AppConfig } from '../../config/app-config';
import { AccessTokenService, InvalidTokenError } from '../../tokens/access-token.service';
import type { VerifiedToken } from '../../tokens/access-token.types';
import { deriveKey } from '../../tokens/token-crypto';
import { WopiSecret } from '../../tokens/wopi-secret';
import { openCapability, sealCapability } from './capability';

/** Files the built-in editor opens; CoOPS itself serves any UTF-8 text. */
const EDITOR_EXTENSIONS = ['txt', 'md', 'markdown', 'html', 'htm'];

export interface CoopsLinks {
  /** The CoOPS server URL clients append /join, /update to (GET on it loads the document). */
  coopsUrl: string;
  /** The built-in editor page for the same session; only for text, Markdown and HTML files. */
  editorUrl?: string;
}

/**
 * Builds and checks CoOPS addresses: `{COLLABORATION_WOPI_SRC}/coops/<fileId>/<capability>`. The
 * capability is derived from an access token and checked like it (signature, expiry, file), so
 * every user gets an address of their own and any replica can check it. OpenInApp and the CLI call
 * `links` to hand addresses out.
 */
@Injectable()
export class CoopsAddressService {
  private readonly key: Buffer;

  constructor(
    private readonly config: AppConfig,
    private readonly tokens: AccessTokenService,
    secret: WopiSecret,
  ) {
    this.key = deriveKey(secret.value, 'coops-capability');
  }

  /** The addresses for a minted access token of `fileId` (a file called `fileName`). */
  links(accessToken: string, fileId: string, fileName: string): CoopsLinks {
    const coopsUrl = `${this.base()}/coops/${fileId}/${sealCapability(this.key, accessToken)}`;
    return isEditorFile(fileName) ? { coopsUrl, editorUrl: `${coopsUrl}/editor` } : { coopsUrl };
  }

  /** The WebSocket URLs of a session, as `extensions.webSocket` lists them. */
  webSocket(fileId: string, capability: string, sessionId: string): { ws: string; wss?: string } {
    const base = this.base();
    const path = `/coops/${fileId}/${capability}/ws/${encodeURIComponent(sessionId)}`;
    if (base.startsWith('https:')) {
      const url = `wss:${base.slice('https:'.length)}${path}`;
      return { ws: url, wss: url };
    }
    return { ws: `ws:${base.slice('http:'.length)}${path}` };
  }

  /** The access token behind a capability, verified for `fileId`; InvalidTokenError otherwise. */
  async verify(fileId: string, capability: string): Promise<VerifiedToken> {
    const token = openCapability(this.key, capability);
    if (token === undefined) {
      throw new InvalidTokenError('malformed');
    }
    const verified = await this.tokens.verify(token, fileId);
    if (verified.fileId !== fileId) {
      throw new InvalidTokenError('file mismatch');
    }
    return verified;
  }

  private base(): string {
    return this.config.wopi.src.replace(/\/+$/, '');
  }
}

/** MIME types the built-in editor opens (what a CoOPS app registers with oCIS). */
export function coopsEditorMimeTypes(): string[] {
  return [...new Set(EDITOR_EXTENSIONS.map((ext) => mimeTypeOf(`x.${ext}`)))].sort();
}

export function isEditorFile(name: string): boolean {
  return EDITOR_EXTENSIONS.includes(extensionOf(name));
}

/** Text files CoOPS is meant for (it refuses content that is not UTF-8 anyway). */
export function isCoopsFile(name: string): boolean {
  const type = mimeTypeOf(name);
  return (
    isEditorFile(name) ||
    type.startsWith('text/') ||
    type === 'application/json' ||
    type === 'application/xml'
  );
}
