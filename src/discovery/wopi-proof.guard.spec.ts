import {
  type CanActivate,
  Controller,
  type ExecutionContext,
  Get,
  HttpCode,
  Injectable,
  type LoggerService,
  Module,
  Post,
  Req,
  UnauthorizedException,
  UseGuards,
} from '@nestjs/common';
import { APP_FILTER, NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { register } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../test/support/ports';
import { tempDir } from '../../test/support/temp';
import { EditorSimulator } from '../../test/support/wopi-client';
import { createHttpAdapter } from '../bootstrap/fastify';
import { HttpExceptionFilter } from '../common/errors/http-exception.filter';
import { loadConfig } from '../config/config.loader';
import { ConfigModule } from '../config/config.module';
import { HealthModule } from '../health/health.module';
import { MetricsModule } from '../metrics/metrics.module';
import { DiscoveryModule } from './discovery.module';
import { attachProofInput } from './proof-input';
import { WopiProofGuard } from './wopi-proof.guard';

/** What the test handlers saw: proof that a refused request never reached them. */
const handled: { route: string; body?: string }[] = [];

/** Plays the WOPI token guard: takes the query token as verified, the app from a test header. */
@Injectable()
class FakeTokenGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const token = (request.query as Record<string, string | undefined>)['access_token'];
    if (token === undefined) {
      throw new UnauthorizedException();
    }
    const app = request.headers['x-test-app'];
    attachProofInput(request, {
      accessToken: token,
      token: { app: typeof app === 'string' ? app : 'Office' },
    });
    return true;
  }
}

@Controller('wopi/files')
@UseGuards(FakeTokenGuard, WopiProofGuard)
class TestWopiController {
  @Get(':id')
  checkFileInfo(): { BaseFileName: string } {
    handled.push({ route: 'CheckFileInfo' });
    return { BaseFileName: 'letter.docx' };
  }

  @Post(':id/contents')
  @HttpCode(200)
  async putFile(@Req() request: FastifyRequest): Promise<Record<string, never>> {
    const chunks: Buffer[] = [];
    for await (const chunk of request.raw) {
      chunks.push(chunk as Buffer);
    }
    handled.push({ route: 'PutFile', body: Buffer.concat(chunks).toString('utf8') });
    return {};
  }
}

@Controller('unwired')
@UseGuards(WopiProofGuard)
class UnwiredController {
  @Get()
  get(): string {
    handled.push({ route: 'unwired' });
    return 'ok';
  }
}

class CapturingLogger implements LoggerService {
  readonly lines: { level: string; args: unknown[] }[] = [];
  log(...args: unknown[]): void {
    this.lines.push({ level: 'log', args });
  }
  warn(...args: unknown[]): void {
    this.lines.push({ level: 'warn', args });
  }
  error(...args: unknown[]): void {
    this.lines.push({ level: 'error', args });
  }
  text(): string {
    return JSON.stringify(this.lines);
  }
}

