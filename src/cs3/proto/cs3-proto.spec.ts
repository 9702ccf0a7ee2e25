import { execFile } from 'node:child_process';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../../test/support/processes';
import { tempDir } from '../../../test/support/temp';
import {
  APP_PROVIDER_SERVICE,
  CS3_PACKAGE,
  cs3Message,
  cs3Method,
  GATEWAY_SERVICE,
} from './cs3-proto';
import descriptor from './cs3.descriptor.json';
import type { StatResponse, Status } from './cs3.messages';

const run = promisify(execFile);
const GENERATOR = join(PROJECT_ROOT, 'scripts', 'gen-cs3-descriptor.mjs');

async function check(args: string[]): Promise<{ code: number; stderr: string }> {
  try {
    await run(process.execPath, [GENERATOR, '--check', ...args]);
    return { code: 0, stderr: '' };
  } catch (error) {
    const failed = error as { code: number; stderr: string };
    return { code: failed.code, stderr: failed.stderr };
  }
}

function varint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest & 0x7f) | 0x80);
    rest >>>= 7;
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

/** Protobuf wire bytes of a length-delimited field. */
function lengthDelimited(field: number, bytes: Buffer): Buffer {
  return Buffer.concat([varint((field << 3) | 2), varint(bytes.length), bytes]);
}

/** A definition in the descriptor JSON, by full name. */
function nested(name: string): unknown {
  type Node = { nested?: Record<string, unknown> } | undefined;
  let node = descriptor as Node;
  for (const part of name.split('.')) {
    node = node?.nested?.[part] as Node;
  }
  return node;
}

describe('CS3 proto set', () => {
  it('should match the checked-in descriptor (run npm run proto:gen after changing proto/)', async () => {
    expect(await check([])).toEqual({ code: 0, stderr: '' });
  });

  it('should notice when proto/ changes and the descriptor does not', async () => {
    const temp = await tempDir();
    try {
      await cp(join(PROJECT_ROOT, 'proto'), temp.dir, { recursive: true });
      const file = join(temp.dir, 'cs3', 'types', 'v1beta1', 'types.proto');
      const text = await readFile(file, 'utf8');
      await writeFile(
        file,
        text.replace('uint32 nanos = 2;', 'uint32 nanos = 2;\n  string zone = 3;'),
      );
      const result = await check(['--proto', temp.dir]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('is out of date');
    } finally {
      await temp.remove();
    }
  });

  it('should use the method paths of cs3apis', () => {
    for (const method of ['Stat', 'InitiateFileUpload', 'SetLock', 'WhoAmI', 'AddAppProvider']) {
      expect(cs3Method(GATEWAY_SERVICE, method).path).toBe(
        `/cs3.gateway.v1beta1.GatewayAPI/${method}`,
      );
    }
    expect(cs3Method(APP_PROVIDER_SERVICE, 'OpenInApp').path).toBe(
      '/cs3.app.provider.v1beta1.ProviderAPI/OpenInApp',
    );
    expect(Object.keys(CS3_PACKAGE)).toContain('cs3.gateway.v1beta1.OpenInAppRequest');
    // Enums nested where cs3apis nests them.
    expect(nested('cs3.gateway.v1beta1.OpenInAppRequest.ViewMode')).toHaveProperty('values');
    expect(nested('cs3.app.registry.v1beta1.ProviderInfo.Capability')).toHaveProperty('values');
    expect(nested('cs3.gateway.v1beta1.ViewMode')).toBeUndefined();
  });

  it('should encode exactly the bytes of the cs3apis wire format', () => {
    const status = cs3Message('cs3.rpc.v1beta1.Status');
    // field 1 (code) varint 20 = CODE_LOCKED; field 2 (message) "x".
    expect(status.serialize({ code: 'CODE_LOCKED', message: 'x' } satisfies Status)).toEqual(
      Buffer.from([0x08, 20, 0x12, 1, 0x78]),
    );
    const lock = cs3Message('cs3.storage.provider.v1beta1.Lock');
    // field 2 lock_id "L", field 3 type 2 (WRITE), field 5 app_name "A", field 6 expiration {1: 7}.
    expect(
      lock.serialize({
        lock_id: 'L',
        type: 'LOCK_TYPE_WRITE',
        app_name: 'A',
        expiration: { seconds: 7 },
      }),
    ).toEqual(Buffer.from([0x12, 1, 0x4c, 0x18, 2, 0x2a, 1, 0x41, 0x32, 2, 0x08, 7]));
  });

  it('should skip fields and enum values it does not know, as sent by a newer gateway', () => {
    const type = cs3Message('cs3.storage.provider.v1beta1.StatResponse');
    const known: StatResponse = {
      status: { code: 'CODE_OK' },
      info: { id: { storage_id: 's', space_id: 'sp', opaque_id: 'o' }, size: 5, name: 'a.txt' },
    };
    const extra = Buffer.concat([
      type.serialize(known),
      // field 99: a message with a string inside; field 100: a varint.
      lengthDelimited(99, lengthDelimited(1, Buffer.from('tenant-1'))),
      varint((100 << 3) | 0),
      varint(1),
    ]);
    expect(type.deserialize(extra)).toEqual(known);
    const newerStatus = Buffer.from([0x08, 42, 0x12, 1, 0x78]);
    expect(cs3Message('cs3.rpc.v1beta1.Status').deserialize(newerStatus)).toEqual({
      code: 42,
      message: 'x',
    });
  });

  it('should decode 64-bit sizes as numbers and report which upload option is set', () => {
    const info = cs3Message('cs3.storage.provider.v1beta1.ResourceInfo');
    expect(info.deserialize(info.serialize({ size: 5 * 1024 ** 3 }))).toEqual({
      size: 5 * 1024 ** 3,
    });
    const upload = cs3Message('cs3.storage.provider.v1beta1.InitiateFileUploadRequest');
    expect(upload.deserialize(upload.serialize({ if_match: '"e1"', lock_id: 'L' }))).toEqual({
      if_match: '"e1"',
      lock_id: 'L',
      options: 'if_match',
    });
  });
});
