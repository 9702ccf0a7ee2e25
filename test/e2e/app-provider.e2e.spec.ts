import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_PROVIDER_SERVICE, cs3Method } from '../../src/cs3/proto/cs3-proto';
import type * as cs3 from '../../src/cs3/proto/cs3.messages';
import { formatResourceId, wopiFileId } from '../../src/tokens/resource-id';
import { revaTokenExpiry } from '../../src/tokens/reva-token';
import {
  appProviderFixture,
  gatewayOpenRequest,
  type AppProviderFixture,
} from '../support/app-provider';
import { eventually } from '../support/eventually';

const MODES: [cs3.AppViewMode, boolean][] = [
  ['VIEW_MODE_VIEW_ONLY', false],
  ['VIEW_MODE_READ_ONLY', false],
  ['VIEW_MODE_READ_WRITE', true],
];

/** The WOPISrc query parameter (products spell it WOPISrc or wopisrc). */
function wopiSrcOf(url: URL): string | undefined {
  return [...url.searchParams].find(([key]) => key.toLowerCase() === 'wopisrc')?.[1];
}

/** Calls an app's OpenInApp listener directly, as the gateway does. */
function callProvider(
  addr: string,
  request: cs3.OpenInAppRequest,
  metadata = new grpc.Metadata(),
): Promise<cs3.OpenInAppResponse> {
  const client = new grpc.Client(addr, grpc.credentials.createInsecure());
  const method = cs3Method(APP_PROVIDER_SERVICE, 'OpenInApp');
  return new Promise<cs3.OpenInAppResponse>((resolve, reject) => {
    client.makeUnaryRequest(
      method.path,
      method.requestSerialize,
      method.responseDeserialize,
      request,
      metadata,
      { deadline: Date.now() + 10_000 },
      (error, response) => {
        client.close();
        if (error) {
          reject(error);
        } else {
          resolve(response as cs3.OpenInAppResponse);
        }
      },
    );
  });
}

