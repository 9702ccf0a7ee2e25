import { join } from 'node:path';
import ts from 'typescript';
import type { Manifest } from './kubernetes-schema';

const root = join(__dirname, '..', '..');

/** The TypeScript interface of each kind, from the same kubernetes-models packages. */
const TYPES: Record<string, { name: string; from: string }> = {
  'apps/v1 Deployment': { name: 'IDeployment', from: 'kubernetes-models/apps/v1/Deployment' },
  'autoscaling/v2 HorizontalPodAutoscaler': {
    name: 'IHorizontalPodAutoscaler',
    from: 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler',
  },
  'v1 ConfigMap': { name: 'IConfigMap', from: 'kubernetes-models/v1/ConfigMap' },
  'v1 Secret': { name: 'ISecret', from: 'kubernetes-models/v1/Secret' },
  'v1 Service': { name: 'IService', from: 'kubernetes-models/v1/Service' },
  'networking.k8s.io/v1 NetworkPolicy': {
    name: 'INetworkPolicy',
    from: 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy',
  },
  'policy/v1 PodDisruptionBudget': {
    name: 'IPodDisruptionBudget',
    from: 'kubernetes-models/policy/v1/PodDisruptionBudget',
  },
  'monitoring.coreos.com/v1 ServiceMonitor': {
    name: 'IServiceMonitor',
    from: '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor',
  },
};

/**
 * Type-checks manifests as object literals against the Kubernetes interfaces, so a misspelt or
 * misplaced field (which the JSON-schema validators let through: Kubernetes' schemas allow unknown
 * fields, the API server then drops or rejects them) is an excess-property error.
 */
export function typeCheckManifests(manifests: readonly Manifest[]): string[] {
  const file = join(root, '__kubernetes_manifests__.mts');
  const lines: string[] = [];
  manifests.forEach((manifest, index) => {
    const type = TYPES[`${manifest.apiVersion} ${manifest.kind}`];
    if (!type) {
      lines.push(`// no type for ${manifest.apiVersion} ${manifest.kind}`);
      return;
    }
    lines.push(`import type { ${type.name} as T${String(index)} } from '${type.from}';`);
    lines.push(`export const m${String(index)}: T${String(index)} = ${JSON.stringify(manifest)};`);
  });
  const text = lines.join('\n');
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language, ...rest) =>
    name === file
      ? ts.createSourceFile(name, text, language, true)
      : getSourceFile(name, language, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === file || fileExists(name);
  const program = ts.createProgram([file], options, host);
  const source = program.getSourceFile(file);
  const problems = lines.filter((line) => line.startsWith('// no type'));
  const diagnostics = [
    ...program.getSyntacticDiagnostics(source),
    ...program.getSemanticDiagnostics(source),
  ];
  return [
    ...problems,
    ...diagnostics.map((diagnostic) =>
      ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'),
    ),
  ];
}