describe(WopiProofGuard.name, () => {
  const token = 'eyJhbGciOiJIUzI1NiJ9.eyJ0ZXN0IjoxfQ.c2ln';
  let editor: EditorSimulator;
  let app: NestFastifyApplication | undefined;
  let remove: (() => Promise<void>) | undefined;
  let logger: CapturingLogger;
  let base: string;

  beforeAll(async () => {
    editor = await EditorSimulator.start({ product: 'Microsoft' });
  });

  afterAll(async () => {
    await editor.close();
  });

  afterEach(async () => {
    await app?.close();
    await remove?.();
    app = undefined;
    handled.length = 0;
  });

  async function start(wopiSrc?: string): Promise<void> {
    const temp = await tempDir();
    remove = temp.remove;
    const port = await freePort();
    base = `http://127.0.0.1:${String(port)}`;
    const config = loadConfig({
      env: {
        COLLABORATION_LOCAL_ROOT: temp.dir,
        COLLABORATION_WOPI_SRC: wopiSrc ?? base,
        COLLABORATION_APP_NAME: 'Office',
        COLLABORATION_APP_PRODUCT: 'Microsoft365',
        COLLABORATION_APP_ADDR: editor.url,
      },
    });
    @Module({
      imports: [
        ConfigModule.forRoot(config),
        HealthModule,
        MetricsModule,
        DiscoveryModule.forRoot(config),
      ],
      controllers: [TestWopiController, UnwiredController],
      providers: [{ provide: APP_FILTER, useClass: HttpExceptionFilter }],
    })
    class TestModule {}
    logger = new CapturingLogger();
    app = await NestFactory.create<NestFastifyApplication>(TestModule, createHttpAdapter(), {
      bodyParser: false,
      logger,
    });
    await app.listen(port, '127.0.0.1');
  }

  const wopiSrc = () => `${base}/wopi/files/file-1`;

  it('should let a signed request through to the handler', async () => {
    await start();
    const response = await editor.client().send({ wopiSrc: wopiSrc(), token });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ BaseFileName: 'letter.docx' });
    expect(handled).toEqual([{ route: 'CheckFileInfo' }]);
  });

  it('should answer 500 to an unsigned request and log which check failed', async () => {
    await start();
    const response = await editor.client().send({ wopiSrc: wopiSrc(), token, signWith: false });
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ code: 'PROOF_INVALID' });
    expect(handled).toEqual([]);
    const warning = logger.lines.find(
      (line) =>
        line.level === 'warn' && JSON.stringify(line.args).includes('proof-key check failed'),
    );
    expect(JSON.stringify(warning?.args)).toContain('missing-timestamp');
    expect(logger.text()).not.toContain(token);
  });

  it('should refuse a wrongly signed PutFile before its body is read', async () => {
    await start();
    const stranger = await EditorSimulator.start({ product: 'Microsoft', down: true });
    const response = await editor.client().send({
      wopiSrc: wopiSrc(),
      token,
      path: '/contents',
      method: 'POST',
      headers: { 'X-WOPI-Override': 'PUT' },
      body: 'new content',
      signWith: stranger.keys.published(),
    });
    expect(response.status).toBe(500);
    expect(handled).toEqual([]);
    expect(logger.text()).toContain('signature-mismatch');
    const proofHeader = editor.client().prepare({ wopiSrc: wopiSrc(), token }).headers[
      'X-WOPI-Proof'
    ];
    expect(logger.text()).not.toContain(proofHeader);
  });

  it('should pass the body of a signed PutFile to the handler untouched', async () => {
    await start();
    const response = await editor.client().send({
      wopiSrc: wopiSrc(),
      token,
      path: '/contents',
      method: 'POST',
      headers: { 'X-WOPI-Override': 'PUT' },
      body: 'new content',
    });
    expect(response.status).toBe(200);
    expect(handled).toEqual([{ route: 'PutFile', body: 'new content' }]);
  });

  it('should refuse a token for an app that is not configured', async () => {
    await start();
    const response = await editor
      .client()
      .send({ wopiSrc: wopiSrc(), token, headers: { 'x-test-app': 'Other' } });
    expect(response.status).toBe(500);
    expect(logger.text()).toContain('unknown-app');
  });

  it('should fail closed when the token guard did not run before it', async () => {
    await start();
    const response = await fetch(`${base}/unwired?access_token=${token}`);
    expect(response.status).toBe(500);
    expect(handled).toEqual([]);
    expect(logger.text()).toContain('ran without the token guard');
  });

  it('should verify the URL on the public origin behind a reverse proxy', async () => {
    await start('https://wopi.example.com');
    const proxied = await editor.client().send({
      wopiSrc: 'https://wopi.example.com/wopi/files/file-1',
      token,
      connectTo: base,
    });
    expect(proxied.status).toBe(200);
    const signedInternally = await editor.client().send({ wopiSrc: wopiSrc(), token });
    expect(signedInternally.status).toBe(500);
  });

  it('should count checks by app and outcome', async () => {
    await start();
    await editor.client().send({ wopiSrc: wopiSrc(), token });
    await editor.client().send({ wopiSrc: wopiSrc(), token, signWith: false });
    const metrics = await register.getSingleMetricAsString('collaboration_wopi_proof_checks_total');
    expect(metrics).toMatch(
      /collaboration_wopi_proof_checks_total\{app="Office",outcome="verified"\} [1-9]/,
    );
    expect(metrics).toMatch(
      /collaboration_wopi_proof_checks_total\{app="Office",outcome="missing-timestamp"\} [1-9]/,
    );
  });
});
