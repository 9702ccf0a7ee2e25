import { Injectable, Logger } from '@nestjs/common';
import { BadRequestError, UnauthorizedError } from '../common/errors/app-error';
import { AppConfig } from '../config/app-config';
import { StorageGateway } from '../storage/storage-gateway.port';
import { type ResourceId, type StorageUser, tokenOnlyCredentials } from '../storage/storage.types';
import type { ViewMode } from '../tokens/access-token.types';
import { formatResourceId, parseResourceId } from '../tokens/resource-id';
import { revaTokenExpiry } from '../tokens/reva-token';
import { FileOpenerService } from './file-opener.service';

/** What the gateway asks an app provider, in domain terms. */
export interface OpenInAppCommand {
  /** The configured app the gateway addressed. */
  app: string;
  resourceId: ResourceId;
  /** File name (its extension picks the editor action). */
  name: string;
  mode: ViewMode;
  /** The user's reva token (OpenInAppRequest.access_token, or the x-access-token metadata). */
  revaToken?: string;
  /** Opaque `lang`, `viewOnlyToken`, `template` (a resource id: storage$space!opaque). */
  lang?: string;
  viewOnlyToken?: string;
  template?: string;
}

/** What oCIS web receives as `app_url`: it POSTs the form parameters to the URL (GET: opens it). */
export interface OpenInAppAnswer {
  appUrl: string;
  method: 'POST' | 'GET';
  formParameters: Record<string, string>;
  /** For logs and tests. */
  fileId: string;
}

/**
 * OpenInApp as oCIS's collaboration service answers it: the user from WhoAmI with the reva token,
 * a WOPI token around the sealed reva token that expires with it, the editor URL with WOPISrc (and
 * the language), and the form parameters `access_token` and `access_token_ttl` (epoch ms).
 */
@Injectable()
export class OpenInAppService {
  private readonly logger = new Logger(OpenInAppService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly storage: StorageGateway,
    private readonly opener: FileOpenerService,
  ) {}

  async open(command: OpenInAppCommand): Promise<OpenInAppAnswer> {
    const templateId = this.templateOf(command.template);
    const { user, expiresAt } = await this.identify(command.revaToken);
    const target = { resourceId: command.resourceId, name: command.name };
    const opened = await this.opener.open(target, {
      user,
      mode: command.mode,
      app: command.app,
      expiresAt,
      ...(command.revaToken ? { revaToken: command.revaToken } : {}),
      ...(command.viewOnlyToken ? { viewOnlyToken: command.viewOnlyToken } : {}),
      ...(templateId ? { templateId } : {}),
    });
    const editor = await this.opener.editorUrl(command.app, target, opened, {
      mode: command.mode,
      ...(command.lang ? { lang: command.lang } : {}),
    });
    this.logger.log(
      {
        app: command.app,
        fileId: opened.minted.fileId,
        resourceId: formatResourceId(command.resourceId),
        mode: command.mode,
        user: user.username,
        template: templateId !== undefined,
      },
      'OpenInApp',
    );
    return {
      appUrl: editor.url,
      method: editor.method,
      formParameters:
        editor.method === 'POST'
          ? {
              access_token: opened.minted.token,
              access_token_ttl: String(opened.minted.expiresAt),
            }
          : {},
      fileId: opened.minted.fileId,
    };
  }

  /** CS3: WhoAmI with the reva token, expiry = the reva token's. Local: the local owner. */
  private async identify(
    revaToken: string | undefined,
  ): Promise<{ user: StorageUser; expiresAt: number }> {
    const fallbackExpiry = Date.now() + this.config.wopi.tokenTtl;
    if (this.storage.driver !== 'cs3') {
      const owner = this.config.storage.localOwner;
      return {
        user: {
          id: { idp: 'local', opaqueId: owner, type: 'primary' },
          username: owner,
          displayName: owner,
          isGuest: false,
        },
        expiresAt: fallbackExpiry,
      };
    }
    if (revaToken === undefined || revaToken === '') {
      throw new UnauthorizedError('OpenInApp without a reva token (access_token / x-access-token)');
    }
    const user = await this.storage.whoAmI(tokenOnlyCredentials(revaToken));
    return { user, expiresAt: revaTokenExpiry(revaToken) ?? fallbackExpiry };
  }

  private templateOf(template: string | undefined): ResourceId | undefined {
    if (template === undefined || template === '') {
      return undefined;
    }
    const id = parseResourceId(template);
    if (id === undefined || id.opaqueId === '') {
      throw new BadRequestError(`template ${JSON.stringify(template)} is not a resource id`);
    }
    return id;
  }
}
