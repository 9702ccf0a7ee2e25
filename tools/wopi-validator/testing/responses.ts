import type { WopiResponse } from '../http-client';
import type { ResourceDef } from '../model';
import { ResourceStore } from '../resources';
import { SchemaStore } from '../validators/json-schemas';
import type { ValidationContext } from '../validators/validate';

/** A response as the runner sees it; a string or object body is text (JSON for objects). */
export function response(
  status: number,
  headers: Record<string, string> = {},
  body: string | object | Buffer = '',
): WopiResponse {
  const bytes = Buffer.isBuffer(body)
    ? body
    : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  return {
    status,
    headers: new Map(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value])),
    body: bytes,
    text: Buffer.isBuffer(body) ? undefined : bytes.toString('utf8'),
  };
}

export const RESOURCES: ReadonlyMap<string, ResourceDef> = new Map([
  [
    'WordSimpleDocument',
    {
      id: 'WordSimpleDocument',
      name: 'WordSimpleDocument.docx',
      filePath: 'Resources\\WordSimpleDocument.docx',
    },
  ],
  [
    'ZeroByteFile',
    {
      id: 'ZeroByteFile',
      name: 'ZeroByteFile.wopitest',
      filePath: 'Resources\\ZeroByteFile.wopitest',
    },
  ],
]);

export function validationContext(
  state: Record<string, string | null> = {},
  schemas: Record<string, object> = {},
): ValidationContext {
  return {
    state: new Map(Object.entries(state)),
    resources: new ResourceStore(RESOURCES, '/nowhere'),
    schemas: SchemaStore.of(schemas),
    nowMs: Date.UTC(2026, 0, 1),
  };
}
