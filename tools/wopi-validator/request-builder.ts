import { randomUUID } from 'node:crypto';
import {
  appendOrReplaceQueryParameter,
  appendToPath,
  buildWopiUri,
  getQueryParameterValue,
  requestTarget,
} from './dotnet-url';
import type { OutgoingRequest } from './http-client';
import type { RequestDef } from './model';
import { mutateProofHeaders, proofHeaders, type ProofSigner } from './proof/signing';
import { REQUEST_SPECS, type BuildContext, type RequestSpec } from './request-types';
import type { ResourceStore } from './resources';
import type { SavedState } from './state';

/** What every request of a run shares: the file under test, its token, the signer. */
export interface RunTarget {
  wopiSrc: string;
  token: string;
  /** access_token_ttl exactly as given on the command line. */
  ttl: string;
  signer?: ProofSigner;
  resources: ResourceStore;
}

/** `OverrideUrl="$State:K"` names a state key that no earlier request saved (C# aborts the run). */
export class MissingStateError extends Error {
  override readonly name = 'MissingStateError';
}

export function specOf(def: RequestDef): RequestSpec {
  const spec = REQUEST_SPECS[def.type];
  if (!spec) {
    throw new Error(`Unknown request: '${def.type}'`);
  }
  return spec;
}

/**
 * RequestBase.GetEndpointAddressOverride: undefined when there is no OverrideUrl or its state value
 * is null or empty (then WopiSrc is used); a saved URL gets the path suffix on its path.
 */
export function overrideUrl(
  def: RequestDef,
  spec: RequestSpec,
  state: SavedState,
): string | undefined {
  const raw = def.params.overrideUrl;
  if (!raw) {
    return undefined;
  }
  let url: string | null | undefined = raw;
  const key = raw.startsWith('$State:') ? raw.slice('$State:'.length) : '';
  if (key !== '') {
    if (!state.has(key)) {
      throw new MissingStateError(
        `OverrideUrl ${raw}: state ${key} was never saved (did it depend on a request that failed?)`,
      );
    }
    url = state.get(key);
  }
  if (!url) {
    return undefined;
  }
  return spec.path ? appendToPath(url, spec.path) : url;
}

/**
 * Builds the request WopiRequest.CreateExecutionData would send: URL (WopiSrc or saved URL, token
 * mutated in place), type headers, X-WOPI-Override, proof headers (signed over the URL as sent and
 * mutated), Authorization: Bearer; body per type. Throws what Microsoft's runner would throw.
 */
export function buildRequest(
  def: RequestDef,
  state: SavedState,
  target: RunTarget,
  userAgent: string | undefined,
): OutgoingRequest {
  const spec = specOf(def);
  const saved = overrideUrl(def, spec, state);
  if (spec.kind === 'fileUrl') {
    if (saved === undefined) {
      throw new Error(`${def.type} has no URL: OverrideUrl is missing or its state value is empty`);
    }
    return { method: spec.method, url: saved, headers: [] };
  }
  let url: string;
  let token: string | undefined;
  if (saved !== undefined) {
    url = saved;
    token = getQueryParameterValue(url, 'access_token');
  } else if (spec.noFallbackTarget) {
    throw new Error(
      `${def.type} has no URL: its OverrideUrl state value is empty and it never targets WopiSrc`,
    );
  } else {
    url = buildWopiUri(target.wopiSrc, spec.path, target.token, target.ttl);
    token = target.token;
  }
  const tokenMutator = def.mutators.find((mutator) => mutator.kind === 'AccessToken');
  if (tokenMutator) {
    const mutated = tokenMutator.mutation ?? randomUUID();
    if (mutated !== token) {
      url = appendOrReplaceQueryParameter(url, 'access_token', mutated);
      token = mutated;
    }
  }
  const ctx: BuildContext = { params: def.params, state, resources: target.resources };
  const headers: [string, string][] = userAgent ? [['User-Agent', userAgent]] : [];
  headers.push(...(spec.headers?.(ctx) ?? []));
  if (spec.override) {
    headers.push(['X-WOPI-Override', spec.override]);
  }
  if (target.signer) {
    const signer = target.signer;
    const wire = requestTarget(url);
    const signedUrl = wire.origin + wire.pathAndQuery;
    const proofs = proofHeaders(signer, token, signedUrl, signer.nowTicks());
    const proofMutator = def.mutators.find((mutator) => mutator.kind === 'ProofKey');
    headers.push(
      ...(proofMutator
        ? mutateProofHeaders(proofs, proofMutator, (ticks) =>
            proofHeaders(signer, token, signedUrl, ticks),
          )
        : proofs),
    );
  }
  headers.push(['Authorization', `Bearer ${token ?? ''}`]);
  return { method: spec.method, url, headers, body: spec.body?.(ctx) };
}
