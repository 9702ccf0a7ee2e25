import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import { parseHostPort } from '../config/units';

/**
 * The address other services should dial: the configured gRPC address as is, except that a wildcard
 * host (0.0.0.0, ::) is replaced by this machine's first non-internal IPv4 address (else IPv6), as
 * go-micro's addr.Extract does. A wildcard cannot be dialled from another host.
 */
export function advertisedAddress(
  listen: string,
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> = networkInterfaces(),
): string {
  const parsed = parseHostPort(listen);
  if (!parsed || !['0.0.0.0', '::', '[::]'].includes(parsed.host)) {
    return listen;
  }
  const candidates = Object.values(interfaces)
    .flat()
    .filter((info): info is NetworkInterfaceInfo => info !== undefined && !info.internal);
  const ip =
    candidates.find((info) => info.family === 'IPv4') ??
    candidates.find((info) => info.family === 'IPv6');
  if (!ip) {
    return `127.0.0.1:${String(parsed.port)}`;
  }
  return ip.family === 'IPv6'
    ? `[${ip.address}]:${String(parsed.port)}`
    : `${ip.address}:${String(parsed.port)}`;
}
