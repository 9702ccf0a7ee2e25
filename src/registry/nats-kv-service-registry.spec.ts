import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SERVICE_VERSION } from '../version';
import {
  base32Decode,
  base32Encode,
  decodeRecord,
  encodeRecord,
  microKeyFor,
  microKeyOf,
  natsKeyOf,
} from './nats-kv-service-registry.adapter';

describe('go-micro nats-js-kv encoding', () => {
  // Vectors from RFC 4648 and Python's base64.b32encode (Go's base32.StdEncoding is the same).
  it.each([
    ['f', 'MY======'],
    ['fo', 'MZXQ===='],
    ['foo', 'MZXW6==='],
    ['foob', 'MZXW6YQ='],
    ['fooba', 'MZXW6YTB'],
    ['foobar', 'MZXW6YTBOI======'],
  ])('should base32-encode %j like Go', (plain, encoded) => {
    expect(base32Encode(Buffer.from(plain))).toBe(encoded);
    expect(base32Decode(encoded)).toBe(plain);
  });

  it('should key records as base32 of the table prefix and the micro key', () => {
    const microKey = 'com.owncloud.api.collaboration.Collabora@1b2c@7.1.0';
    expect(natsKeyOf(microKey)).toBe(
      'ONSXE5TJMNSS24TFM5UXG5DSPFPWG33NFZXXO3TDNRXXKZBOMFYGSLTDN5WGYYLCN5ZGC5DJN5XC4Q3PNRWGCYTPOJQUAMLCGJRUANZOGEXDA===',
    );
    expect(microKeyOf(natsKeyOf(microKey))).toBe(microKey);
    expect(microKeyOf(base32Encode(Buffer.from('other-table_x')))).toBeUndefined();
    expect(microKeyOf('not base32!')).toBeUndefined();
  });

  it('should build the micro key from name, process id and version', () => {
    const service = { name: 'svc', version: '1.2.3', metadata: null, endpoints: [], nodes: [] };
    expect(microKeyFor(service, 'pid')).toBe('svc@pid@1.2.3');
  });

  it('should wrap the service JSON, base64-encoded, in the store envelope', () => {
    const service = {
      name: 'svc',
      version: '1',
      metadata: null,
      endpoints: [],
      nodes: [{ metadata: { server: 'grpc' }, id: 'svc-1', address: '10.0.0.1:9301' }],
    };
    const envelope = JSON.parse(Buffer.from(encodeRecord('svc@1@1', service)).toString()) as Record<
      string,
      unknown
    >;
    expect(Object.keys(envelope)).toEqual(['key', 'data', 'metadata']);
    expect(envelope['key']).toBe('svc@1@1');
    expect(envelope['metadata']).toBeNull();
    expect(Buffer.from(String(envelope['data']), 'base64').toString()).toBe(
      '{"name":"svc","version":"1","metadata":null,"endpoints":[],"nodes":[{"metadata":{"server":"grpc"},"id":"svc-1","address":"10.0.0.1:9301"}]}',
    );
    expect(decodeRecord(encodeRecord('svc@1@1', service))).toEqual(service);
  });

  it('should register the version of package.json', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(SERVICE_VERSION).toBe(pkg.version);
  });
});