describe('CS3 app provider (OpenInApp, AddAppProvider)', () => {
  let f: AppProviderFixture;

  beforeAll(async () => {
    f = await appProviderFixture();
    expect(
      await eventually(
        () => f.double.appProviders.length,
        (n) => n === f.apps.length,
      ),
    ).toBe(f.apps.length);
  });

  afterAll(async () => {
    await f.dispose();
  });

  it('should register every app with the gateway under its own name, with its MIME types, address and product', () => {
    const byName = new Map(f.double.appProviders.map((p) => [p.name, p]));
    for (const app of f.apps) {
      const provider = byName.get(app.name);
      expect(provider).toMatchObject({
        name: app.name,
        description: 'Open office documents',
        icon: 'image-edit',
        address: app.grpcAddr,
        product_name: app.product,
      });
    }
    expect(byName.get('Collabora')?.mime_types).toContain(
      'application/vnd.oasis.opendocument.text',
    );
    expect(byName.get('OnlyOffice')?.mime_types).toContain(
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    );
    expect(byName.get('CoOPS')?.mime_types).toEqual(['text/html', 'text/markdown', 'text/plain']);
    expect(byName.get('Collabora')?.mime_types).not.toContain('application/octet-stream');
  });

  for (const name of ['Collabora', 'OnlyOffice', 'Office365']) {
    for (const [mode, canWrite] of MODES) {
      it(`should open a document in ${name} (${mode}) with a URL and form parameters the WOPI endpoints accept`, async () => {
        const app = f.apps.find((a) => a.name === name);
        const editor = app?.editor;
        if (!editor) {
          throw new Error(`no editor for ${name}`);
        }
        const id = await f.double.createFile(`/Documents/${name}-${mode}.docx`, 'hello');
        const token = f.double.mintToken(f.double.owner, { ttlSeconds: 900 });
        const response = await f.openInApp(
          gatewayOpenRequest(id, name, mode, { lang: 'de' }),
          token,
        );
        expect(response.status?.code).toBe('CODE_OK');
        const appUrl = response.app_url;
        expect(appUrl?.method).toBe('POST');
        expect(Object.keys(appUrl?.form_parameters ?? {}).sort()).toEqual([
          'access_token',
          'access_token_ttl',
        ]);
        expect(appUrl?.form_parameters?.['access_token_ttl']).toBe(String(revaTokenExpiry(token)));
        const url = new URL(appUrl?.app_url ?? '');
        expect(url.origin).toBe(editor.url);
        const wopiSrc = wopiSrcOf(url);
        expect(wopiSrc).toBe(`${f.server.config.wopi.src}/wopi/files/${wopiFileId(id)}`);
        expect(appUrl?.app_url).toMatch(name === 'Collabora' ? /[?&]lang=de/ : /=de-DE/);
        const accessToken = appUrl?.form_parameters?.['access_token'] ?? '';
        const info = await editor.client().send({ wopiSrc: wopiSrc ?? '', token: accessToken });
        expect(info.status).toBe(200);
        const body = (await info.json()) as Record<string, unknown>;
        expect(body['BaseFileName']).toBe(`${name}-${mode}.docx`);
        expect(body['UserCanWrite'] === true).toBe(canWrite);
        if (mode === 'VIEW_MODE_VIEW_ONLY') {
          expect(body['DisableCopy'] ?? body['CopyPasteRestrictions']).toBeTruthy();
        }
      });
    }
  }

  it('should open a text file in the CoOPS app with its built-in editor address (GET)', async () => {
    const id = await f.double.createFile('/Documents/notes.md', '# hi');
    const response = await f.openInApp(
      gatewayOpenRequest(id, 'CoOPS', 'VIEW_MODE_READ_WRITE'),
      f.double.mintToken(),
    );
    expect(response.status?.code).toBe('CODE_OK');
    expect(response.app_url?.method).toBe('GET');
    expect(response.app_url?.form_parameters ?? {}).toEqual({});
    const url = response.app_url?.app_url ?? '';
    expect(url).toMatch(
      new RegExp(`^${f.server.config.wopi.src}/coops/${wopiFileId(id)}/[^/]+/editor$`),
    );
    const page = await fetch(url);
    expect(page.status).toBe(200);
  });

  it('should create a document from a template: TemplateSource in CheckFileInfo serves the template', async () => {
    const template = await f.double.createFile('/Templates/letter.ott', 'template bytes');
    const target = await f.double.createFile('/Documents/new-letter.odt', '');
    const token = f.double.mintToken();
    const response = await f.openInApp(
      gatewayOpenRequest(target, 'Collabora', 'VIEW_MODE_READ_WRITE', {
        template: formatResourceId(template),
      }),
      token,
    );
    expect(response.status?.code).toBe('CODE_OK');
    const editor = f.apps.find((a) => a.name === 'Collabora')?.editor;
    const wopiSrc = wopiSrcOf(new URL(response.app_url?.app_url ?? '')) ?? '';
    const accessToken = response.app_url?.form_parameters?.['access_token'] ?? '';
    const info = (await (
      await editor?.client().send({ wopiSrc, token: accessToken })
    )?.json()) as Record<string, unknown>;
    const source = String(info['TemplateSource']);
    expect(source).toContain(`/wopi/templates/${wopiFileId(template)}?access_token=`);
    const fetched = await fetch(source);
    expect(fetched.status).toBe(200);
    expect(await fetched.text()).toBe('template bytes');
  });

  it('should answer CS3 status codes for bad requests: no token, a bad template, an invalid view mode', async () => {
    const id = await f.double.createFile('/Documents/errors.docx', 'x');
    const info = {
      id: { storage_id: id.storageId, space_id: id.spaceId, opaque_id: id.opaqueId },
      path: '/Documents/errors.docx',
    };
    const addr = f.apps[0]?.grpcAddr ?? '';
    const noToken = await callProvider(addr, {
      resource_info: info,
      view_mode: 'VIEW_MODE_READ_WRITE',
    });
    expect(noToken.status?.code).toBe('CODE_UNAUTHENTICATED');
    expect(noToken.app_url).toBeUndefined();
    const badTemplate = await f.openInApp(
      gatewayOpenRequest(id, 'Collabora', 'VIEW_MODE_READ_WRITE', { template: 'nonsense' }),
      f.double.mintToken(),
    );
    expect(badTemplate.status?.code).toBe('CODE_INVALID_ARGUMENT');
    const invalidMode = await callProvider(addr, {
      resource_info: info,
      view_mode: 'VIEW_MODE_INVALID',
      access_token: f.double.mintToken(),
    });
    expect(invalidMode.status?.code).toBe('CODE_INVALID_ARGUMENT');
    const metadata = new grpc.Metadata();
    metadata.set('x-access-token', f.double.mintToken());
    const viaMetadata = await callProvider(
      addr,
      { resource_info: info, view_mode: 'VIEW_MODE_READ_ONLY' },
      metadata,
    );
    expect(viaMetadata.status?.code).toBe('CODE_OK');
  });
});

describe('CS3 app provider registration after a gateway restart', () => {
  it('should register every app again as soon as a restarted gateway is back', async () => {
    const f = await appProviderFixture(['Collabora', 'OnlyOffice'], {
      COLLABORATION_APP_REGISTRATION_INTERVAL: '10m',
    });
    try {
      expect(
        await eventually(
          () => f.double.appProviders.length,
          (n) => n === 2,
        ),
      ).toBe(2);
      const before = f.double.callsOf('AddAppProvider').length;
      await f.double.stop();
      f.double.appProviders.length = 0;
      await f.double.restart();
      expect(
        await eventually(
          () => f.double.appProviders.length,
          (n) => n === 2,
          15_000,
        ),
      ).toBe(2);
      expect(f.double.callsOf('AddAppProvider').length).toBeGreaterThan(before);
      expect(f.double.appProviders.map((p) => p.name).sort()).toEqual(['Collabora', 'OnlyOffice']);
    } finally {
      await f.dispose();
    }
  });
});
