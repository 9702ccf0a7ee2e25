import { Controller, Get, HttpCode, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { BadRequestError, NotImplementedError } from '../common/errors/app-error';
import type { Download } from '../storage/storage-gateway.port';
import { WopiContentsService } from './contents/wopi-contents.service';
import { headerOf } from './http/headers';
import { WOPI_FILE_GUARDS, WOPI_TEMPLATE_GUARDS, WopiEndpointKind } from './wopi-auth.guard';
import { WopiExceptionFilter } from './wopi-exception.filter';
import { verifiedContextOf } from './wopi-request-context';

/** Streams a file to the client with its length and version. */
function sendFile(request: FastifyRequest, reply: FastifyReply, download: Download): void {
  // The client may hang up as soon as it has Content-Length bytes, before the stream's end and the
  // response's 'finish': the body counts as sent once every announced byte went out.
  const context = verifiedContextOf(request.raw);
  const size = download.info.size;
  let sent = 0;
  context.bodySent = size === 0;
  download.body.on('data', (chunk: Buffer | string) => {
    sent += chunk.length;
    context.bodySent = sent >= size;
  });
  void reply
    .header('Content-Type', 'application/octet-stream')
    .header('Content-Length', String(download.info.size))
    .header('X-WOPI-ItemVersion', download.info.version)
    .send(download.body);
}

/** `/wopi/files/{id}/contents`: GetFile and PutFile. */
@Controller('wopi/files')
@UseGuards(...WOPI_FILE_GUARDS)
@UseFilters(WopiExceptionFilter)
export class WopiContentsController {
  constructor(private readonly contents: WopiContentsService) {}

  @Get(':fileId/contents')
  @WopiEndpointKind('contents')
  async getFile(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const download = await this.contents.getFile(
      verifiedContextOf(request.raw),
      headerOf(request.headers, 'x-wopi-maxexpectedsize'),
    );
    sendFile(request, reply, download);
  }

  @Post(':fileId/contents')
  @HttpCode(200)
  @WopiEndpointKind('contents')
  async putFile(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ LastModifiedTime: string }> {
    const context = verifiedContextOf(request.raw);
    if (context.operation !== 'PutFile') {
      const override = headerOf(request.headers, 'x-wopi-override');
      if (override === undefined || override.trim() === '') {
        throw new BadRequestError('X-WOPI-Override: PUT is required');
      }
      throw new NotImplementedError(`X-WOPI-Override ${override} is not supported on contents`);
    }
    const saved = await this.contents.putFile(context, request.raw);
    void reply.header('X-WOPI-ItemVersion', saved.version);
    return { LastModifiedTime: saved.lastModifiedTime };
  }
}

/** `/wopi/templates/{templateId}`: the template of a new document (no proof keys, as in oCIS). */
@Controller('wopi/templates')
@UseGuards(...WOPI_TEMPLATE_GUARDS)
@UseFilters(WopiExceptionFilter)
export class WopiTemplatesController {
  constructor(private readonly contents: WopiContentsService) {}

  @Get(':fileId')
  @WopiEndpointKind('template')
  async getTemplate(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    sendFile(request, reply, await this.contents.getTemplate(verifiedContextOf(request.raw)));
  }
}
