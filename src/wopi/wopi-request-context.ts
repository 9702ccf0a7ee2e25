import type { IncomingMessage } from 'node:http';
import { UnauthorizedError } from '../common/errors/app-error';
import type { VerifiedToken } from '../tokens/access-token.types';
import type { WopiEndpoint, WopiOperation } from './wopi-operation';
import type { WopiOperationDetails } from './wopi-operation-record';

/**
 * Everything known about one WOPI request, attached to the request by WopiAuthGuard before anything
 * else runs. Later guards (proof keys), the interceptor, the services and the exception filter read
 * and extend this one object.
 */
export interface WopiRequestContext {
  operation: WopiOperation;
  endpoint: WopiEndpoint;
  /** The file id of the request path (a file, or a template on /wopi/templates). */
  fileId: string;
  /** The `access_token` query value, URL-decoded: the token that is verified. */
  accessToken: string | undefined;
  /** The `access_token` query value exactly as it appears in the URL (still percent-encoded). */
  rawAccessToken: string | undefined;
  /** Path and query exactly as received (what editors sign, after the public origin). */
  rawUrl: string;
  /** The verified token; set once verification passed. */
  token?: VerifiedToken;
  requestId?: string;
  clientAddress?: string;
  forwardedFor?: string;
  startedAt: number;
  /** Filled by the services as they learn things (file, lock ids, editor flags...). */
  details: WopiOperationDetails;
  /** Set once the operation has been recorded, so it is recorded exactly once. */
  recorded: boolean;
  /** Every byte a streamed body (GetFile, GetTemplate) announced was handed to the response. */
  bodySent?: boolean;
}

const contexts = new WeakMap<IncomingMessage, WopiRequestContext>();

export function attachWopiContext(req: IncomingMessage, context: WopiRequestContext): void {
  contexts.set(req, context);
}

/** The context of a WOPI request (undefined before WopiAuthGuard ran or on other routes). */
export function wopiContextOf(req: IncomingMessage): WopiRequestContext | undefined {
  return contexts.get(req);
}

/** The context of a request that passed WopiAuthGuard. */
export function verifiedContextOf(
  req: IncomingMessage,
): WopiRequestContext & { token: VerifiedToken } {
  const context = contexts.get(req);
  if (context?.token === undefined) {
    throw new UnauthorizedError('the request has no verified access token');
  }
  return context as WopiRequestContext & { token: VerifiedToken };
}

/**
 * The `access_token` query parameter of a raw URL: as written (percent-encoded) and decoded. The
 * first occurrence wins.
 */
export function accessTokenParam(
  rawUrl: string,
): { raw: string; value: string | undefined } | undefined {
  const queryStart = rawUrl.indexOf('?');
  if (queryStart < 0) {
    return undefined;
  }
  for (const pair of rawUrl.slice(queryStart + 1).split('&')) {
    if (pair.startsWith('access_token=')) {
      const raw = pair.slice('access_token='.length);
      return { raw, value: decode(raw) };
    }
  }
  return undefined;
}

function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}
