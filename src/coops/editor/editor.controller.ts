import { Controller, Get, Param, Res, UseFilters } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { NotFoundError } from '../../common/errors/app-error';
import { extensionOf } from '../../common/mime';
import { AppConfig } from '../../config/app-config';
import { CoopsService, type CoopsAddress } from '../coops.service';
import { CoopsExceptionFilter } from '../http/coops-exception.filter';
import { editorAsset } from './editor-assets';
import { renderEditorPage } from './editor-page';

/** The built-in collaborative editor: `{CoOPS address}/editor` and its assets. */
@Controller('coops')
@UseFilters(CoopsExceptionFilter)
export class EditorController {
  constructor(
    private readonly coops: CoopsService,
    private readonly config: AppConfig,
  ) {}

  @Get('_editor/:asset')
  asset(@Param('asset') name: string, @Res() reply: FastifyReply): void {
    const asset = editorAsset(name);
    if (!asset) {
      throw new NotFoundError(`no editor asset ${name}`);
    }
    void reply
      .header('content-type', asset.contentType)
      .header('cache-control', 'public, max-age=3600')
      .header('x-content-type-options', 'nosniff')
      .send(asset.body);
  }

  @Get(':fileId/:capability/editor')
  async page(@Param() at: CoopsAddress, @Res() reply: FastifyReply): Promise<void> {
    const { token, doc } = await this.coops.access(at);
    const extension = extensionOf(doc.name);
    const origin = new URL(this.config.wopi.src);
    const sockets = `ws://${origin.host} wss://${origin.host}`;
    void reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('referrer-policy', 'no-referrer')
      .header('x-content-type-options', 'nosniff')
      .header(
        'content-security-policy',
        `default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self' ${sockets}; frame-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'`,
      )
      .send(
        renderEditorPage({
          name: doc.name,
          readOnly: token.mode !== 'write',
          preview: extension === 'html' || extension === 'htm' ? 'html' : 'none',
        }),
      );
  }
}
