import { Injectable, Logger } from '@nestjs/common';
import { Listeners, type Listener } from '../../common/events/listeners';

/** Something that happened to a CoOPS session; the audit publishes it (AuditService). */
export interface CoopsSessionEvent {
  type: 'opened' | 'closed';
  fileId: string;
  sessionId: string;
  /** `idp/opaqueId` of the session's user. */
  userKey: string;
  displayName: string;
  /** Why a session closed: the client left, went idle, or its socket closed. */
  reason?: 'left' | 'idle' | 'socket';
  /** Epoch ms. */
  at: number;
}

export type CoopsSessionListener = Listener<CoopsSessionEvent>;

/**
 * The hook for session events (audit subscribes). SessionsService raises every event here, once per
 * cluster: only the replica whose presence revision landed in the log raises it.
 */
@Injectable()
export class CoopsSessionEvents {
  private readonly logger = new Logger(CoopsSessionEvents.name);
  private readonly listeners = new Listeners<CoopsSessionEvent>(this.logger, (event) => ({
    type: event.type,
    fileId: event.fileId,
    sessionId: event.sessionId,
  }));

  subscribe(listener: CoopsSessionListener): () => void {
    return this.listeners.subscribe(listener);
  }

  raise(event: CoopsSessionEvent): void {
    this.logger.debug({ ...event }, `CoOPS session ${event.type}`);
    this.listeners.notify(event);
  }
}
