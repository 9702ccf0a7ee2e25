import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';

export interface Manifest {
  apiVersion: string;
  kind: string;
  [field: string]: unknown;
}

interface Validatable {
  validate(): void;
}

/**
 * The Kubernetes (and prometheus-operator) OpenAPI schemas, offline: the validators that the
 * kubernetes-models packages generate from them (docs/adr/0082-kubernetes-manifest-validation.md).
 */
const MODELS: Record<string, new (data: never) => Validatable> = {
  'apps/v1 Deployment': Deployment,
  'autoscaling/v2 HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'v1 ConfigMap': ConfigMap,
  'v1 Secret': Secret,
  'v1 Service': Service,
  'networking.k8s.io/v1 NetworkPolicy': NetworkPolicy,
  'policy/v1 PodDisruptionBudget': PodDisruptionBudget,
  'monitoring.coreos.com/v1 ServiceMonitor': ServiceMonitor,
};

/** The schema violations of one manifest; empty when it is valid. */
export function validateManifest(manifest: Manifest): string[] {
  const key = `${manifest.apiVersion} ${manifest.kind}`;
  const Model = MODELS[key];
  if (!Model) {
    return [`no schema for ${key}`];
  }
  try {
    new Model(manifest as never).validate();
    return [];
  } catch (error) {
    return [error instanceof Error ? error.message : String(error)];
  }
}
