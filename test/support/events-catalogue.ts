import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { payloadOf, type EventEnvelope } from '../../src/audit/audit-event';

const DOC = join(__dirname, '..', '..', 'docs', 'events.md');

export interface CatalogueBlock {
  info: string;
  body: unknown;
}

export interface EventsCatalogue {
  blocks: CatalogueBlock[];
  /** One validator per documented event type (the schema's `$id`). */
  schemas: Map<string, ValidateFunction>;
  envelope: ValidateFunction;
  /** The schema errors of a JetStream message body (envelope and payload); empty when valid. */
  errorsOf: (message: unknown) => string[];
}

/** The schemas documented in docs/events.md, compiled (the fenced `json schema…` blocks). */
export function eventsCatalogue(): EventsCatalogue {
  const markdown = readFileSync(DOC, 'utf8');
  const blocks: CatalogueBlock[] = [];
  for (const match of markdown.matchAll(/^```(json[^\n]*)\n([\s\S]*?)^```$/gm)) {
    blocks.push({ info: (match[1] ?? '').trim(), body: JSON.parse(match[2] ?? '') as unknown });
  }
  const ajv = new Ajv({ allErrors: true, strict: true });
  addFormats(ajv);
  for (const block of blocks.filter((b) => b.info === 'json schema-common')) {
    ajv.addSchema(block.body as object);
  }
  const schemas = new Map<string, ValidateFunction>();
  for (const block of blocks.filter((b) => b.info === 'json schema')) {
    const schema = block.body as { $id: string };
    schemas.set(schema.$id, ajv.compile(schema));
  }
  const envelope = ajv.getSchema('common#/definitions/Envelope');
  if (!envelope) {
    throw new Error('docs/events.md has no envelope schema');
  }
  const errorsOf = (message: unknown): string[] => {
    if (!envelope(message)) {
      return [`envelope: ${ajv.errorsText(envelope.errors)}`];
    }
    const typed = message as EventEnvelope;
    const validate = schemas.get(typed.Metadata.eventtype);
    if (!validate) {
      return [`${typed.Metadata.eventtype}: not documented`];
    }
    return validate(payloadOf(typed))
      ? []
      : [`${typed.Metadata.eventtype}: ${ajv.errorsText(validate.errors)}`];
  };
  return { blocks, schemas, envelope, errorsOf };
}
