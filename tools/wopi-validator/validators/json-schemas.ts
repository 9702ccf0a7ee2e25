import Ajv, { type ValidateFunction } from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/**
 * The suite's JsonSchemas/*.json (draft-04, some with a BOM), compiled once with ajv. A schema is
 * addressed by its file name without `.json`, as JsonSchemas.cs does with the embedded resources.
 */
export class SchemaStore {
  private readonly validators = new Map<string, ValidateFunction>();

  private constructor(private readonly schemas: ReadonlyMap<string, object>) {}

  /** Loads `<dataDir>/JsonSchemas/*.json` (none when the folder is absent). */
  static fromDataDir(dataDir: string): SchemaStore {
    const dir = join(dataDir, 'JsonSchemas');
    const schemas = new Map<string, object>();
    if (existsSync(dir)) {
      for (const name of readdirSync(dir).filter((file) => file.endsWith('.json'))) {
        const text = readFileSync(join(dir, name), 'utf8').replace(/^\uFEFF/, '');
        schemas.set(basename(name, '.json'), JSON.parse(stripJsonComments(text)) as object);
      }
    }
    return new SchemaStore(schemas);
  }

  static of(schemas: Record<string, object>): SchemaStore {
    return new SchemaStore(new Map(Object.entries(schemas)));
  }

  has(id: string): boolean {
    return this.schemas.has(id);
  }

  /** The schema errors for a JSON text (empty when valid). */
  validate(id: string, json: string): string[] {
    const validate = this.compiled(id);
    let data: unknown;
    try {
      data = JSON.parse(json);
    } catch (error) {
      return [
        `JsonSchemaValidator: the response is not JSON (${error instanceof Error ? error.message : String(error)})`,
      ];
    }
    if (validate(data)) {
      return [];
    }
    return (validate.errors ?? []).map(
      (error) =>
        `${error.instancePath || '#'} ${error.message ?? error.keyword}${paramsText(error.params)}`,
    );
  }

  private compiled(id: string): ValidateFunction {
    const cached = this.validators.get(id);
    if (cached) {
      return cached;
    }
    const schema = this.schemas.get(id);
    if (!schema) {
      throw new Error(`Schema with ID '${id}' not found.`);
    }
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    this.validators.set(id, validate);
    return validate;
  }
}

function paramsText(params: Record<string, unknown>): string {
  const entries = Object.entries(params);
  return entries.length === 0
    ? ''
    : ` (${entries.map(([key, value]) => `${key}: ${String(value)}`).join(', ')})`;
}

/** Newtonsoft reads `//` and `/* *\/` comments in JSON (some of the suite's schemas have them). */
export function stripJsonComments(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charAt(i);
    if (inString) {
      out += char;
      if (char === '\\') {
        out += text.charAt(++i);
      } else if (char === '"') {
        inString = false;
      }
    } else if (char === '"') {
      inString = true;
      out += char;
    } else if (char === '/' && text.charAt(i + 1) === '/') {
      while (i < text.length && text.charAt(i) !== '\n') {
        i++;
      }
      out += '\n';
    } else if (char === '/' && text.charAt(i + 1) === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else {
      out += char;
    }
  }
  return out;
}
