import { randomUUID } from 'node:crypto';
import type { SimulatedProduct } from './discovery-document';
import type { PublishedKeys } from './keys';
import { proofHeaders } from './signer';

/** One WOPI request as an editor would make it. */
export interface WopiCall {
  /** The token's WOPISrc (`{COLLABORATION_WOPI_SRC}/wopi/files/{fileId}`). */
  wopiSrc: string;
  /** The access token as handed out. */
  token: string;
  /** '' (CheckFileInfo, overrides) or '/contents' (GetFile, PutFile). */
  path?: '' | '/contents';
  method?: 'GET' | 'POST';
  /** X-WOPI-Override, X-WOPI-Lock... */
  headers?: Record<string, string>;
  body?: Uint8Array | string;
  /** Sign with these keys instead of the editor's own; `false` sends no proof headers at all. */
  signWith?: PublishedKeys | false;
  /** Sign as of this moment (epoch ms) instead of now. */
  at?: number;
  /** Change what was signed before sending it (tampering tests). */
  tamper?: (request: { url: string; headers: Record<string, string> }) => void;
  /** Connect here instead of WOPISrc's origin (a reverse proxy in front of the host). */
  connectTo?: string;
}

export interface PreparedCall {
  /** The URL the editor signed and requests (on WOPISrc's origin). */
  url: string;
  /** Where the request really goes. */
  target: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: Uint8Array | string;
}

/**
 * Makes WOPI requests the way a product's editor does: its URL form, its headers (Authorization for
 * Collabora and Microsoft, X-COOL-WOPI-ServerId, X-WOPI-CorrelationId...) and its proof signatures.
 */
export class WopiClientSimulator {
  constructor(
    readonly product: SimulatedProduct,
    /** The keys the editor signs with now; undefined when it does not sign. */
    private readonly keys: () => PublishedKeys | undefined,
  ) {}

  prepare(call: WopiCall): PreparedCall {
    const url = `${call.wopiSrc}${call.path ?? ''}?access_token=${encodeURIComponent(call.token)}${
      this.product === 'Microsoft' ? '&access_token_ttl=0' : ''
    }`;
    const headers: Record<string, string> = { ...this.productHeaders(call.token), ...call.headers };
    const keys = call.signWith ?? this.keys();
    if (keys) {
      Object.assign(
        headers,
        proofHeaders({
          product: this.product,
          url,
          token: call.token,
          keys,
          ...(call.at !== undefined ? { at: call.at } : {}),
        }),
      );
    }
    const prepared = { url, headers };
    call.tamper?.(prepared);
    const target =
      call.connectTo === undefined
        ? prepared.url
        : `${call.connectTo.replace(/\/+$/, '')}${prepared.url.slice(new URL(prepared.url).origin.length)}`;
    return {
      url: prepared.url,
      target,
      method: call.method ?? 'GET',
      headers: prepared.headers,
      ...(call.body !== undefined ? { body: call.body } : {}),
    };
  }

  async send(call: WopiCall): Promise<Response> {
    const prepared = this.prepare(call);
    return fetch(prepared.target, {
      method: prepared.method,
      headers: prepared.headers,
      ...(prepared.body !== undefined ? { body: prepared.body } : {}),
    });
  }

  private productHeaders(token: string): Record<string, string> {
    switch (this.product) {
      case 'Collabora':
        return {
          Authorization: `Bearer ${token}`,
          'User-Agent': 'COOLWSD HTTP Agent (simulated)',
          'X-COOL-WOPI-ServerId': 'simulated-coolwsd',
        };
      case 'OnlyOffice':
        return {
          'X-WOPI-ClientVersion': '8.3.0.1',
          'X-WOPI-CorrelationId': randomUUID(),
          'X-WOPI-SessionId': 'simulated-session',
        };
      case 'Microsoft':
        return {
          Authorization: `Bearer ${token}`,
          'X-WOPI-CorrelationId': randomUUID(),
          'X-WOPI-SessionId': randomUUID(),
        };
    }
  }
}
