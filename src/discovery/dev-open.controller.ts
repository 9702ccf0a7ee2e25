import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { BadRequestError } from '../common/errors/app-error';
import { AppConfig } from '../config/app-config';
import { StorageGateway } from '../storage/storage-gateway.port';
import { AccessTokenService } from '../tokens/access-token.service';
import { EditorUrlService } from './editor-url.service';
import { renderOpenPage } from './open-page';

/**
 * Development only (COLLABORATION_DEV_MODE): `GET /open/{fileId}?access_token=…[&app=…][&lang=…]`
 * answers a page that POSTs the token into the editor, so a person with a running Collabora or
 * OnlyOffice can open a local file in it. The page takes the token the CLI `open` printed (its
 * `openUrl` is this URL); it mints nothing itself. The token must be valid for that file.
 */
@Controller('open')
export class DevOpenController {
  constructor(
    private readonly config: AppConfig,
    private readonly tokens: AccessTokenService,
    private readonly storage: StorageGateway,
    private readonly urls: EditorUrlService,
  ) {}

  @Get(':fileId')
  async open(
    @Param('fileId') fileId: string,
    @Query() query: Record<string, string | string[] | undefined>,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const accessToken = single(query['access_token']);
    const token = await this.tokens.verify(accessToken, fileId);
    const appName = this.urls.appName(single(query['app']) ?? token.app);
    if (appName === undefined) {
      throw new BadRequestError('no editor app is configured');
    }
    const info = await this.storage.stat(
      { resourceId: token.resourceId },
      { user: token.user, token: token.revaToken ?? token.viewOnlyToken },
    );
    const lang = single(query['lang']);
    const editor = await this.urls.appUrl(appName, {
      fileName: info.name,
      mode: token.mode,
      wopiSrc: `${this.config.wopi.src.replace(/\/+$/, '')}/wopi/files/${token.fileId}`,
      ...(lang !== undefined ? { lang } : {}),
    });
    const page = renderOpenPage({
      appUrl: editor.url,
      accessToken: accessToken ?? '',
      accessTokenTtl: token.expiresAt,
      fileName: info.name,
      appName,
    });
    await reply.headers(page.headers).status(200).send(page.html);
  }
}

function single(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first === '' ? undefined : first;
}
