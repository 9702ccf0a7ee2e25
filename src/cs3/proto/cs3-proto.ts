import {
  fromJSON,
  type MessageTypeDefinition,
  type MethodDefinition,
  type PackageDefinition,
  type ServiceDefinition,
} from '@grpc/proto-loader';
import descriptor from './cs3.descriptor.json';
import type { Opaque, OpaqueEntry } from './cs3.messages';

/**
 * How messages are decoded: proto field names, enum names, 64-bit integers as numbers, absent
 * fields absent, the name of the set member of each oneof. Unknown fields (from a newer gateway)
 * are skipped by protobuf.js.
 */
export const CS3_LOADER_OPTIONS = {
  keepCase: true,
  longs: Number,
  enums: String,
  defaults: false,
  oneofs: true,
} as const;

/**
 * The CS3 subset of proto/, loaded from the JSON descriptor that `npm run proto:gen` compiles into
 * this folder: no file is read at run time, so it works from a bundled single executable.
 */
export const CS3_PACKAGE: PackageDefinition = fromJSON(
  descriptor as unknown as Parameters<typeof fromJSON>[0],
  CS3_LOADER_OPTIONS,
);

export const GATEWAY_SERVICE = 'cs3.gateway.v1beta1.GatewayAPI';
export const APP_PROVIDER_SERVICE = 'cs3.app.provider.v1beta1.ProviderAPI';

export function cs3Service(name: string): ServiceDefinition {
  const definition = CS3_PACKAGE[name];
  if (definition === undefined || 'format' in definition) {
    throw new Error(`${name} is not a service of the CS3 proto set`);
  }
  return definition;
}

export function cs3Method(service: string, method: string): MethodDefinition<object, object> {
  const definition = cs3Service(service)[method];
  if (definition === undefined) {
    throw new Error(`${service} has no method ${method}`);
  }
  return definition;
}

export function cs3Message(name: string): MessageTypeDefinition<object, object> {
  const definition = CS3_PACKAGE[name];
  if (definition?.format !== 'Protocol Buffer 3 DescriptorProto') {
    throw new Error(`${name} is not a message of the CS3 proto set`);
  }
  return definition;
}

/** A plain (decoder "plain") opaque entry. */
export function plainEntry(value: string): OpaqueEntry {
  return { decoder: 'plain', value: Buffer.from(value, 'utf8') };
}

/** Value of a plain opaque entry, or undefined. */
export function readPlain(opaque: Opaque | undefined, key: string): string | undefined {
  const entry = opaque?.map?.[key];
  if (entry?.value === undefined) {
    return undefined;
  }
  return Buffer.from(entry.value).toString('utf8');
}
