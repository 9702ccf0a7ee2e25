import { Logger } from '@nestjs/common';
import type { HealthReport } from '../storage/storage.types';
import { parseDiscovery } from './discovery.parser';
import type { Discovery } from './discovery.types';

export interface AppDiscoveryOptions {
  /** The app's name, for logs and readiness. */
  name: string;
  /** `{addr}/hosting/discovery`. */
  url: string;
  /** Fetches the document's text; throws when the editor does not answer properly. */
  load: () => Promise<string>;
  /** How long a good copy is used before it is fetched again. */
  refreshInterval: number;
  now?: () => number;
  /** First and longest delay between retries while fetching fails (doubling in between). */
  retryDelay?: { min: number; max: number };
  /** Least time between two refetches caused by failed proofs (at least one per 10 s). */
  proofRefetchGap?: number;
  /** Least time between two refetches caused by readiness probes while there is no copy. */
  probeRefetchGap?: number;
}

export type RefreshReason = 'start' | 'interval' | 'retry' | 'proof' | 'probe' | 'request';

/**
 * One editor's discovery: fetched at start, refreshed on an interval, retried with backoff while the
 * editor is unreachable, refetched at once (rate-limited) when a proof fails. A failed fetch never
 * replaces the last good copy, so a briefly unreachable editor changes nothing.
 */
export class AppDiscovery {
  private readonly logger = new Logger(AppDiscovery.name);
  private readonly now: () => number;
  private document?: Discovery;
  private loadedAt?: number;
  private lastError?: string;
  private lastAttemptAt?: number;
  private lastProofRefetchAt?: number;
  private failures = 0;
  private inflight?: Promise<boolean>;
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(private readonly options: AppDiscoveryOptions) {
    this.now = options.now ?? Date.now;
  }

  get name(): string {
    return this.options.name;
  }

  get url(): string {
    return this.options.url;
  }

  /** The last good copy, if any. */
  current(): Discovery | undefined {
    return this.document;
  }

  /** The last good copy, fetching one first when there is none yet. */
  async ensure(): Promise<Discovery | undefined> {
    if (!this.document) {
      await this.refresh('request');
    }
    return this.document;
  }

  start(): void {
    this.running = true;
    void this.refresh('start');
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Fetches now (joining a fetch in flight); true when that fetch brought a good copy. */
  refresh(reason: RefreshReason): Promise<boolean> {
    this.inflight ??= this.fetchOnce(reason).finally(() => {
      this.inflight = undefined;
      this.schedule();
    });
    return this.inflight;
  }

  /**
   * After a proof failed: refetch (keys may have rotated) unless one was done for that reason within
   * the gap; true when a newer copy may now be in place.
   */
  async refreshAfterProofFailure(): Promise<boolean> {
    const now = this.now();
    const gap = this.options.proofRefetchGap ?? 10_000;
    if (this.lastProofRefetchAt !== undefined && now - this.lastProofRefetchAt < gap) {
      return false;
    }
    this.lastProofRefetchAt = now;
    return this.refresh('proof');
  }

  /** Readiness: down until a copy was loaded once; degraded while refreshing fails. */
  async health(): Promise<HealthReport> {
    if (!this.document) {
      const gap = this.options.probeRefetchGap ?? 1000;
      if (
        this.lastAttemptAt === undefined ||
        this.now() - this.lastAttemptAt >= gap ||
        this.inflight
      ) {
        await this.refresh('probe');
      }
    }
    const details = {
      url: this.url,
      ...(this.loadedAt !== undefined ? { loadedAt: new Date(this.loadedAt).toISOString() } : {}),
      signs: this.document ? this.document.proofKeys !== undefined : undefined,
      ...(this.lastError !== undefined ? { error: this.lastError } : {}),
    };
    if (!this.document) {
      return { status: 'down', ...details };
    }
    return { status: this.lastError === undefined ? 'up' : 'degraded', ...details };
  }

  private async fetchOnce(reason: RefreshReason): Promise<boolean> {
    this.lastAttemptAt = this.now();
    try {
      const next = parseDiscovery(await this.options.load());
      this.report(next, reason);
      this.document = next;
      this.loadedAt = this.now();
      this.lastError = undefined;
      this.failures = 0;
      return true;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (this.failures === 0 || this.lastError !== message) {
        this.logger.warn(
          { app: this.name, url: this.url, reason, error: message, servingCopyFrom: this.loadedAt },
          this.document
            ? `discovery of ${this.name} failed; serving the last good copy`
            : `discovery of ${this.name} failed; the app cannot be used until it answers`,
        );
      }
      this.failures++;
      this.lastError = message;
      return false;
    }
  }

  private report(next: Discovery, reason: RefreshReason): void {
    const keys = next.proofKeys;
    const keyText = keys ? `${keys.current.id}${keys.old ? `/${keys.old.id}` : ''}` : 'none';
    const before = this.document?.proofKeys;
    const beforeText = before
      ? `${before.current.id}${before.old ? `/${before.old.id}` : ''}`
      : 'none';
    if (!this.document || this.lastError !== undefined) {
      this.logger.log(
        { app: this.name, url: this.url, reason, proofKeys: keyText },
        `discovery of ${this.name} loaded (${keys ? 'the app signs its requests' : 'no proof keys: the app does not sign'})`,
      );
    } else if (keyText !== beforeText) {
      this.logger.log(
        { app: this.name, reason, proofKeys: keyText, previous: beforeText },
        `proof keys of ${this.name} changed`,
      );
    }
  }

  private schedule(): void {
    clearTimeout(this.timer);
    if (!this.running) {
      return;
    }
    const retry = this.options.retryDelay ?? { min: 1000, max: 60_000 };
    const delay =
      this.failures === 0
        ? this.options.refreshInterval
        : Math.min(retry.max, retry.min * 2 ** Math.min(this.failures - 1, 20));
    this.timer = setTimeout(() => {
      void this.refresh(this.failures === 0 ? 'interval' : 'retry');
    }, delay);
    this.timer.unref();
  }
}
