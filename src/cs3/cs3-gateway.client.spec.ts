import { Logger } from '@nestjs/common';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startCs3Double, type Cs3Double } from '../../test/support/cs3-double';
import { credentialsFor, cs3StorageFor } from '../../test/support/cs3-storage';
import { tempDir } from '../../test/support/temp';
import { loadConfig } from '../config/config.loader';
import { StorageInternalError, StorageUnavailableError } from '../storage/storage.errors';
import { Cs3GatewayClient } from './cs3-gateway.client';
import { createCs3StorageGateway } from './cs3.module';
import {
  GatewayAddressResolver,
  isGrpcTarget,
  NoGatewayAddressResolver,
} from './gateway-address-resolver.port';

function clientFor(env: Record<string, string>, resolver: GatewayAddressResolver) {
  const config = loadConfig({
    env: {
      COLLABORATION_STORAGE: 'cs3',
      COLLABORATION_WOPI_SECRET: 'a-secret-of-at-least-16-chars',
      ...env,
    },
  });
  return { config, client: new Cs3GatewayClient(config, resolver) };
}

/** A self-signed certificate for 127.0.0.1 made with openssl, or undefined without openssl. */
async function selfSigned(
  dir: string,
): Promise<{ key: Buffer; cert: Buffer; certFile: string } | undefined> {
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  try {
    await promisify(execFile)('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ]);
  } catch {
    return undefined;
  }
  return { key: await readFile(keyFile), cert: await readFile(certFile), certFile };
}

describe(Cs3GatewayClient.name, () => {
  let double: Cs3Double | undefined;
  const cleanups: (() => Promise<void> | void)[] = [];

  afterEach(async () => {
    vi.restoreAllMocks();
    for (const cleanup of cleanups.splice(0)) {
      await cleanup();
    }
    await double?.dispose();
    double = undefined;
  });

  it('should tell gRPC targets from service names', () => {
    for (const target of [
      '127.0.0.1:9142',
      'gateway:9142',
      '[::1]:9142',
      'dns:///ocis:9142',
      'unix:/run/gw.sock',
    ]) {
      expect(isGrpcTarget(target)).toBe(true);
    }
    for (const name of ['com.owncloud.api.gateway', 'gateway', 'host:port', 'http://gw:9142']) {
      expect(isGrpcTarget(name)).toBe(false);
    }
  });

  it('should refuse a service name without a service registry, and say what to set', async () => {
    const logged = vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const { client } = clientFor({}, new NoGatewayAddressResolver());
    cleanups.push(() => {
      client.close();
    });
    const error = await client.call('WhoAmI', { token: '' }).catch((e: unknown) => e);
    expect(logged).toHaveBeenCalledWith(
      { gateway: 'com.owncloud.api.gateway' },
      (error as Error).message,
    );
    expect(error).toBeInstanceOf(StorageUnavailableError);
    expect((error as Error).message).toContain('"com.owncloud.api.gateway" is a service name');
    expect((error as Error).message).toContain(
      'COLLABORATION_CS3_GATEWAY (or OCIS_REVA_GATEWAY) to host:port',
    );
    expect(await client.health()).toMatchObject({
      status: 'down',
      gateway: 'com.owncloud.api.gateway',
      error: (error as Error).message,
    });
  });

  it('should resolve a service name through the resolver before calling', async () => {
    const started = await startCs3Double();
    double = started;
    const asked: string[] = [];
    const resolver = new (class extends GatewayAddressResolver {
      resolve(name: string): Promise<string> {
        asked.push(name);
        return Promise.resolve(started.gatewayAddr);
      }
    })();
    const { client } = clientFor({}, resolver);
    cleanups.push(() => {
      client.close();
    });
    const token = started.mintToken();
    const res = await client.call('WhoAmI', { token });
    expect(res.user?.username).toBe('einstein');
    expect(asked).toEqual(['com.owncloud.api.gateway']);
    expect(await client.health()).toMatchObject({ status: 'up', target: started.gatewayAddr });
  });

  it('should speak TLS as configured: on with a CA file, insecure, and refuse what it cannot verify', async () => {
    const temp = await tempDir();
    cleanups.push(temp.remove);
    const tls = await selfSigned(temp.dir);
    if (!tls) {
      console.warn('skipped: openssl is not installed, no certificate to test TLS with');
      return;
    }
    vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const started = await startCs3Double({ tls });
    double = started;
    const env = { COLLABORATION_CS3_GATEWAY: started.gatewayAddr, COLLABORATION_CS3_TIMEOUT: '2s' };
    const creds = credentialsFor(started);
    const ref = { resourceId: await started.createFile('/a.txt', 'tls') };
    const run = async (extra: Record<string, string>) => {
      const adapter = cs3StorageFor(started, { ...env, ...extra });
      cleanups.push(() => {
        adapter.close();
      });
      return adapter.storage.stat(ref, creds).then(
        (info) => info.name,
        (error: unknown) => error,
      );
    };
    expect(
      await run({ COLLABORATION_CS3_TLS_MODE: 'on', COLLABORATION_CS3_TLS_CACERT: tls.certFile }),
    ).toBe('a.txt');
    expect(await run({ COLLABORATION_CS3_TLS_MODE: 'insecure' })).toBe('a.txt');
    expect(await run({ COLLABORATION_CS3_TLS_MODE: 'on' })).toBeInstanceOf(StorageUnavailableError);
    expect(await run({ COLLABORATION_CS3_TLS_MODE: 'off' })).toBeInstanceOf(
      StorageUnavailableError,
    );
  });

  it('should fail the start when the CA file cannot be read', () => {
    const { config, client } = clientFor(
      {
        COLLABORATION_CS3_GATEWAY: '127.0.0.1:9142',
        COLLABORATION_CS3_TLS_MODE: 'on',
        COLLABORATION_CS3_TLS_CACERT: '/nonexistent/ca.pem',
      },
      new NoGatewayAddressResolver(),
    );
    expect(() => createCs3StorageGateway(config, client)).toThrow(StorageInternalError);
    expect(() => createCs3StorageGateway(config, client)).toThrow(
      'cannot read the CS3 gateway CA certificate /nonexistent/ca.pem',
    );
  });
});
