import { Injectable } from '@nestjs/common';
import { extensionOf } from '../common/mime';
import { AppConfig } from '../config/app-config';
import {
  CoopsAddressService,
  isCoopsFile,
  type CoopsLinks,
} from '../coops/address/coops-address.service';
import { NoEditorActionError } from '../discovery/discovery.errors';
import { EditorUrlService } from '../discovery/editor-url.service';
import type { ResourceId, StorageUser } from '../storage/storage.types';
import { AccessTokenService } from '../tokens/access-token.service';
import type { MintedToken, ViewMode } from '../tokens/access-token.types';

/** The file being opened: its resource id and its name (the extension picks the editor action). */
export interface OpenTarget {
  resourceId: ResourceId;
  name: string;
}

/** Who opens it, how, with which app, and until when (epoch ms). */
export interface OpenGrant {
  user: StorageUser;
  mode: ViewMode;
  /** A configured app name (validated by the caller). */
  app?: string;
  revaToken?: string;
  viewOnlyToken?: string;
  /** New-from-template: the template the empty target is filled from (TemplateSource). */
  templateId?: ResourceId;
  expiresAt: number;
}

export interface OpenedFile {
  minted: MintedToken;
  /** `{COLLABORATION_WOPI_SRC}/wopi/files/{fileId}`. */
  wopiSrc: string;
  /** CoOPS addresses, for text files. */
  coops?: CoopsLinks;
}

/**
 * Opening a file for an editor, shared by OpenInApp (gRPC) and the CLI's `open`: mints the access
 * token (reva token sealed inside, one session id per open) and builds WOPISrc, the editor URL and
 * the CoOPS addresses. Callers decide who the user is and when the token expires.
 */
@Injectable()
export class FileOpenerService {
  constructor(
    private readonly config: AppConfig,
    private readonly tokens: AccessTokenService,
    private readonly editors: EditorUrlService,
    private readonly coops: CoopsAddressService,
  ) {}

  /** The app a request means: the named one (validated), else the first configured app. */
  appName(requested?: string): string | undefined {
    return this.config.apps.length > 0 ? this.editors.appName(requested) : requested;
  }

  async open(target: OpenTarget, grant: OpenGrant): Promise<OpenedFile> {
    const minted = await this.tokens.mint(
      {
        resourceId: target.resourceId,
        user: grant.user,
        mode: grant.mode,
        sessionId: AccessTokenService.newSessionId(),
        ...(grant.app ? { app: grant.app } : {}),
        ...(grant.revaToken ? { revaToken: grant.revaToken } : {}),
        ...(grant.viewOnlyToken ? { viewOnlyToken: grant.viewOnlyToken } : {}),
        ...(grant.templateId ? { templateId: grant.templateId } : {}),
      },
      grant.expiresAt,
    );
    return {
      minted,
      wopiSrc: `${wopiBase(this.config)}/wopi/files/${minted.fileId}`,
      ...(isCoopsFile(target.name)
        ? { coops: this.coops.links(minted.token, minted.fileId, target.name) }
        : {}),
    };
  }

  /**
   * Where the browser goes to edit: the editor URL from the app's discovery (POST the token to it),
   * or, for a CoOPS app, the built-in editor page (GET; the address carries the capability).
   * Throws EditorUnavailableError / NoEditorActionError / UnknownAppError.
   */
  async editorUrl(
    app: string,
    target: OpenTarget,
    opened: OpenedFile,
    options: { mode: ViewMode; lang?: string },
  ): Promise<{ url: string; method: 'POST' | 'GET' }> {
    const settings = this.config.apps.find((a) => a.name === app);
    if (settings?.product === 'CoOPS') {
      const url = opened.coops?.editorUrl ?? opened.coops?.coopsUrl;
      if (url === undefined) {
        throw new NoEditorActionError(app, extensionOf(target.name));
      }
      return { url, method: 'GET' };
    }
    const { url } = await this.editors.appUrl(app, {
      fileName: target.name,
      mode: options.mode,
      wopiSrc: opened.wopiSrc,
      ...(options.lang ? { lang: options.lang } : {}),
    });
    return { url, method: 'POST' };
  }
}

/** COLLABORATION_WOPI_SRC without a trailing slash. */
export function wopiBase(config: AppConfig): string {
  return config.wopi.src.replace(/\/+$/, '');
}
