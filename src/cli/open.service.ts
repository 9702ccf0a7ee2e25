import { Injectable, Logger } from '@nestjs/common';
import { FileOpenerService, wopiBase, type OpenedFile } from '../app-provider/file-opener.service';
import { BadRequestError } from '../common/errors/app-error';
import { AppConfig } from '../config/app-config';
import { EditorUnavailableError, NoEditorActionError } from '../discovery/discovery.errors';
import { LocalStorageGateway } from '../storage/local/local-storage-gateway.adapter';
import { StorageGateway } from '../storage/storage-gateway.port';
import {
  tokenOnlyCredentials,
  type FileInfo,
  type FileRef,
  type StorageUser,
} from '../storage/storage.types';
import type { ViewMode } from '../tokens/access-token.types';
import { formatResourceId, parseResourceId } from '../tokens/resource-id';
import { revaTokenExpiry } from '../tokens/reva-token';

export interface OpenRequest {
  /** Local: a path under the root. CS3: a resource id (storage$space!opaque) or an absolute path. */
  path: string;
  mode: ViewMode;
  userId?: string;
  displayName?: string;
  app?: string;
  /** CS3: the reva token of the user who opens the file. */
  revaToken?: string;
  /** CS3: the view-only token for view mode (oCIS's gateway mints one for OpenInApp). */
  viewOnlyToken?: string;
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

/**
 * Opens a file for an editor without oCIS's web UI: mints its access token and builds its URLs.
 * Local storage: a file of the local root. CS3 storage: a file the reva token can see, with the
 * token minted the way OpenInApp mints it (user from WhoAmI, reva token sealed inside, expiry =
 * the reva token's).
 */
@Injectable()
export class OpenService {
  private readonly logger = new Logger(OpenService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly storage: StorageGateway,
    private readonly opener: FileOpenerService,
  ) {}

  async open(request: OpenRequest): Promise<OpenResult> {
    if (this.storage instanceof LocalStorageGateway) {
      return this.openLocal(this.storage, request);
    }
    if (this.storage.driver === 'cs3') {
      return this.openCs3(request);
    }
    throw new BadRequestError(`open does not support the ${this.storage.driver} storage`);
  }

  private async openLocal(storage: LocalStorageGateway, request: OpenRequest): Promise<OpenResult> {
    const info = checkFile(
      await storage.statPath(storage.root.fromUserPath(request.path)),
      request,
    );
    const userId = request.userId ?? this.config.storage.localOwner;
    const user: StorageUser = {
      id: { idp: 'local', opaqueId: userId, type: 'primary' },
      username: userId,
      displayName: request.displayName ?? userId,
      isGuest: false,
    };
    const minted = await this.mint(info, user, request, Date.now() + this.config.wopi.tokenTtl);
    return this.result(minted, info, user, request);
  }

  private async openCs3(request: OpenRequest): Promise<OpenResult> {
    const token = request.revaToken;
    if (token === undefined || token === '') {
      throw new BadRequestError(
        'open on the CS3 storage needs the reva token of the user: --reva-token or COLLABORATION_REVA_TOKEN',
      );
    }
    const ref = cs3Ref(request.path);
    const user = await this.storage.whoAmI(tokenOnlyCredentials(token));
    const info = checkFile(await this.storage.stat(ref, { user, token }), request);
    const expiresAt = revaTokenExpiry(token) ?? Date.now() + this.config.wopi.tokenTtl;
    const minted = await this.mint(info, user, request, expiresAt, token);
    return {
      ...(await this.result(minted, info, user, request)),
      resourceId: formatResourceId(info.resourceId),
    };
  }

  private async mint(
    info: FileInfo,
    user: StorageUser,
    request: OpenRequest,
    expiresAt: number,
    revaToken?: string,
  ): Promise<OpenedFile> {
    const app = this.opener.appName(request.app);
    return this.opener.open(
      { resourceId: info.resourceId, name: info.name },
      {
        user,
        mode: request.mode,
        expiresAt,
        ...(app ? { app } : {}),
        ...(revaToken ? { revaToken } : {}),
        ...(request.viewOnlyToken ? { viewOnlyToken: request.viewOnlyToken } : {}),
      },
    );
  }

  private async result(
    opened: OpenedFile,
    info: FileInfo,
    user: StorageUser,
    request: OpenRequest,
  ): Promise<OpenResult> {
    const { minted, wopiSrc } = opened;
    const app = this.opener.appName(request.app);
    const appUrl = app === undefined ? undefined : await this.appUrl(app, info, opened, request);
    return {
      fileId: minted.fileId,
      wopiSrc,
      accessToken: minted.token,
      accessTokenTtl: minted.expiresAt,
      path: info.path,
      mode: request.mode,
      userId: user.id.opaqueId,
      ...(app !== undefined ? { app } : {}),
      ...(appUrl !== undefined ? { appUrl } : {}),
      ...(appUrl !== undefined && this.config.dev.enabled
        ? { openUrl: `${wopiBase(this.config)}/open/${minted.fileId}?access_token=${minted.token}` }
        : {}),
      ...(opened.coops ?? {}),
    };
  }

  /** The editor URL, or undefined (with a warning on stderr) when the app cannot give one now. */
  private async appUrl(
    app: string,
    info: FileInfo,
    opened: OpenedFile,
    request: OpenRequest,
  ): Promise<string | undefined> {
    if (this.config.apps.length === 0) {
      return undefined;
    }
    try {
      return (
        await this.opener.editorUrl(app, { resourceId: info.resourceId, name: info.name }, opened, {
          mode: request.mode,
        })
      ).url;
    } catch (error) {
      if (error instanceof EditorUnavailableError || error instanceof NoEditorActionError) {
        this.logger.warn(`no appUrl: ${error.message}`);
        return undefined;
      }
      throw error;
    }
  }
}

function checkFile(info: FileInfo, request: OpenRequest): FileInfo {
  if (info.type !== 'file') {
    throw new BadRequestError(`${request.path} is a folder`);
  }
  return info;
}

/** A resource id (storage$space!opaque) or an absolute path, as the CS3 gateway takes them. */
function cs3Ref(target: string): FileRef {
  if (target.startsWith('/')) {
    return { resourceId: { storageId: '', spaceId: '', opaqueId: '' }, path: target };
  }
  const resourceId = target.includes('!') ? parseResourceId(target) : undefined;
  if (!resourceId) {
    throw new BadRequestError(
      `${target} is neither a resource id (storage$space!opaque) nor an absolute path`,
    );
  }
  return { resourceId };
}
