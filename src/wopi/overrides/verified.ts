import type { VerifiedToken } from '../../tokens/access-token.types';
import type { WopiRequestContext } from '../wopi-request-context';

/** The context of a request whose access token was verified. */
export type VerifiedContext = WopiRequestContext & { token: VerifiedToken };
