import { Injectable } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import { AppConfig, type EditorAppSettings } from '../config/app-config';
import type { AppDiscovery } from './app-discovery';
import { Clock } from './clock';
import type { ProofRefusal } from './discovery.errors';
import { DiscoveryService } from './discovery.service';
import type { ProofKeys } from './proof-keys';
import { proofHeadersOf, signedUrl, tokenForms } from './proof-request';
import {
  verifyProof,
  type ProofFailure,
  type ProofMatch,
  type ProofRequest,
} from './proof-verifier';

export interface ProofCheckRequest {
  /** The request target exactly as received (`request.raw.url`). */
  requestTarget: string;
  headers: IncomingHttpHeaders;
  /** The app the access token was minted for (VerifiedToken.app). */
  app?: string;
  /** The access token the token guard verified (decoded from the query). */
  accessToken?: string;
}

export type ProofOutcome =
  | {
      ok: true;
      app?: string;
      /** verified: a valid proof; unsigned: the app's discovery has no keys; disabled: checking is off. */
      via: 'verified' | 'unsigned' | 'disabled' | 'no-apps';
      match?: ProofMatch;
      keyId?: string;
    }
  | { ok: false; app?: string; reason: ProofRefusal; detail: string };

/**
 * The proof-key rule for WOPI requests. The token's app decides: when its proof checking is on and
 * its discovery has keys, the request must carry a valid proof. A failing signature (or missing
 * proof) refetches the discovery (rate-limited) and is checked once more, which covers key rotation
 * and an editor that stopped signing. A token without an app (minted by hand) is checked against
 * every configured app: it passes when any of them does not sign, else one must verify it.
 */
@Injectable()
export class ProofCheckService {
  constructor(
    private readonly config: AppConfig,
    private readonly discovery: DiscoveryService,
    private readonly clock: Clock,
  ) {}

  async check(request: ProofCheckRequest): Promise<ProofOutcome> {
    if (this.config.apps.length === 0) {
      return { ok: true, via: 'no-apps' };
    }
    let candidates: EditorAppSettings[];
    if (request.app !== undefined && request.app !== '') {
      const settings = this.discovery.settings(request.app);
      if (!settings) {
        return {
          ok: false,
          app: request.app,
          reason: 'unknown-app',
          detail: `the token is for ${JSON.stringify(request.app)}, which is not configured`,
        };
      }
      candidates = [settings];
    } else {
      candidates = this.config.apps;
    }
    const signing: [EditorAppSettings, AppDiscovery, ProofKeys][] = [];
    const missing: string[] = [];
    for (const app of candidates) {
      const discovery = this.discovery.forApp(app.name);
      if (app.proofDisable || !discovery) {
        return { ok: true, app: app.name, via: 'disabled' };
      }
      const document = discovery.current() ?? (await discovery.ensure());
      if (!document) {
        missing.push(app.name);
      } else if (!document.proofKeys) {
        return { ok: true, app: app.name, via: 'unsigned' };
      } else {
        signing.push([app, discovery, document.proofKeys]);
      }
    }
    const proof: ProofRequest = {
      tokens: tokenForms(request.requestTarget, request.accessToken),
      url: signedUrl(new URL(this.config.wopi.src).origin, request.requestTarget),
      headers: proofHeadersOf(request.headers),
    };
    let firstFailure: ProofOutcome | undefined;
    for (const [app, discovery, keys] of signing) {
      const outcome = await this.verify(app.name, discovery, keys, proof);
      if (outcome.ok) {
        return outcome;
      }
      firstFailure ??= outcome;
    }
    return (
      firstFailure ?? {
        ok: false,
        app: missing.join(','),
        reason: 'no-discovery',
        detail: `the discovery of ${missing.join(', ')} has not answered yet, so its keys are unknown`,
      }
    );
  }

  private async verify(
    app: string,
    discovery: AppDiscovery,
    keys: ProofKeys,
    proof: ProofRequest,
  ): Promise<ProofOutcome> {
    let result = verifyProof(proof, keys, this.clock.now());
    if (
      !result.valid &&
      REFETCH_ON.has(result.reason) &&
      (await discovery.refreshAfterProofFailure())
    ) {
      const renewed = discovery.current()?.proofKeys;
      if (!renewed) {
        return { ok: true, app, via: 'unsigned' };
      }
      result = verifyProof(proof, renewed, this.clock.now());
    }
    if (!result.valid) {
      return { ok: false, app, reason: result.reason, detail: result.detail };
    }
    if (result.match !== 'proof-current') {
      // Only one side matched our current key: the editor has rotated; learn its new keys.
      void discovery.refreshAfterProofFailure();
    }
    return { ok: true, app, via: 'verified', match: result.match, keyId: result.keyId };
  }
}

/** Failures a newer discovery can cure: rotated keys, or an editor that stopped signing. */
const REFETCH_ON = new Set<ProofFailure>([
  'signature-mismatch',
  'missing-proof',
  'missing-timestamp',
]);
