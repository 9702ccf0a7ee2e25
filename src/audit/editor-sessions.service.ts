import { Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Listeners, type Listener } from '../common/events/listeners';
import type { HealthReport } from '../storage/storage.types';
import { type EditorSessionStore, type StoredEditorSession } from './editor-sessions-store.port';
import {
  sessionOpenedBy,
  type ClosedEditorSession,
  type EditorSession,
  type SessionActivity,
  type SessionTransition,
} from './editor-sessions.types';

export interface EditorSessionsOptions {
  /** A session with no request for this long is closed (COLLABORATION_AUDIT_IDLE_CLOSE). */
  idleMs: number;
  /** How often open sessions are checked for idleness; default idle/4, within 250 ms–30 s. */
  sweepEveryMs?: number;
  /** A request refreshes the stored "last seen" only when it moved by this much; default idle/20, at most 30 s. */
  touchEveryMs?: number;
  /** First back-off while the store is unreachable (doubles up to 5 s). */
  retryMs?: number;
  now?: () => number;
}

const MAX_RETRY_MS = 5000;
const MAX_CAS_ROUNDS = 20;

class StoppedError extends Error {}

/**
 * The open editor sessions of the whole deployment, one per access-token session id. The first
 * request of a session opens it, every request touches it, and it closes at the unlock that ends
 * an edit or after the idle time, whichever comes first. Opening and closing are compare-and-set
 * writes in the store, so they happen once across replicas: only the replica that wins reports
 * `opened`/`closed`. Activities of one session are applied in order; while the store is
 * unreachable they wait and are retried with back-off (never in a request's path).
 */
