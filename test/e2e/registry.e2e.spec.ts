import { Kvm } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MicroService } from '../../src/registry/micro-service';
import {
  decodeRecord,
  encodeRecord,
  microKeyOf,
  natsKeyOf,
} from '../../src/registry/nats-kv-service-registry.adapter';
import { LocalStorageGateway } from '../../src/storage/local/local-storage-gateway.adapter';
import { StorageGateway } from '../../src/storage/storage-gateway.port';
import { AccessTokenService } from '../../src/tokens/access-token.service';
import { startCs3Double } from '../support/cs3-double';
import { cs3ServerEnv } from '../support/cs3-storage';
import { startNatsServer, type NatsServerHandle } from '../support/nats-server';
import { freePort } from '../support/ports';
import { spawnServer } from '../support/processes';
import { tempDir } from '../support/temp';
import { startTestServer, type TestServer } from '../support/test-server';
import { EditorSimulator } from '../support/wopi-client';

interface Entry {
  microKey: string;
  revision: number;
  service: MicroService;
}

async function entries(nc: NatsConnection): Promise<Entry[]> {
  const kv = await new Kvm(nc).open('service-registry');
  const found: Entry[] = [];
  for await (const key of await kv.keys()) {
    const entry = await kv.get(key);
    const microKey = microKeyOf(key);
    if (entry?.operation === 'PUT' && microKey !== undefined) {
      found.push({ microKey, revision: entry.revision, service: decodeRecord(entry.value) });
    }
  }
  return found;
}

async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error('condition not reached in time');
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** CheckFileInfo of a fresh file of a local-storage server: what "WOPI is served" means here. */
async function checkFileInfoStatus(server: TestServer): Promise<number> {
  await writeFile(join(server.root, 'served.txt'), 'x');
  const storage = server.app.get(StorageGateway);
  if (!(storage instanceof LocalStorageGateway)) {
    throw new Error('expected the local storage');
  }
  const info = await storage.statPath('/served.txt');
  const minted = await server.app.get(AccessTokenService).mint(
    {
      resourceId: info.resourceId,
      user: {
        id: { idp: 'local', opaqueId: 'alice' },
        username: 'alice',
        displayName: 'Alice',
        isGuest: false,
      },
      mode: 'write',
      sessionId: AccessTokenService.newSessionId(),
    },
    Date.now() + 60_000,
  );
  const response = await fetch(
    `${server.httpUrl}/wopi/files/${minted.fileId}?access_token=${minted.token}`,
  );
  return response.status;
}

async function registryStatus(server: TestServer): Promise<string | undefined> {
  const body = (await (await fetch(`${server.debugUrl}/readyz`)).json()) as {
    details: Record<string, { status: string }>;
  };
  return body.details['registry']?.status;
}

