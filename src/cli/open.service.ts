import { Injectable } from '@nestjs/common';
import { BadRequestError } from '../common/errors/app-error';
import { AppConfig } from '../config/app-config';
import { CoopsAddressService, isCoopsFile } from '../coops/address/coops-address.service';
import { LocalStorageGateway } from '../storage/local/local-storage-gateway.adapter';
import { StorageGateway } from '../storage/storage-gateway.port';
import { AccessTokenService } from '../tokens/access-token.service';
import type { ViewMode } from '../tokens/access-token.types';

export interface OpenRequest {
  path: string;
  mode: ViewMode;
  userId?: string;
  displayName?: string;
  app?: string;
}

/** What `open` prints: everything needed to drive an editor (or a test) against the server. */
export interface OpenResult {
  fileId: string;
  wopiSrc: string;
  accessToken: string;
  /** Token expiry, milliseconds since the epoch (what WOPI hosts pass as access_token_ttl). */
  accessTokenTtl: number;
  path: string;
  mode: ViewMode;
  userId: string;
  app?: string;
  [extra: string]: unknown;
}

/** Opens a file of the local root for an editor: mints its access token and builds its URLs. */
@Injectable()
export class OpenService {
  constructor(
    private readonly config: AppConfig,
    private readonly storage: StorageGateway,
    private readonly tokens: AccessTokenService,
    private readonly coops: CoopsAddressService,
  ) {}

  async open(request: OpenRequest): Promise<OpenResult> {
    if (!(this.storage instanceof LocalStorageGateway)) {
      throw new BadRequestError(
        'open works on the local storage only; in oCIS, files are opened through OpenInApp',
      );
    }
    const info = await this.storage.statPath(this.storage.root.fromUserPath(request.path));
    if (info.type !== 'file') {
      throw new BadRequestError(`${request.path} is a folder`);
    }
    const userId = request.userId ?? this.config.storage.localOwner;
    const minted = await this.tokens.mint(
      {
        resourceId: info.resourceId,
        user: {
          id: { idp: 'local', opaqueId: userId, type: 'primary' },
          username: userId,
          displayName: request.displayName ?? userId,
          isGuest: false,
        },
        mode: request.mode,
        app: request.app ?? this.config.apps[0]?.name,
        sessionId: AccessTokenService.newSessionId(),
      },
      Date.now() + this.config.wopi.tokenTtl,
    );
    return {
      fileId: minted.fileId,
      wopiSrc: `${wopiBase(this.config)}/wopi/files/${minted.fileId}`,
      accessToken: minted.token,
      accessTokenTtl: minted.expiresAt,
      path: info.path,
      mode: request.mode,
      userId,
      ...((request.app ?? this.config.apps[0]?.name)
        ? { app: request.app ?? this.config.apps[0]?.name }
        : {}),
      ...(isCoopsFile(info.name) ? this.coops.links(minted.token, minted.fileId, info.name) : {}),
    };
  }
}

/** COLLABORATION_WOPI_SRC without a trailing slash. */
export function wopiBase(config: AppConfig): string {
  return config.wopi.src.replace(/\/+$/, '');
}
