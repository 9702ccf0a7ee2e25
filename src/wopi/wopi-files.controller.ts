import { Controller, Get, HttpCode, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { BadRequestError, NotImplementedError } from '../common/errors/app-error';
import { CheckFileInfoService } from './check-file-info/check-file-info.service';
import type { CheckFileInfoBody } from './check-file-info/flavours';
import { headerOf } from './http/headers';
import type { PutRelativeAnswer } from './overrides/put-relative.service';
import { WopiOverrides } from './overrides/wopi-overrides.service';
import { WOPI_FILE_GUARDS, WopiEndpointKind } from './wopi-auth.guard';
import { WopiExceptionFilter } from './wopi-exception.filter';
import { verifiedContextOf } from './wopi-request-context';

/** `/wopi/files/{id}`: CheckFileInfo, and the POST operations chosen by X-WOPI-Override. */
@Controller('wopi/files')
@UseGuards(...WOPI_FILE_GUARDS)
@UseFilters(WopiExceptionFilter)
export class WopiFilesController {
  constructor(
    private readonly checkFileInfoService: CheckFileInfoService,
    private readonly overrides: WopiOverrides,
  ) {}

  @Get(':fileId')
  @WopiEndpointKind('file')
  checkFileInfo(@Req() request: FastifyRequest): Promise<CheckFileInfoBody> {
    return this.checkFileInfoService.checkFileInfo(verifiedContextOf(request.raw));
  }

  @Post(':fileId')
  @HttpCode(200)
  @WopiEndpointKind('file')
  async override(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PutRelativeAnswer | { Name: string } | undefined> {
    const context = verifiedContextOf(request.raw);
    const { raw } = request;
    switch (context.operation) {
      case 'Lock':
      case 'UnlockAndRelock':
      case 'RefreshLock':
      case 'Unlock':
        void reply.header(
          'X-WOPI-ItemVersion',
          await this.overrides.lockOperation(context, raw.headers),
        );
        return undefined;
      case 'GetLock':
        void reply.header('X-WOPI-Lock', await this.overrides.getLock(context));
        return undefined;
      case 'PutRelativeFile':
        return this.overrides.putRelativeFile(context, raw);
      case 'RenameFile':
        return this.overrides.renameFile(context, raw.headers);
      case 'DeleteFile':
        await this.overrides.deleteFile(context, raw.headers);
        return undefined;
      case 'PutUserInfo':
        await this.overrides.putUserInfo(context, raw);
        return undefined;
      case 'CheckFileInfo':
      case 'GetFile':
      case 'PutFile':
      case 'GetTemplate':
      case 'Unknown': {
        const override = headerOf(raw.headers, 'x-wopi-override');
        if (override === undefined || override.trim() === '') {
          throw new BadRequestError('X-WOPI-Override is required');
        }
        throw new NotImplementedError(`X-WOPI-Override ${override} is not supported`);
      }
    }
  }
}