export class EditorSessions implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(EditorSessions.name);
  private readonly closedListeners = new Listeners<ClosedEditorSession>(this.logger, (closed) => ({
    sessionId: closed.session.sessionId,
  }));
  /** Per session: the tail of its queue of pending activities. */
  private readonly queues = new Map<string, Promise<unknown>>();
  /** What this replica last wrote or read per session, to skip writes that change nothing. */
  private readonly known = new Map<string, StoredEditorSession>();
  private readonly now: () => number;
  private sweeper?: NodeJS.Timeout;
  private sweeping = false;
  private stopped = false;
  private unreachableSince?: number;

  constructor(
    private readonly store: EditorSessionStore,
    private readonly options: EditorSessionsOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  get shared(): boolean {
    return this.store.shared;
  }

  onModuleInit(): void {
    const every =
      this.options.sweepEveryMs ?? Math.min(30_000, Math.max(250, this.options.idleMs / 4));
    this.sweeper = setInterval(() => {
      void this.sweep();
    }, every);
    this.sweeper.unref();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearInterval(this.sweeper);
  }

  /** The open sessions, oldest first. Throws while a shared store is unreachable. */
  async list(): Promise<EditorSession[]> {
    const stored = await this.store.list();
    return stored
      .map((entry) => entry.session)
      .sort(
        (a, b) => a.openedAt.localeCompare(b.openedAt) || a.sessionId.localeCompare(b.sessionId),
      );
  }

  /** One open session, or undefined. */
  async get(sessionId: string): Promise<EditorSession | undefined> {
    return (await this.store.get(sessionId))?.session;
  }

  /** Called with each session closed for idleness (once across replicas). */
  onIdleClosed(listener: Listener<ClosedEditorSession>): () => void {
    return this.closedListeners.subscribe(listener);
  }

  /**
   * Applies one answered request to its session: opens, touches or (when it ends the session)
   * closes it. Resolves after the shared state was updated, in the order of the calls for a
   * session; rejects only when the service stops first.
   */
  track(activity: SessionActivity): Promise<SessionTransition> {
    return this.enqueue(activity.sessionId, () => this.apply(activity));
  }

  /** Closes the sessions idle for longer than the idle time; returns those this replica closed. */
  async sweep(): Promise<ClosedEditorSession[]> {
    if (this.sweeping || this.stopped) {
      return [];
    }
    this.sweeping = true;
    try {
      const deadline = this.now() - this.options.idleMs;
      const stored = await this.store.list();
      this.forgetGone(new Set(stored.map((entry) => entry.session.sessionId)));
      const idle = stored.filter((entry) => Date.parse(entry.session.lastSeen) <= deadline);
      const closed: ClosedEditorSession[] = [];
      for (const entry of idle) {
        const result = await this.enqueue(entry.session.sessionId, () => this.expire(entry));
        if (result) {
          closed.push(result);
          this.closedListeners.notify(result);
        }
      }
      return closed;
    } catch (error) {
      this.logger.debug({ error: String(error) }, 'editor session sweep failed; retrying later');
      return [];
    } finally {
      this.sweeping = false;
    }
  }

  health(): Promise<HealthReport> {
    return this.store.health();
  }

  private enqueue<T>(sessionId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(sessionId) ?? Promise.resolve();
    const next = previous.then(work);
    const tail = next.catch(() => undefined);
    this.queues.set(sessionId, tail);
    void tail.then(() => {
      if (this.queues.get(sessionId) === tail) {
        this.queues.delete(sessionId);
      }
    });
    return next;
  }

  /** Runs `step` until the store answers, backing off while it is unreachable. */
  private async apply(activity: SessionActivity): Promise<SessionTransition> {
    let wait = this.options.retryMs ?? 250;
    for (;;) {
      if (this.stopped) {
        throw new StoppedError('editor sessions stopped');
      }
      try {
        const transition = await this.step(activity);
        this.reachable();
        return transition;
      } catch (error) {
        this.unreachable(error);
        await delay(wait);
        wait = Math.min(wait * 2, MAX_RETRY_MS);
      }
    }
  }

  private async step(activity: SessionActivity): Promise<SessionTransition> {
    const id = activity.sessionId;
    const cached = this.known.get(id);
    if (!activity.ends && cached && !this.worthWriting(cached.session, activity)) {
      return { session: cached.session };
    }
    for (let round = 0; round < MAX_CAS_ROUNDS; round += 1) {
      const stored = await this.store.get(id);
      if (!stored) {
        if (activity.ends) {
          this.known.delete(id);
          return {};
        }
        const session = sessionOpenedBy(activity);
        const revision = await this.store.create(session);
        if (revision !== undefined) {
          this.known.set(id, { session, revision });
          return { session, opened: session };
        }
        continue;
      }
      const session = touched(stored.session, activity);
      if (activity.ends) {
        if (await this.store.remove(id, stored.revision)) {
          this.known.delete(id);
          return {
            session,
            closed: { session, reason: 'unlock', closedAt: activity.at.toISOString() },
          };
        }
        continue;
      }
      const revision = await this.store.update(session, stored.revision);
      if (revision !== undefined) {
        this.known.set(id, { session, revision });
        return { session };
      }
    }
    throw new Error(`editor session ${id}: too many concurrent writes`);
  }

  private async expire(entry: StoredEditorSession): Promise<ClosedEditorSession | undefined> {
    if (!(await this.store.remove(entry.session.sessionId, entry.revision))) {
      return undefined;
    }
    this.known.delete(entry.session.sessionId);
    return { session: entry.session, reason: 'idle', closedAt: new Date(this.now()).toISOString() };
  }

  /** Drops what this replica remembers of sessions another replica closed (no pending work). */
  private forgetGone(open: Set<string>): void {
    for (const id of this.known.keys()) {
      if (!open.has(id) && !this.queues.has(id)) {
        this.known.delete(id);
      }
    }
  }

  private worthWriting(session: EditorSession, activity: SessionActivity): boolean {
    const every = this.options.touchEveryMs ?? Math.min(30_000, this.options.idleMs / 20);
    return (
      activity.at.getTime() - Date.parse(session.lastSeen) >= every ||
      (activity.path !== undefined && activity.path !== session.path)
    );
  }

  private reachable(): void {
    if (this.unreachableSince !== undefined) {
      this.logger.log('editor session store reachable again');
      this.unreachableSince = undefined;
    }
  }

  private unreachable(error: unknown): void {
    if (this.unreachableSince === undefined) {
      this.unreachableSince = this.now();
      this.logger.warn(
        { error: String(error) },
        'editor session store unreachable; retrying with back-off',
      );
    }
  }
}

function touched(session: EditorSession, activity: SessionActivity): EditorSession {
  const at = activity.at.toISOString();
  return {
    ...session,
    ...(activity.path !== undefined ? { path: activity.path } : {}),
    ...(session.resourceId === undefined && activity.resourceId
      ? { resourceId: activity.resourceId }
      : {}),
    lastSeen: at > session.lastSeen ? at : session.lastSeen,
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
