import * as grpc from '@grpc/grpc-js';
import { decodeJwt } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Cs3GatewayClient } from '../../../src/cs3/cs3-gateway.client';
import { APP_PROVIDER_SERVICE, cs3Service, readPlain } from '../../../src/cs3/proto/cs3-proto';
import type * as cs3 from '../../../src/cs3/proto/cs3.messages';
import { cs3StorageFor, type Cs3Storage } from '../cs3-storage';
import { startCs3Double, type Cs3Double } from './index';

/** A stand-in for our app provider: answers OpenInApp and remembers what it got. */
async function fakeAppProvider(): Promise<{
  addr: string;
  received: cs3.OpenInAppRequest[];
  stop: () => void;
}> {
  const received: cs3.OpenInAppRequest[] = [];
  const server = new grpc.Server();
  server.addService(cs3Service(APP_PROVIDER_SERVICE), {
    OpenInApp: (
      call: grpc.ServerUnaryCall<cs3.OpenInAppRequest, cs3.OpenInAppResponse>,
      callback: grpc.sendUnaryData<cs3.OpenInAppResponse>,
    ) => {
      received.push(call.request);
      callback(null, {
        status: { code: 'CODE_OK' },
        app_url: {
          app_url: 'https://office.test/edit',
          method: 'POST',
          form_parameters: { access_token: 't' },
        },
      });
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) => {
      if (error) {
        reject(error);
      } else {
        resolve(bound);
      }
    });
  });
  return {
    addr: `127.0.0.1:${String(port)}`,
    received,
    stop: () => {
      server.forceShutdown();
    },
  };
}

