/** Domain and wire types of CoOPS 1.0.0 (see README.md and ../shared/reference/coops.md). */

export const PROTOCOL_VERSION = '1.0.0';

export type Properties = Record<string, string>;
export type Extensions = Record<string, unknown>;

/**
 * One accepted change. Exactly what /update lists and WebSocket `update` messages carry: `patch` and
 * `checksum` are null without a content change; `properties` and `extensions` hold only this
 * revision's changes, or null.
 */
export interface Revision {
  sessionId: string;
  revisionNumber: number;
  patch: string | null;
  checksum: string | null;
  properties: Properties | null;
  extensions: Extensions | null;
  /** Epoch ms the revision was accepted; kept in the log for the fan-out metric, never sent. */
  at?: number;
}

/** A revision exactly as clients get it. */
export function toWire(revision: Revision): Revision {
  return {
    sessionId: revision.sessionId,
    revisionNumber: revision.revisionNumber,
    checksum: revision.checksum,
    patch: revision.patch,
    properties: revision.properties,
    extensions: revision.extensions,
  };
}

/** Who has a document open, as `sessionEvents` lists them. */
export interface Presence {
  sessionId: string;
  displayName: string;
  email: string;
}

export interface SessionEvent extends Presence {
  status: 'OPEN' | 'CLOSE';
}

/** The whole state of a document at one revision; replay starts from the newest one. */
export interface Snapshot {
  revisionNumber: number;
  content: string;
  properties: Properties;
  presence: Presence[];
}

/** Which revision the stored file holds, and the storage version that write produced. */
export interface SaveMark {
  revisionNumber: number;
  version: string;
}

/** A client session (join), shared by every replica. */
export interface CoopsSession {
  sessionId: string;
  fileId: string;
  /** `idp/opaqueId` of the user the session belongs to. */
  userKey: string;
  displayName: string;
  email: string;
  algorithm: string;
  joinRevision: number;
  /** Last revision a WebSocket of this session was sent; a reconnect continues after it. */
  lastDelivered?: number;
  status: 'open' | 'closed';
  /** Epoch ms of the last request or heartbeat. */
  accessedAt: number;
}

/** What a PATCH (REST or WebSocket) asks for, after validation. */
export interface PatchInput {
  sessionId: string;
  revisionNumber: number;
  patch: string | null;
  properties: Properties | null;
  extensions: Extensions | null;
}
