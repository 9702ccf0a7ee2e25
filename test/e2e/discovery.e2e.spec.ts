import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EditorUrlService } from '../../src/discovery/editor-url.service';
import { CLI, run } from '../support/processes';
import { tempDir } from '../support/temp';
import { startTestServer, type TestServer } from '../support/test-server';
import { EditorSimulator, type SimulatedProduct } from '../support/wopi-client';

const CHROMIUM = [
  process.env['CHROMIUM_BIN'],
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
].find((path): path is string => path !== undefined && existsSync(path));

const PRODUCT_SETTING: Record<SimulatedProduct, string> = {
  Collabora: 'Collabora',
  OnlyOffice: 'OnlyOffice',
  Microsoft: 'Microsoft365',
};

interface Readiness {
  status: string;
  details?: Record<string, { status: string; [key: string]: unknown }>;
}

describe('editors (discovery, readiness, editor URLs, the open page)', () => {
  const editors: EditorSimulator[] = [];
  let server: TestServer | undefined;
  const cleanups: (() => Promise<void>)[] = [];

  afterEach(async () => {
    await server?.dispose();
    server = undefined;
    for (const editor of editors.splice(0)) {
      await editor.close();
    }
    for (const cleanup of cleanups.splice(0)) {
      await cleanup();
    }
  });

  async function editor(
    product: SimulatedProduct,
    options: { signs?: boolean; down?: boolean } = {},
  ) {
    const started = await EditorSimulator.start({ product, ...options });
    editors.push(started);
    return started;
  }

  function appEnv(e: EditorSimulator, extra: Record<string, string> = {}): Record<string, string> {
    return {
      COLLABORATION_APP_NAME: e.product,
      COLLABORATION_APP_PRODUCT: PRODUCT_SETTING[e.product],
      COLLABORATION_APP_ADDR: e.url,
      ...extra,
    };
  }

  async function readiness(): Promise<{ code: number; body: Readiness }> {
    const response = await fetch(`${server!.debugUrl}/readyz`);
    const body = (await response.json()) as Readiness & { error?: Readiness['details'] };
    return {
      code: response.status,
      body: { status: body.status, details: body.details ?? body.error },
    };
  }

  /** Opens a file with the built CLI against the running server's root, secret and apps. */
  async function openWithCli(env: Record<string, string>, file = 'letter.docx') {
    await writeFile(join(server!.root, file), 'a letter');
    const result = await run(CLI, ['open', file, '--json'], {
      COLLABORATION_LOCAL_ROOT: server!.root,
      COLLABORATION_WOPI_SRC: server!.config.wopi.src,
      COLLABORATION_LOG_LEVEL: 'warn',
      ...env,
    });
    expect(result.code, result.stderr).toBe(0);
    return { opened: JSON.parse(result.stdout) as Record<string, unknown>, stderr: result.stderr };
  }

  it('should be ready once the app answers discovery, with proof keys disabled', async () => {
    const e = await editor('OnlyOffice');
    server = await startTestServer(appEnv(e, { COLLABORATION_APP_PROOF_DISABLE: 'true' }));
    const ready = await readiness();
    expect(ready.code).toBe(200);
    expect(ready.body.details?.['discovery:OnlyOffice']).toMatchObject({
      status: 'up',
      url: `${e.url}/hosting/discovery`,
      signs: true,
    });
  });

  it('should take a Collabora without proof-key as valid: ready, and it does not sign', async () => {
    const e = await editor('Collabora', { signs: false });
    server = await startTestServer(appEnv(e));
    const ready = await readiness();
    expect(ready.code).toBe(200);
    expect(ready.body.details?.['discovery:Collabora']).toMatchObject({
      status: 'up',
      signs: false,
    });
  });

  it('should not be ready while the editor is down at start, and recover without restart', async () => {
    const e = await editor('Collabora', { down: true });
    server = await startTestServer(appEnv(e));
    const down = await readiness();
    expect(down.code).toBe(503);
    expect(down.body.details?.['discovery:Collabora']).toMatchObject({ status: 'down' });
    expect(String(down.body.details?.['discovery:Collabora']?.['error'])).toMatch(/ECONNREFUSED/);
    await e.up();
    await vi.waitFor(
      async () => {
        expect((await readiness()).code).toBe(200);
      },
      { timeout: 15_000, interval: 250 },
    );
    expect(e.discoveryFetches).toBeGreaterThan(0);
  });

  it('should stay ready on the last good copy while the editor is briefly unreachable', async () => {
    const e = await editor('OnlyOffice');
    server = await startTestServer(appEnv(e, { COLLABORATION_APP_PROOF_DURATION: '1s' }));
    expect((await readiness()).code).toBe(200);
    await e.down();
    await vi.waitFor(
      async () => {
        const ready = await readiness();
        expect(ready.body.details?.['discovery:OnlyOffice']).toMatchObject({ status: 'degraded' });
        expect(ready.code).toBe(200);
      },
      { timeout: 15_000, interval: 250 },
    );
    const url = await server.app.get(EditorUrlService).appUrl('OnlyOffice', {
      fileName: 'letter.docx',
      mode: 'write',
      wopiSrc: `${server.config.wopi.src}/wopi/files/abc`,
    });
    expect(url.url.startsWith(`${e.url}/hosting/wopi/word/edit?`)).toBe(true);
    await e.up();
    await vi.waitFor(
      async () => {
        expect((await readiness()).body.details?.['discovery:OnlyOffice']).toMatchObject({
          status: 'up',
        });
      },
      { timeout: 15_000, interval: 250 },
    );
  });

  it('should serve several apps from one YAML list, each with its own readiness', async () => {
    const collabora = await editor('Collabora');
    const onlyOffice = await editor('OnlyOffice', { down: true });
    const temp = await tempDir();
    cleanups.push(temp.remove);
    const file = join(temp.dir, 'apps.yaml');
    await writeFile(
      file,
      `apps:\n  - name: Collabora\n    product: Collabora\n    addr: ${collabora.url}\n  - name: OnlyOffice\n    product: OnlyOffice\n    addr: ${onlyOffice.url}\n`,
    );
    server = await startTestServer({ COLLABORATION_CONFIG_FILE: file });
    const ready = await readiness();
    expect(ready.code).toBe(503);
    expect(ready.body.details?.['discovery:Collabora']).toMatchObject({ status: 'up' });
    expect(ready.body.details?.['discovery:OnlyOffice']).toMatchObject({ status: 'down' });
  });

  it.each(['Collabora', 'OnlyOffice', 'Microsoft'] as const)(
    'should print the %s editor URL from its discovery in the CLI open',
    async (product) => {
      const e = await editor(product);
      server = await startTestServer(appEnv(e));
      const { opened } = await openWithCli(appEnv(e));
      const appUrl = String(opened['appUrl']);
      expect(appUrl.startsWith(`${e.url}/`)).toBe(true);
      const url = new URL(appUrl);
      const wopiSrc = url.searchParams.get('WOPISrc') ?? url.searchParams.get('wopisrc');
      expect(wopiSrc).toBe(opened['wopiSrc']);
      expect(appUrl).not.toContain(String(opened['accessToken']));
      expect(opened['openUrl']).toBeUndefined();
    },
  );

  it('should print no appUrl and say why when the editor cannot open the file type', async () => {
    const e = await editor('OnlyOffice');
    server = await startTestServer(appEnv(e));
    const { opened, stderr } = await openWithCli(appEnv(e), 'notes.xyz');
    expect(opened['appUrl']).toBeUndefined();
    expect(stderr).toContain('cannot open .xyz files');
  });

  it('should refuse an --app that is not configured', async () => {
    const e = await editor('Collabora');
    server = await startTestServer(appEnv(e));
    await writeFile(join(server.root, 'letter.docx'), 'a letter');
    const result = await run(CLI, ['open', 'letter.docx', '--app', 'Nope'], {
      COLLABORATION_LOCAL_ROOT: server.root,
      ...appEnv(e),
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('no editor app named "Nope" is configured');
  });

  describe('the dev-mode open page', () => {
    it('should answer a page that posts the token to the editor, leaking nothing', async () => {
      const e = await editor('Collabora');
      const env = appEnv(e, { COLLABORATION_DEV_MODE: 'true' });
      server = await startTestServer(env);
      const { opened } = await openWithCli(env);
      expect(String(opened['openUrl'])).toBe(
        `${server.config.wopi.src}/open/${String(opened['fileId'])}?access_token=${String(opened['accessToken'])}`,
      );
      const response = await fetch(String(opened['openUrl']));
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/html');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('content-security-policy')).toMatch(/script-src 'nonce-/);
      const html = await response.text();
      expect(html).toContain(`action="${String(opened['appUrl']).replace(/&/g, '&#38;')}"`);
      expect(html).toContain(`name="access_token" value="${String(opened['accessToken'])}"`);
      expect(html).toContain(`name="access_token_ttl" value="${String(opened['accessTokenTtl'])}"`);
    });

    it('should refuse a bad token and not exist outside dev mode', async () => {
      const e = await editor('Collabora');
      server = await startTestServer(appEnv(e, { COLLABORATION_DEV_MODE: 'true' }));
      expect((await fetch(`${server.httpUrl}/open/abc?access_token=forged`)).status).toBe(401);
      expect((await fetch(`${server.httpUrl}/open/abc`)).status).toBe(401);
      await server.dispose();
      server = await startTestServer(appEnv(e));
      expect((await fetch(`${server.httpUrl}/open/abc?access_token=x`)).status).toBe(404);
    });

    it.skipIf(CHROMIUM === undefined)(
      'should make a real browser post the form into the editor',
      async () => {
        const e = await editor('OnlyOffice');
        const env = appEnv(e, { COLLABORATION_DEV_MODE: 'true' });
        server = await startTestServer(env);
        const { opened } = await openWithCli(env);
        const { chromium } = await import('playwright-core');
        const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
        try {
          const page = await browser.newPage();
          await page.goto(String(opened['openUrl']));
          await vi.waitFor(() => {
            expect(e.forms).toHaveLength(1);
          });
        } finally {
          await browser.close();
        }
        const appUrl = new URL(String(opened['appUrl']));
        expect(e.forms[0]?.url).toBe(`${appUrl.pathname}${appUrl.search}`);
        expect(e.forms[0]?.fields).toEqual({
          access_token: opened['accessToken'],
          access_token_ttl: String(opened['accessTokenTtl']),
        });
      },
    );
  });
});