describe('CS3 gateway double', () => {
  let double: Cs3Double;
  let adapter: Cs3Storage;
  let gateway: Cs3GatewayClient;

  beforeEach(async () => {
    double = await startCs3Double();
    adapter = cs3StorageFor(double);
    gateway = adapter.client;
  });

  afterEach(async () => {
    adapter.close();
    await double.dispose();
  });

  it('should mint reva-like tokens: HS256, exp, aud reva, the CS3 user as Go writes it', () => {
    const token = double.mintToken(
      { opaqueId: 'u-1', username: 'marie', displayName: 'Marie Curie' },
      { ttlSeconds: 60 },
    );
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({
      aud: ['reva'],
      iss: 'https://ocis.double.test',
      user: {
        id: { idp: 'https://ocis.double.test', opaque_id: 'u-1', type: 1 },
        username: 'marie',
        display_name: 'Marie Curie',
      },
    });
    expect(claims.exp).toBeGreaterThan(Date.now() / 1000 + 50);
    expect(claims.exp).toBeLessThanOrEqual(Date.now() / 1000 + 60);
  });

  it('should record AddAppProvider registrations, one per app name', async () => {
    const provider = { name: 'Collabora', address: '127.0.0.1:9301', mime_types: ['text/plain'] };
    await gateway.call('AddAppProvider', { provider });
    await gateway.call('AddAppProvider', { provider: { ...provider, address: '127.0.0.1:9999' } });
    expect(double.appProviders).toEqual([
      expect.objectContaining({ name: 'Collabora', address: '127.0.0.1:9999' }),
    ]);
    expect(double.callsOf('AddAppProvider').map((call) => call.outcome)).toEqual([
      'CODE_OK',
      'CODE_OK',
    ]);
  });

  it("should forward OpenInApp to the registered app's ProviderAPI, with a view-only token for VIEW_ONLY", async () => {
    const app = await fakeAppProvider();
    try {
      const id = await double.createFile('/docs/a.txt', 'x');
      await gateway.call('AddAppProvider', {
        provider: { name: 'Editor', address: app.addr, mime_types: ['text/plain'] },
      });
      const token = double.mintToken();
      const ref = {
        resource_id: { storage_id: id.storageId, space_id: id.spaceId, opaque_id: id.opaqueId },
      };
      const response = await gateway.call(
        'OpenInApp',
        { ref, view_mode: 'VIEW_MODE_VIEW_ONLY' },
        { token },
      );
      expect(response.app_url).toMatchObject({
        app_url: 'https://office.test/edit',
        method: 'POST',
      });
      const [request] = app.received;
      expect(request).toMatchObject({
        view_mode: 'VIEW_MODE_VIEW_ONLY',
        access_token: token,
        resource_info: {
          id: { opaque_id: id.opaqueId },
          path: '/docs/a.txt',
          mime_type: 'text/plain',
        },
      });
      expect(decodeJwt(readPlain(request?.opaque, 'viewOnlyToken') ?? '')).toMatchObject({
        role: 'viewer',
      });
      const none = await gateway.call('OpenInApp', { ref, app: 'Other' }, { token });
      expect(none.status?.code).toBe('CODE_NOT_FOUND');
    } finally {
      app.stop();
    }
  });

  it('should answer as reva does without a token, and WhoAmI with a status', async () => {
    const error = await new Promise<grpc.ServiceError>((resolve) => {
      const client = new grpc.Client(double.gatewayAddr, grpc.credentials.createInsecure());
      const method = cs3Service('cs3.gateway.v1beta1.GatewayAPI')['Stat'];
      client.makeUnaryRequest(
        method?.path ?? '',
        method?.requestSerialize ?? (() => Buffer.alloc(0)),
        method?.responseDeserialize ?? ((b: Buffer) => b),
        { ref: { path: '/' } },
        (err) => {
          client.close();
          resolve(err!);
        },
      );
    });
    expect(error.code).toBe(grpc.status.UNAUTHENTICATED);
    const who = await gateway.call('WhoAmI', { token: 'garbage' });
    expect(who.status?.code).toBe('CODE_UNAUTHENTICATED');
  });

  it('should guard its data gateway like reva: transfer token, reva token, no empty PUT', async () => {
    const token = double.mintToken();
    const id = await double.createFile('/a.txt', 'abc');
    const ref = {
      resource_id: { storage_id: id.storageId, space_id: id.spaceId, opaque_id: id.opaqueId },
    };
    const upload = await gateway.call(
      'InitiateFileUpload',
      { ref, opaque: { map: {} } },
      { token },
    );
    // Without Upload-Length reva finishes an empty upload at once.
    expect((await double.readFile('/a.txt')).length).toBe(0);
    expect(upload.protocols?.map((p) => p.protocol)).toEqual(['tus', 'simple']);
    const simple = upload.protocols?.find((p) => p.protocol === 'simple');
    const put = (headers: Record<string, string>, body: string) =>
      fetch(simple?.upload_endpoint ?? '', { method: 'PUT', headers, body }).then((r) => r.status);
    expect(await put({ 'x-access-token': token }, 'abc')).toBe(403);
    expect(await put({ 'x-reva-transfer': simple?.token ?? '' }, 'abc')).toBe(401);
    expect(await put({ 'x-reva-transfer': simple?.token ?? '', 'x-access-token': token }, '')).toBe(
      400,
    );
  });

  it('should keep its state and ports across stop and restart', async () => {
    const id = await double.createFile('/a.txt', 'kept');
    const token = double.mintToken();
    const ref = {
      resource_id: { storage_id: id.storageId, space_id: id.spaceId, opaque_id: id.opaqueId },
    };
    await gateway.call(
      'SetLock',
      { ref, lock: { lock_id: 'L', app_name: 'A', type: 'LOCK_TYPE_WRITE' } },
      { token },
    );
    const before = { grpc: double.gatewayAddr, data: double.dataUrl };
    await double.stop();
    await double.restart();
    expect({ grpc: double.gatewayAddr, data: double.dataUrl }).toEqual(before);
    const stat = await gateway.call('Stat', { ref }, { token });
    expect(stat.info).toMatchObject({ path: '/a.txt', lock: { lock_id: 'L' } });
    expect(double.lockOf('/a.txt')?.app_name).toBe('A');
    double.setProcessing('/a.txt', true);
    const processing = await gateway.call('Stat', { ref }, { token });
    expect(readPlain(processing.info?.opaque, 'status')).toBe('processing');
  });
});
