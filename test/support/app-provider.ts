import * as grpc from '@grpc/grpc-js';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cs3Method, GATEWAY_SERVICE, plainEntry } from '../../src/cs3/proto/cs3-proto';
import type * as cs3 from '../../src/cs3/proto/cs3.messages';
import type { ResourceId } from '../../src/storage/storage.types';
import { startCs3Double, type Cs3Double } from './cs3-double';
import { cs3ServerEnv } from './cs3-storage';
import { freePort } from './ports';
import { tempDir } from './temp';
import { startTestServer, type TestServer } from './test-server';
import { EditorSimulator, type SimulatedProduct } from './wopi-client';

/** One app of the fixture: its name, product, editor simulator and OpenInApp listener. */
export interface FixtureApp {
  name: string;
  product: 'Collabora' | 'OnlyOffice' | 'Microsoft365' | 'CoOPS';
  editor?: EditorSimulator;
  grpcAddr: string;
}

export interface AppProviderFixture {
  double: Cs3Double;
  server: TestServer;
  apps: FixtureApp[];
  /** The gateway's OpenInApp (what oCIS web's /app/open calls), over real gRPC to the double. */
  openInApp(request: cs3.GatewayOpenInAppRequest, token: string): Promise<cs3.OpenInAppResponse>;
  dispose(): Promise<void>;
}

const SIMULATED: Record<Exclude<FixtureApp['product'], 'CoOPS'>, SimulatedProduct> = {
  Collabora: 'Collabora',
  OnlyOffice: 'OnlyOffice',
  Microsoft365: 'Microsoft',
};

/**
 * The service on the CS3 gateway double with several apps in one process (Collabora, OnlyOffice,
 * Microsoft 365 simulators with their discovery and proof keys, and a CoOPS app), each on its own
 * OpenInApp listener, registered with the double through AddAppProvider.
 */
export async function appProviderFixture(
  products: FixtureApp['product'][] = ['Collabora', 'OnlyOffice', 'Microsoft365', 'CoOPS'],
  env: Record<string, string> = {},
): Promise<AppProviderFixture> {
  const double = await startCs3Double();
  const apps: FixtureApp[] = [];
  for (const product of products) {
    apps.push({
      name: product === 'Microsoft365' ? 'Office365' : product,
      product,
      ...(product === 'CoOPS'
        ? {}
        : { editor: await EditorSimulator.start({ product: SIMULATED[product] }) }),
      grpcAddr: `127.0.0.1:${String(await freePort())}`,
    });
  }
  const config = await tempDir('app-provider-');
  const file = join(config.dir, 'apps.yaml');
  const yaml = apps
    .map(
      (app) =>
        `  - name: ${app.name}\n    product: ${app.product}\n    grpcAddr: ${app.grpcAddr}\n` +
        (app.editor ? `    addr: ${app.editor.url}\n` : ''),
    )
    .join('');
  await writeFile(file, `apps:\n${yaml}`);
  let server: TestServer;
  try {
    server = await startTestServer(
      cs3ServerEnv(double, {
        COLLABORATION_CONFIG_FILE: file,
        COLLABORATION_APP_REGISTRATION_INTERVAL: '2s',
        ...env,
      }),
    );
  } catch (error) {
    await double.dispose();
    throw error;
  }
  const client = new grpc.Client(double.gatewayAddr, grpc.credentials.createInsecure());
  return {
    double,
    server,
    apps,
    openInApp: (request, token) => {
      const method = cs3Method(GATEWAY_SERVICE, 'OpenInApp');
      const metadata = new grpc.Metadata();
      metadata.set('x-access-token', token);
      return new Promise((resolve, reject) => {
        client.makeUnaryRequest(
          method.path,
          method.requestSerialize,
          method.responseDeserialize,
          request,
          metadata,
          { deadline: Date.now() + 10_000 },
          (error, response) => {
            if (error) {
              reject(error);
            } else {
              resolve(response as cs3.OpenInAppResponse);
            }
          },
        );
      });
    },
    dispose: async () => {
      client.close();
      await server.dispose();
      await double.dispose();
      await Promise.all(apps.map((app) => app.editor?.close() ?? Promise.resolve()));
      await config.remove();
    },
  };
}

/** A gateway OpenInApp request for a resource, app and view mode, with opaque entries. */
export function gatewayOpenRequest(
  id: ResourceId,
  app: string,
  viewMode: cs3.AppViewMode,
  opaque: Record<string, string> = {},
): cs3.GatewayOpenInAppRequest {
  return {
    ref: {
      resource_id: { storage_id: id.storageId, space_id: id.spaceId, opaque_id: id.opaqueId },
    },
    app,
    view_mode: viewMode,
    opaque: {
      map: Object.fromEntries(Object.entries(opaque).map(([k, v]) => [k, plainEntry(v)])),
    },
  };
}
