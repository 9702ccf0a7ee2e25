import { Controller, Delete, Get, Patch, Post, Put, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';

function methodNotAllowed(reply: FastifyReply, allow: string): void {
  void reply
    .status(405)
    .header('Allow', allow)
    .header('content-type', 'application/json; charset=utf-8')
    .send(JSON.stringify({ code: 'METHOD_NOT_ALLOWED', message: `use ${allow}` }));
}

const FILES = 'files/:fileId';
const CONTENTS = 'files/:fileId/contents';
const TEMPLATES = 'templates/:fileId';

/** Methods WOPI does not use on its routes: 405 with Allow, before any token check. */
@Controller('wopi')
export class WopiMethodsController {
  /** oCIS answers GET /wopi with 418; some probes rely on it. */
  @Get()
  teapot(@Res() reply: FastifyReply): void {
    void reply.status(418).send("I'm a teapot");
  }

  @Put(FILES)
  putFiles(@Res() reply: FastifyReply): void {
    methodNotAllowed(reply, 'GET, POST');
  }

  @Delete(FILES)
  deleteFiles(@Res() reply: FastifyReply): void {
    methodNotAllowed(reply, 'GET, POST');
  }

  @Patch(FILES)
  patchFiles(@Res() reply: FastifyReply): void {
    methodNotAllowed(reply, 'GET, POST');
  }

  @Put(CONTENTS)
  putContents(@Res() reply: FastifyReply): void {
    methodNotAllowed(reply, 'GET, POST');
  }

  @Delete(CONTENTS)
  deleteContents(@Res() reply: FastifyReply): void {
    methodNotAllowed(reply, 'GET, POST');
  }

  @Patch(CONTENTS)
  patchContents(@Res() reply: FastifyReply): void {
    methodNotAllowed(reply, 'GET, POST');
  }

  @Post(TEMPLATES)
  postTemplates(@Res() reply: FastifyReply): void {
    methodNotAllowed(reply, 'GET');
  }

  @Put(TEMPLATES)
  putTemplates(@Res() reply: FastifyReply): void {
    methodNotAllowed(reply, 'GET');
  }

  @Delete(TEMPLATES)
  deleteTemplates(@Res() reply: FastifyReply): void {
    methodNotAllowed(reply, 'GET');
  }
}
