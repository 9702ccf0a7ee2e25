import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { advertisedAddress } from './advertised-address';

const info = (address: string, family: 'IPv4' | 'IPv6', internal: boolean): NetworkInterfaceInfo =>
  ({ address, family, internal, netmask: '', mac: '', cidr: null }) as NetworkInterfaceInfo;

const interfaces = {
  lo: [info('127.0.0.1', 'IPv4', true)],
  eth0: [info('fe80::1', 'IPv6', false), info('10.1.2.3', 'IPv4', false)],
};

describe('advertisedAddress', () => {
  it('should keep a concrete address exactly as configured', () => {
    expect(advertisedAddress('127.0.0.1:9301', interfaces)).toBe('127.0.0.1:9301');
    expect(advertisedAddress('collaboration.ocis.svc:9301', interfaces)).toBe(
      'collaboration.ocis.svc:9301',
    );
  });

  it('should replace a wildcard host with an address other hosts can dial', () => {
    expect(advertisedAddress('0.0.0.0:9301', interfaces)).toBe('10.1.2.3:9301');
    expect(advertisedAddress(':9301', interfaces)).toBe('10.1.2.3:9301');
    expect(advertisedAddress('[::]:9301', { eth0: [info('fd00::5', 'IPv6', false)] })).toBe(
      '[fd00::5]:9301',
    );
    expect(advertisedAddress('0.0.0.0:9301', { lo: [info('127.0.0.1', 'IPv4', true)] })).toBe(
      '127.0.0.1:9301',
    );
  });
});
