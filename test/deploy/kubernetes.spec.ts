import type { IServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import type { IService } from 'kubernetes-models/v1/Service';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { CONFIG_GROUPS } from '../../src/config/app-config';
import { loadConfig } from '../../src/config/config.loader';
import { settingsOf } from '../../src/config/setting.decorator';
import { parseDuration, parseHostPort } from '../../src/config/units';
import { type Manifest, validateManifest } from '../support/kubernetes-schema';
import { typeCheckManifests } from '../support/kubernetes-types';

const dir = join(__dirname, '..', '..', 'deploy', 'kubernetes');
/** main.ts's extra time after the drain timeout before the process exits anyway. */
const EXIT_GRACE_S = 1.5;

interface Loaded {
  file: string;
  manifest: Manifest;
}

function load(): Loaded[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.yaml') && name !== 'kustomization.yaml')
    .sort()
    .flatMap((file) =>
      parseAllDocuments(readFileSync(join(dir, file), 'utf8')).map((doc) => {
        expect(doc.errors, file).toEqual([]);
        return { file, manifest: doc.toJS() as Manifest };
      }),
    );
}

const loaded = load();

function one<T extends { kind: string }>(kind: T['kind']): T {
  const found = loaded.filter((entry) => entry.manifest.kind === kind);
  expect(found, kind).toHaveLength(1);
  return found[0]?.manifest as unknown as T;
}

function must<T>(value: T | null | undefined, what: string): T {
  if (value === undefined || value === null) {
    throw new Error(`${what} is missing`);
  }
  return value;
}

const deployment = one<IDeployment>('Deployment');
const service = one<IService>('Service');
const configMap = one<IConfigMap>('ConfigMap');
const secret = one<ISecret>('Secret');
const pdb = one<IPodDisruptionBudget>('PodDisruptionBudget');
const hpa = one<IHorizontalPodAutoscaler>('HorizontalPodAutoscaler');
const serviceMonitor = one<IServiceMonitor>('ServiceMonitor');
const networkPolicy = one<INetworkPolicy>('NetworkPolicy');
const pod = must(deployment.spec?.template.spec, 'pod spec');
const container = must(pod.containers[0], 'container');
const podLabels = must(deployment.spec?.template.metadata?.labels, 'pod labels');

const env: Record<string, string> = { ...configMap.data, ...secret.stringData };

function containerPort(name: string | number): number | undefined {
  return container.ports?.find((port) => port.name === name)?.containerPort;
}

function selects(selector: Record<string, string> | undefined): boolean {
  return Object.entries(must(selector, 'selector')).every(
    ([key, value]) => podLabels[key] === value,
  );
}

describe('deploy/kubernetes', () => {
  it('should list every manifest in kustomization.yaml, and only existing ones', () => {
    const kustomization = parseAllDocuments(
      readFileSync(join(dir, 'kustomization.yaml'), 'utf8'),
    )[0]?.toJS() as { resources: string[] };
    const files = [...new Set(loaded.map((entry) => entry.file))];
    expect([...kustomization.resources].sort()).toEqual(files);
  });

  it.each(loaded.map((entry) => [`${entry.file} ${entry.manifest.kind}`, entry.manifest] as const))(
    'should validate %s against its Kubernetes schema',
    (_name, manifest) => {
      expect(validateManifest(manifest)).toEqual([]);
    },
  );

  it('should reject a manifest that breaks the schema (the check can fail)', () => {
    const broken = structuredClone(deployment);
    must(broken.spec?.template.spec?.containers[0]?.ports?.[0], 'port').containerPort =
      'http' as unknown as number;
    expect(validateManifest(broken as Manifest).join('\n')).toMatch(
      /containerPort must be integer/,
    );
    expect(validateManifest({ apiVersion: 'v1', kind: 'Nonsense' })).toEqual([
      'no schema for v1 Nonsense',
    ]);
  });

  it('should use only fields the Kubernetes types know (no typos)', () => {
    expect(typeCheckManifests(loaded.map((entry) => entry.manifest))).toEqual([]);
    const typo = structuredClone(deployment);
    Object.assign(must(typo.spec?.template.spec?.containers[0], 'container'), { livenesProbe: {} });
    expect(typeCheckManifests([typo as Manifest]).join('\n')).toMatch(/livenesProbe/);
  });

  it('should set only environment variables the configuration schema knows', () => {
    const known = new Set(
      CONFIG_GROUPS.flatMap((group) => settingsOf(group.ctor).flatMap((s) => s.env)),
    );
    expect(Object.keys(env).filter((name) => !known.has(name))).toEqual([]);
  });

  it('should configure a valid service from the ConfigMap and Secret', () => {
    expect(() => loadConfig({ env })).not.toThrow();
  });

  it('should probe the debug listener the configuration opens, on the paths it serves', () => {
    const config = loadConfig({ env });
    const defaults = loadConfig({ env: {} });
    const debugPort = parseHostPort(config.debug.addr)?.port;
    expect(debugPort).toBe(parseHostPort(defaults.debug.addr)?.port);
    expect(containerPort('debug')).toBe(debugPort);
    expect(containerPort('http')).toBe(parseHostPort(config.http.addr)?.port);
    expect(containerPort('grpc')).toBe(parseHostPort(config.grpc.addr)?.port);
    expect(container.startupProbe?.httpGet).toEqual({ path: '/healthz', port: 'debug' });
    expect(container.livenessProbe?.httpGet).toEqual({ path: '/healthz', port: 'debug' });
    expect(container.readinessProbe?.httpGet).toEqual({ path: '/readyz', port: 'debug' });
    // Listening on every interface, or the kubelet cannot reach the probes.
    expect(parseHostPort(config.debug.addr)?.host).toBe('0.0.0.0');
    // The startup probe gives the binary more than its 10 s to become ready.
    const startup = must(container.startupProbe, 'startupProbe');
    expect(
      must(startup.periodSeconds, 'period') * must(startup.failureThreshold, 'threshold'),
    ).toBeGreaterThan(10);
  });

  it('should give a stopping pod more time than preStop plus the drain', () => {
    const drainS = loadConfig({ env }).http.shutdownTimeout / 1000;
    const preStopS = container.lifecycle?.preStop?.sleep?.seconds ?? 0;
    expect(parseDuration(env['COLLABORATION_SHUTDOWN_TIMEOUT'] ?? '')).toBe(drainS * 1000);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(preStopS + drainS + EXIT_GRACE_S);
  });

  it('should run non-root on a read-only root file system with no privileges', () => {
    expect(pod.securityContext?.runAsNonRoot).toBe(true);
    expect(pod.securityContext?.runAsUser).toBeGreaterThan(0);
    expect(container.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(container.resources?.requests).toBeDefined();
    expect(container.resources?.limits?.['memory']).toBeDefined();
  });

  it('should wire the objects to each other by the same names and labels', () => {
    expect(selects(deployment.spec?.selector.matchLabels)).toBe(true);
    expect(selects(service.spec?.selector)).toBe(true);
    expect(selects(pdb.spec?.selector?.matchLabels)).toBe(true);
    expect(selects(networkPolicy.spec?.podSelector?.matchLabels)).toBe(true);
    expect(service.spec?.sessionAffinity ?? 'None').toBe('None');
    const servicePorts = must(service.spec?.ports, 'service ports');
    for (const port of servicePorts) {
      expect(containerPort(must(port.targetPort, 'targetPort'))).toBeDefined();
    }
    const monitored = must(serviceMonitor.spec.selector.matchLabels, 'ServiceMonitor selector');
    for (const [key, value] of Object.entries(monitored)) {
      expect(service.metadata?.labels?.[key]).toBe(value);
    }
    const endpoint = must(serviceMonitor.spec.endpoints[0], 'ServiceMonitor endpoint');
    expect(endpoint).toMatchObject({ port: 'debug', path: '/metrics' });
    expect(servicePorts.map((port) => port.name)).toContain('debug');
    expect(hpa.spec.scaleTargetRef).toMatchObject({
      kind: 'Deployment',
      name: deployment.metadata?.name,
    });
    expect(must(hpa.spec.minReplicas, 'minReplicas')).toBeGreaterThan(
      Number(must(pdb.spec?.minAvailable, 'minAvailable')),
    );
    expect(container.envFrom).toEqual([
      { configMapRef: { name: configMap.metadata?.name } },
      { secretRef: { name: secret.metadata?.name } },
    ]);
    const policyPorts = (networkPolicy.spec?.ingress ?? []).flatMap((rule) =>
      (rule.ports ?? []).map((port) => port.port),
    );
    expect(policyPorts.sort()).toEqual(['debug', 'grpc', 'http']);
  });
});