describe('service registry', () => {
  let nats: NatsServerHandle;
  let nc: NatsConnection;
  let server: TestServer | undefined;

  beforeAll(async () => {
    nats = await startNatsServer();
    nc = await connect({ servers: nats.url });
  });

  afterEach(async () => {
    await server?.dispose();
    server = undefined;
  });

  afterAll(async () => {
    await nc.close();
    await nats.dispose();
  });

  const env = (): Record<string, string> => ({
    MICRO_REGISTRY: 'nats-js-kv',
    MICRO_REGISTRY_ADDRESS: nats.url,
    EXPERIMENTAL_REGISTER_INTERVAL: '1s',
    EXPERIMENTAL_REGISTER_TTL: '3s',
    COLLABORATION_APP_NAME: 'Collabora',
    COLLABORATION_APP_PRODUCT: 'Collabora',
  });

  it('should register each app as go-micro would, refresh it and remove it on shutdown', async () => {
    server = await startTestServer(env());
    const grpcAddr = server.config.grpc.addr;
    const first = await eventually(async () =>
      (await entries(nc)).find((e) => e.service.nodes?.[0]?.address === grpcAddr),
    );
    expect(first.microKey).toMatch(
      /^com\.owncloud\.api\.collaboration\.Collabora@[0-9a-f-]{36}@\d+\.\d+\.\d+$/,
    );
    expect(first.service).toEqual({
      name: 'com.owncloud.api.collaboration.Collabora',
      version: first.microKey.split('@')[2],
      metadata: null,
      endpoints: [],
      nodes: [
        {
          metadata: { registry: 'nats-js-kv', server: 'grpc', transport: 'grpc', protocol: 'grpc' },
          id: `com.owncloud.api.collaboration.Collabora-${first.microKey.split('@')[1] ?? ''}`,
          address: grpcAddr,
        },
      ],
    });
    const status = await (await new Kvm(nc).open('service-registry')).status();
    expect(status.ttl).toBe(3000);
    expect((status.streamInfo.config as { storage: string }).storage).toBe('memory');

    await eventually(async () => {
      const later = (await entries(nc)).find((e) => e.microKey === first.microKey);
      return later && later.revision > first.revision ? later : undefined;
    });
    const ready = (await (await fetch(`${server.debugUrl}/readyz`)).json()) as {
      details: Record<string, { status: string }>;
    };
    expect(ready.details['registry']?.status).toBe('up');

    await server.dispose();
    server = undefined;
    expect((await entries(nc)).some((e) => e.microKey === first.microKey)).toBe(false);
  });

  it('should register every configured app under its own name', async () => {
    const yaml = `apps:\n  - name: Collabora\n    product: Collabora\n  - name: OnlyOffice\n    product: OnlyOffice\n`;
    const file = join(await mkdtemp(join(tmpdir(), 'collab-registry-')), 'apps.yaml');
    await writeFile(file, yaml);
    const { COLLABORATION_APP_NAME: _name, COLLABORATION_APP_PRODUCT: _product, ...rest } = env();
    server = await startTestServer({ ...rest, COLLABORATION_CONFIG_FILE: file });
    // Each app has its own OpenInApp listener: the gateway's call names no app, the address does.
    const grpcAddr = server.config.grpc.addr;
    const port = Number(grpcAddr.split(':')[1]);
    const expected = {
      'com.owncloud.api.collaboration.Collabora': grpcAddr,
      'com.owncloud.api.collaboration.OnlyOffice': `127.0.0.1:${String(port + 1)}`,
    };
    const found = await eventually(async () => {
      const mine = (await entries(nc)).filter((e) =>
        Object.values(expected).includes(e.service.nodes?.[0]?.address ?? ''),
      );
      return mine.length === 2
        ? Object.fromEntries(mine.map((e) => [e.service.name, e.service.nodes?.[0]?.address]))
        : undefined;
    });
    expect(found).toEqual(expected);
  });

  it('should serve while NATS is down, show the registry degraded and register once NATS is back', async () => {
    await nats.stop();
    const running = await startTestServer(env());
    server = running;
    const degraded = await eventually(async () => {
      const response = await fetch(`${running.debugUrl}/readyz`);
      const body = (await response.json()) as { details: Record<string, { status: string }> };
      return body.details['registry']?.status === 'degraded' ? response.status : undefined;
    });
    expect(degraded).toBe(200);
    expect(await checkFileInfoStatus(running)).toBe(200);
    await nats.start();
    await nc.close();
    nc = await connect({ servers: nats.url });
    const grpcAddr = server.config.grpc.addr;
    await eventually(
      async () => (await entries(nc)).find((e) => e.service.nodes?.[0]?.address === grpcAddr),
      20_000,
    );
  });

  it('should keep serving WOPI when NATS goes away later, show the registry degraded and register again when it is back', async () => {
    const running = await startTestServer(env());
    server = running;
    const grpcAddr = running.config.grpc.addr;
    const mine = async (): Promise<Entry | undefined> =>
      (await entries(nc)).find((e) => e.service.nodes?.[0]?.address === grpcAddr);
    expect(await eventually(mine)).toBeDefined();
    expect(await registryStatus(running)).toBe('up');

    await nats.stop();
    expect(
      await eventually(async () =>
        (await registryStatus(running)) === 'degraded' ? true : undefined,
      ),
    ).toBe(true);
    expect((await fetch(`${running.debugUrl}/readyz`)).status).toBe(200);
    expect(await checkFileInfoStatus(running)).toBe(200);

    // The restarted server lost the memory bucket: the entry comes back only if we register again.
    await nats.start();
    await nc.close();
    nc = await connect({ servers: nats.url });
    const back = await eventually(mine, 20_000);
    expect(back.service.name).toBe('com.owncloud.api.collaboration.Collabora');
    expect(
      await eventually(async () => ((await registryStatus(running)) === 'up' ? true : undefined)),
    ).toBe(true);
  });

  it('should find the CS3 gateway through the registry and register its apps under their registry names', async () => {
    const double = await startCs3Double();
    const editor = await EditorSimulator.start({ product: 'Collabora' });
    try {
      const kv = await new Kvm(nc).create('service-registry', { ttl: 3000, storage: 'memory' });
      const gateway = {
        name: 'com.owncloud.api.gateway',
        version: '7.1.0',
        metadata: null,
        endpoints: [],
        nodes: [{ metadata: null, id: 'gateway-1', address: double.gatewayAddr }],
      };
      const key = 'com.owncloud.api.gateway@gateway-1@7.1.0';
      const keepAlive = setInterval(() => {
        void kv.put(natsKeyOf(key), encodeRecord(key, gateway));
      }, 500);
      await kv.put(natsKeyOf(key), encodeRecord(key, gateway));
      try {
        const { COLLABORATION_CS3_GATEWAY: _direct, ...cs3Env } = cs3ServerEnv(double);
        server = await startTestServer({
          ...env(),
          ...cs3Env,
          OCIS_REVA_GATEWAY: 'com.owncloud.api.gateway',
          COLLABORATION_APP_ADDR: editor.url,
        });
        const provider = await eventually(async () =>
          Promise.resolve(double.appProviders.find((p) => p.name === 'Collabora')),
        );
        expect(provider.address).toBe('com.owncloud.api.collaboration.Collabora');
        expect(provider.product_name).toBe('Collabora');
        expect(double.callsOf('AddAppProvider').length).toBeGreaterThan(0);
      } finally {
        clearInterval(keepAlive);
      }
    } finally {
      await server?.dispose();
      server = undefined;
      await editor.close();
      await double.dispose();
    }
  });

  it('should disappear from the registry when the process gets SIGTERM', async () => {
    const temp = await tempDir();
    const [http, grpc, debug] = [await freePort(), await freePort(), await freePort()];
    const grpcAddr = `127.0.0.1:${String(grpc)}`;
    const child = await spawnServer(
      {
        ...env(),
        COLLABORATION_HTTP_ADDR: `127.0.0.1:${String(http)}`,
        COLLABORATION_GRPC_ADDR: grpcAddr,
        COLLABORATION_DEBUG_ADDR: `127.0.0.1:${String(debug)}`,
        COLLABORATION_LOCAL_ROOT: temp.dir,
      },
      `http://127.0.0.1:${String(debug)}`,
    );
    try {
      const entry = await eventually(async () =>
        (await entries(nc)).find((e) => e.service.nodes?.[0]?.address === grpcAddr),
      );
      const { code } = await child.kill('SIGTERM');
      expect(code).toBe(0);
      expect((await entries(nc)).some((e) => e.microKey === entry.microKey)).toBe(false);
    } finally {
      await child.kill('SIGKILL');
      await temp.remove();
    }
  });
});
