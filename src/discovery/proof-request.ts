import type { IncomingHttpHeaders } from 'node:http';
import type { ProofHeaders } from './proof-verifier';

/**
 * The URL an editor signed: our public origin (from COLLABORATION_WOPI_SRC, because behind a reverse
 * proxy the Host we see is not the one the editor used) followed by the request target exactly as
 * received, percent-encoding and every query parameter included.
 */
export function signedUrl(publicOrigin: string, requestTarget: string): string {
  let target = requestTarget;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) {
    const afterScheme = target.indexOf('//') + 2;
    const pathStart = target.indexOf('/', afterScheme);
    target = pathStart < 0 ? '/' : target.slice(pathStart);
  }
  return `${publicOrigin.replace(/\/+$/, '')}${target.startsWith('/') ? '' : '/'}${target}`;
}

/** The value of a query parameter exactly as it appears in the request target (not decoded). */
export function rawQueryParam(requestTarget: string, name: string): string | undefined {
  const queryStart = requestTarget.indexOf('?');
  if (queryStart < 0) {
    return undefined;
  }
  const hashStart = requestTarget.indexOf('#', queryStart);
  const query = requestTarget.slice(queryStart + 1, hashStart < 0 ? undefined : hashStart);
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    if ((eq < 0 ? pair : pair.slice(0, eq)) === name) {
      return eq < 0 ? '' : pair.slice(eq + 1);
    }
  }
  return undefined;
}

/**
 * The forms in which an editor may have signed the access token: as it appears in the URL
 * (Microsoft's published vectors), decoded (Collabora), and the one the token guard verified.
 * Our own tokens are URL-safe, so usually all forms are the same string.
 */
export function tokenForms(requestTarget: string, verified?: string): string[] {
  const forms: string[] = [];
  const raw = rawQueryParam(requestTarget, 'access_token');
  if (raw !== undefined) {
    forms.push(raw);
    const decoded = decodeOrUndefined(raw);
    if (decoded !== undefined) {
      forms.push(decoded);
    }
  }
  if (verified !== undefined) {
    forms.push(verified);
  }
  return [...new Set(forms)];
}

export function proofHeadersOf(headers: IncomingHttpHeaders): ProofHeaders {
  const one = (name: string): string | undefined => {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const timestamp = one('x-wopi-timestamp');
  const proof = one('x-wopi-proof');
  const proofOld = one('x-wopi-proofold');
  return {
    ...(timestamp !== undefined ? { timestamp } : {}),
    ...(proof !== undefined ? { proof } : {}),
    ...(proofOld !== undefined ? { proofOld } : {}),
  };
}

function decodeOrUndefined(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}
