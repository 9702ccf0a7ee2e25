import { Injectable, Logger } from '@nestjs/common';
import { NotFoundError } from '../../common/errors/app-error';
import { AppConfig } from '../../config/app-config';
import { StorageGateway } from '../../storage/storage-gateway.port';
import type { FileInfo } from '../../storage/storage.types';
import type { VerifiedToken } from '../../tokens/access-token.types';
import { wopiFileId } from '../../tokens/resource-id';
import { recordedFile } from '../recorded-file';
import { UserInfoStore } from '../user-info/user-info-store.port';
import { WopiApps } from '../wopi-apps';
import { storageCredentials } from '../wopi-credentials';
import type { WopiRequestContext } from '../wopi-request-context';
import { checkFileInfoFacts } from './file-info-facts';
import {
  CHECK_FILE_INFO_FLAVOURS,
  FLAVOURS_WITH_USER_INFO,
  type CheckFileInfoBody,
} from './flavours';
import { hostUrls } from './host-urls';

/** CheckFileInfo: one stat, then the properties of the token's editor flavour. */
@Injectable()
export class CheckFileInfoService {
  private readonly logger = new Logger(CheckFileInfoService.name);

  constructor(
    private readonly storage: StorageGateway,
    private readonly apps: WopiApps,
    private readonly config: AppConfig,
    private readonly userInfo: UserInfoStore,
  ) {}

  async checkFileInfo(
    context: WopiRequestContext & { token: VerifiedToken },
  ): Promise<CheckFileInfoBody> {
    const { token } = context;
    const info = await this.storage.stat(
      { resourceId: token.resourceId },
      storageCredentials(token, 'read'),
    );
    if (info.type !== 'file') {
      throw new NotFoundError('not a file');
    }
    context.details.file = recordedFile(info, context.fileId);
    const flavour = this.apps.flavourOf(token.app);
    const facts = checkFileInfoFacts({
      info,
      token,
      urls: hostUrls(this.config.wopi.ocisUrl, this.apps.webAppName(token.app), info),
      templateSource: this.templateSource(token, context.accessToken, info),
      userInfo: FLAVOURS_WITH_USER_INFO.has(flavour)
        ? await this.storedUserInfo(token, context.requestId)
        : undefined,
      licenseCheck: this.apps.appOf(token.app)?.licenseCheck ?? false,
    });
    return CHECK_FILE_INFO_FLAVOURS[flavour](facts);
  }

  /** New documents from a template: an empty target and a template in the token. */
  private templateSource(
    token: VerifiedToken,
    accessToken: string | undefined,
    info: FileInfo,
  ): string | undefined {
    if (token.templateId === undefined || info.size !== 0 || accessToken === undefined) {
      return undefined;
    }
    return `${this.apps.wopiBase}/wopi/templates/${wopiFileId(token.templateId)}?access_token=${encodeURIComponent(accessToken)}`;
  }

  /** The user's stored info; a store that fails is logged and CheckFileInfo goes on without it. */
  private async storedUserInfo(
    token: VerifiedToken,
    requestId: string | undefined,
  ): Promise<string | undefined> {
    try {
      return await this.userInfo.get(token.user.id);
    } catch (error) {
      this.logger.warn(
        { requestId, store: this.userInfo.kind, err: error },
        'user info not available; CheckFileInfo goes on without it',
      );
      return undefined;
    }
  }
}
