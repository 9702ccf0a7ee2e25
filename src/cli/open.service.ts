import { Injectable, Logger } from '@nestjs/common';
import { BadRequestError } from '../common/errors/app-error';
import { AppConfig } from '../config/app-config';
import { EditorUnavailableError, NoEditorActionError } from '../discovery/discovery.errors';
import { EditorUrlService } from '../discovery/editor-url.service';
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
  /** The editor URL to POST access_token and access_token_ttl to (when the app's discovery answers). */
  appUrl?: string;
  /** Dev mode: the server's page that does that POST (`GET /open/{fileId}`). */
  openUrl?: string;
  [extra: string]: unknown;
}

/** Opens a file of the local root for an editor: mints its access token and builds its URLs. */
@Injectable()
export class OpenService {
  private readonly logger = new Logger(OpenService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly storage: StorageGateway,
    private readonly tokens: AccessTokenService,
    private readonly editors: EditorUrlService,
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
    const app = this.config.apps.length > 0 ? this.editors.appName(request.app) : request.app;
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
        app,
        sessionId: AccessTokenService.newSessionId(),
      },
      Date.now() + this.config.wopi.tokenTtl,
    );
    const wopiSrc = `${wopiBase(this.config)}/wopi/files/${minted.fileId}`;
    const appUrl =
      app === undefined ? undefined : await this.appUrl(app, info.name, request, wopiSrc);
    return {
      fileId: minted.fileId,
      wopiSrc,
      accessToken: minted.token,
      accessTokenTtl: minted.expiresAt,
      path: info.path,
      mode: request.mode,
      userId,
      ...(app !== undefined ? { app } : {}),
      ...(appUrl !== undefined ? { appUrl } : {}),
      ...(appUrl !== undefined && this.config.dev.enabled
        ? { openUrl: `${wopiBase(this.config)}/open/${minted.fileId}?access_token=${minted.token}` }
        : {}),
    };
  }

  /** The editor URL, or undefined (with a warning on stderr) when the app cannot give one now. */
  private async appUrl(
    app: string,
    fileName: string,
    request: OpenRequest,
    wopiSrc: string,
  ): Promise<string | undefined> {
    if (this.config.apps.length === 0) {
      return undefined;
    }
    try {
      return (await this.editors.appUrl(app, { fileName, mode: request.mode, wopiSrc })).url;
    } catch (error) {
      if (error instanceof EditorUnavailableError || error instanceof NoEditorActionError) {
        this.logger.warn(`no appUrl: ${error.message}`);
        return undefined;
      }
      throw error;
    }
  }
}

/** COLLABORATION_WOPI_SRC without a trailing slash. */
export function wopiBase(config: AppConfig): string {
  return config.wopi.src.replace(/\/+$/, '');
}
