import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, bench, describe } from 'vitest';
import { APP_PROVIDER_SERVICE, cs3Method } from '../src/cs3/proto/cs3-proto';
import type * as cs3 from '../src/cs3/proto/cs3.messages';
import { appProviderFixture, type AppProviderFixture } from '../test/support/app-provider';

// OpenInApp as the gateway calls it: one gRPC call to an app's listener (WhoAmI on the gateway
// double, token minting, editor URL), sequential, over loopback.
let f: AppProviderFixture;
let client: grpc.Client;
let request: cs3.OpenInAppRequest;
const method = cs3Method(APP_PROVIDER_SERVICE, 'OpenInApp');

beforeAll(async () => {
  f = await appProviderFixture(['Collabora']);
  const id = await f.double.createFile('/Documents/bench.docx', 'x');
  client = new grpc.Client(f.apps[0]?.grpcAddr ?? '', grpc.credentials.createInsecure());
  request = {
    resource_info: {
      id: { storage_id: id.storageId, space_id: id.spaceId, opaque_id: id.opaqueId },
      path: '/Documents/bench.docx',
    },
    view_mode: 'VIEW_MODE_READ_WRITE',
    access_token: f.double.mintToken(),
  };
});

function openInApp(): Promise<cs3.OpenInAppResponse> {
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest(
      method.path,
      method.requestSerialize,
      method.responseDeserialize,
      request,
      new grpc.Metadata(),
      (error, response) => {
        if (error) {
          reject(error);
        } else {
          resolve(response as cs3.OpenInAppResponse);
        }
      },
    );
  });
}

afterAll(async () => {
  client.close();
  await f.dispose();
});

describe('OpenInApp', () => {
  bench('one OpenInApp call (WhoAmI + mint + editor URL)', async () => {
    const response = await openInApp();
    if (response.status?.code !== 'CODE_OK') {
      throw new Error(String(response.status?.code));
    }
  });
});
