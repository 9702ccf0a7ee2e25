import { Injectable } from '@nestjs/common';
import { ForbiddenError, NotFoundError } from '../common/errors/app-error';
import type { VerifiedToken } from '../tokens/access-token.types';
import { CoopsAddressService } from './address/coops-address.service';
import { DMP_ALGORITHM } from './algorithm/dmp';
import { CoopsBadRequestError, UnsupportedProtocolError } from './coops.errors';
import { CoopsMetrics } from './coops.metrics';
import {
  PROTOCOL_VERSION,
  toWire,
  type Extensions,
  type PatchInput,
  type Properties,
  type Revision,
} from './coops.types';
import { CoopsDocument } from './document/coops-document';
import { DocumentsService } from './document/documents.service';
import { toRevisionNumber } from './http/patch-input';
import { RevisionLog } from './log/revision-log.port';
import { SessionsService, type Transport } from './sessions/sessions.service';

export interface LoadResponse {
  revisionNumber: number;
  content: string;
  contentType: string;
  properties: Properties;
}

export interface JoinResponse extends LoadResponse {
  sessionId: string;
  algorithm: string;
  extensions: Extensions;
}

/** Where a request comes from: the file id and capability of its CoOPS address. */
export interface CoopsAddress {
  fileId: string;
  capability: string;
}

/** The CoOPS operations, shared by the REST controller and the WebSocket server. */
@Injectable()
export class CoopsService {
  constructor(
    private readonly address: CoopsAddressService,
    private readonly documents: DocumentsService,
    private readonly sessions: SessionsService,
    private readonly log: RevisionLog,
    private readonly metrics: CoopsMetrics,
  ) {}

  /** The verified token of an address and its document. */
  async access(at: CoopsAddress): Promise<{ token: VerifiedToken; doc: CoopsDocument }> {
    const token = await this.address.verify(at.fileId, at.capability);
    return { token, doc: await this.documents.open(token) };
  }

  async load(at: CoopsAddress, revisionParam: unknown): Promise<LoadResponse> {
    const token = await this.address.verify(at.fileId, at.capability);
    const wanted = revisionParam === undefined ? undefined : toRevisionNumber(revisionParam);
    if (revisionParam !== undefined && wanted === undefined) {
      throw new CoopsBadRequestError(['revisionNumber must be a non-negative integer']);
    }
    const doc = await this.documents.open(token);
    if (wanted === undefined || wanted === doc.revision) {
      return loadOf(doc);
    }
    if (wanted > doc.revision) {
      throw new NotFoundError(`revision ${String(wanted)} does not exist yet`);
    }
    return this.historical(doc, wanted);
  }

  async join(
    at: CoopsAddress,
    algorithms: string[],
    protocolVersion?: string,
  ): Promise<JoinResponse> {
    const token = await this.address.verify(at.fileId, at.capability);
    const reasons: string[] = [];
    if (protocolVersion === undefined || protocolVersion === '') {
      reasons.push('protocolVersion is required');
    }
    if (algorithms.filter((a) => a !== '').length === 0) {
      reasons.push('at least one algorithm is required');
    }
    if (reasons.length > 0) {
      throw new CoopsBadRequestError(reasons);
    }
    if (protocolVersion !== PROTOCOL_VERSION) {
      throw new UnsupportedProtocolError(
        `protocol version ${String(protocolVersion)} is not supported; this server speaks ${PROTOCOL_VERSION}`,
      );
    }
    if (!algorithms.includes(DMP_ALGORITHM)) {
      throw new UnsupportedProtocolError(
        `none of the algorithms ${algorithms.join(', ')} is supported; this server speaks ${DMP_ALGORITHM}`,
      );
    }
    const doc = await this.documents.open(token);
    const session = await this.sessions.join(doc, token, DMP_ALGORITHM);
    const others = [...doc.presence.values()]
      .filter((p) => p.sessionId !== session.sessionId)
      .map((p) => ({ ...p, status: 'OPEN' as const }));
    const response: JoinResponse = {
      sessionId: session.sessionId,
      algorithm: DMP_ALGORITHM,
      ...loadOf(doc),
      extensions: {
        webSocket: this.address.webSocket(at.fileId, at.capability, session.sessionId),
        sessionEvents: others,
        'x-http-method-override': {},
      },
    };
    await this.sessions.started(session, response.revisionNumber);
    return response;
  }

  /** Revisions after the caller's, its own included; undefined when there is nothing new. */
  async update(
    at: CoopsAddress,
    sessionId: unknown,
    revisionParam: unknown,
  ): Promise<Revision[] | undefined> {
    const token = await this.address.verify(at.fileId, at.capability);
    const after = toRevisionNumber(revisionParam);
    if (typeof sessionId !== 'string' || sessionId === '' || after === undefined) {
      throw new CoopsBadRequestError([
        ...(typeof sessionId !== 'string' || sessionId === '' ? ['sessionId is required'] : []),
        ...(after === undefined ? ['revisionNumber must be a non-negative integer'] : []),
      ]);
    }
    const doc = await this.documents.open(token);
    await this.sessions.resolve(doc, token, sessionId);
    const revisions = await this.documents.revisionsAfter(doc, after);
    return revisions.length === 0 ? undefined : revisions.map(toWire);
  }

  /** Applies a patch for a session of this address; throws the domain error a client gets. */
  async patch(at: CoopsAddress, input: PatchInput, transport: Transport): Promise<Revision> {
    try {
      const token = await this.address.verify(at.fileId, at.capability);
      if (token.mode !== 'write') {
        throw new ForbiddenError(`the access token is for ${token.mode} only`);
      }
      const doc = await this.documents.open(token);
      await this.sessions.resolve(doc, token, input.sessionId);
      const revision = await this.documents.patch(doc, input);
      this.metrics.patches.inc({ transport, outcome: 'accepted' });
      return revision;
    } catch (error) {
      this.metrics.patches.inc({ transport, outcome: outcomeOf(error) });
      throw error;
    }
  }

  private async historical(doc: CoopsDocument, wanted: number): Promise<LoadResponse> {
    const snapshot = await this.log.snapshotAtOrBefore(doc.fileId, wanted);
    if (!snapshot) {
      throw new NotFoundError(`revision ${String(wanted)} is no longer kept`);
    }
    const past = new CoopsDocument(doc.fileId, doc.ref, doc.name, doc.contentType, snapshot);
    for (const revision of await this.log.read(doc.fileId, snapshot.revisionNumber)) {
      if (revision.revisionNumber > wanted) {
        break;
      }
      past.apply(revision);
    }
    return loadOf(past);
  }
}

function loadOf(doc: CoopsDocument): LoadResponse {
  return {
    revisionNumber: doc.revision,
    content: doc.content,
    contentType: doc.contentType,
    properties: { ...doc.properties },
  };
}

function outcomeOf(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code.toLowerCase() : 'internal';
}
