import {
  Injectable,
  Logger,
  Optional,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { CoopsSessionEvents } from '../coops/sessions/coops-session-events';
import { HealthRegistry } from '../health/health-registry';
import type { WopiOperationRecord } from '../wopi/wopi-operation-record';
import { WopiOperationObserver } from '../wopi/wopi-operation.observer';
import { closedEvent, coopsSessionEvent, openedEvent, operationEvent } from './audit-events';
import { AuditSink } from './audit-sink.port';
import { EditorSessions } from './editor-sessions.service';
import { sessionOpenedBy } from './editor-sessions.types';
import { sessionActivityOf } from './wopi-session-activity';

/**
 * Turns answered WOPI requests into audit events: each request goes through the editor-session
 * tracker first, then its events go to the sink in the session's order (opened, the operation,
 * closed). Idle closes come from the tracker's sweep. Nothing here runs in a request's path.
 */
@Injectable()
export class AuditService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(AuditService.name);
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    private readonly observer: WopiOperationObserver,
    private readonly sessions: EditorSessions,
    private readonly sink: AuditSink,
    @Optional() private readonly health?: HealthRegistry,
    @Optional() private readonly coops?: CoopsSessionEvents,
  ) {}

  onModuleInit(): void {
    // Degraded (never down) while NATS is away: audit must not take the service out of rotation.
    this.health?.register('audit', async () => {
      const [sink, sessions] = await Promise.all([this.sink.health(), this.sessions.health()]);
      const status = sink.status === 'up' && sessions.status === 'up' ? 'up' : 'degraded';
      return { status, sink, sessions };
    });
    this.unsubscribe.push(
      this.observer.subscribe((record) => this.onRecord(record)),
      this.sessions.onIdleClosed((closed) => {
        this.sink.emit(closedEvent(closed));
      }),
    );
    if (this.coops) {
      this.unsubscribe.push(
        this.coops.subscribe((event) => {
          this.sink.emit(coopsSessionEvent(event));
        }),
      );
    }
  }

  onModuleDestroy(): void {
    for (const unsubscribe of this.unsubscribe.splice(0)) {
      unsubscribe();
    }
  }

  async onRecord(record: WopiOperationRecord): Promise<void> {
    const activity = sessionActivityOf(record);
    if (!activity) {
      return;
    }
    let transition;
    try {
      transition = await this.sessions.track(activity);
    } catch (error) {
      this.logger.debug({ error: String(error) }, 'session not tracked (stopping)');
      transition = {};
    }
    if (transition.opened) {
      this.sink.emit(openedEvent(transition.opened, record.requestId));
    }
    const session = transition.session ?? sessionOpenedBy(activity);
    const operation = operationEvent(record, session);
    if (operation) {
      this.sink.emit(operation);
    }
    if (transition.closed) {
      this.sink.emit(closedEvent(transition.closed, record.requestId));
    }
  }
}
