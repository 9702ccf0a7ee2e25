import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RequestDef, Suite, ValidatorDef } from './model';
import { loadSuite } from './parse-suite';
import { ResourceStore } from './resources';
import { SchemaStore } from './validators/json-schemas';

export interface LoadedSuite {
  suite: Suite;
  resources: ResourceStore;
  schemas: SchemaStore;
}

/**
 * Where JsonSchemas/ and Resources/ are for a TestCases.xml: beside it (../shared/wopi-validator), or
 * in src/WopiValidator.Core/ as in a checkout of microsoft/wopi-validator-core.
 */
export function suiteDataDir(casesFile: string): string {
  const beside = dirname(casesFile);
  const upstream = join(beside, 'src', 'WopiValidator.Core');
  return !existsSync(join(beside, 'JsonSchemas')) && existsSync(join(upstream, 'JsonSchemas'))
    ? upstream
    : beside;
}

/** TestCases.xml with its resources and JSON schemas (see suiteDataDir); unknown schemas are errors. */
export function loadCases(casesFile: string): LoadedSuite {
  const suite = loadSuite(casesFile);
  const dataDir = suiteDataDir(suite.file);
  const schemas = SchemaStore.fromDataDir(dataDir);
  const missing = new Set<string>();
  const visit = (def: ValidatorDef): void => {
    if (def.kind === 'JsonSchema' && !schemas.has(def.schema)) {
      missing.add(def.schema);
    } else if (def.kind === 'Frames' && !schemas.has(def.messageJsonPayloadSchema ?? '')) {
      missing.add(def.messageJsonPayloadSchema ?? '(none)');
    } else if (def.kind === 'And' || def.kind === 'Or') {
      def.children.forEach(visit);
    }
  };
  const requests: RequestDef[] = [
    ...[...suite.prereqs.values()].flatMap((testCase) => [
      ...testCase.requests,
      ...testCase.cleanup,
    ]),
    ...suite.groups.flatMap((group) =>
      group.cases.flatMap((testCase) => [...testCase.requests, ...testCase.cleanup]),
    ),
  ];
  for (const request of requests) {
    (request.validators ?? []).forEach(visit);
  }
  if (missing.size > 0) {
    throw new Error(
      `${suite.file}: schema(s) not found in JsonSchemas/: ${[...missing].join(', ')}`,
    );
  }
  return { suite, resources: new ResourceStore(suite.resources, dataDir), schemas };
}
