import { Injectable, Logger } from '@nestjs/common';
import type { WopiOperationRecord } from './wopi-operation-record';

export type WopiOperationListener = (record: WopiOperationRecord) => void | Promise<void>;

/**
 * The one subscription point for WOPI operation records (audit, usage statistics...). Listeners are
 * called after the answer is decided, never block the request and cannot fail it: errors are
 * logged and swallowed.
 */
@Injectable()
export class WopiOperationObserver {
  private readonly logger = new Logger(WopiOperationObserver.name);
  private readonly listeners = new Set<WopiOperationListener>();

  /** Registers a listener; returns the function that removes it again. */
  subscribe(listener: WopiOperationListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  publish(record: WopiOperationRecord): void {
    for (const listener of this.listeners) {
      try {
        const result = listener(record);
        if (result instanceof Promise) {
          result.catch((error: unknown) => {
            this.failed(error, record);
          });
        }
      } catch (error) {
        this.failed(error, record);
      }
    }
  }

  private failed(error: unknown, record: WopiOperationRecord): void {
    this.logger.warn(
      { err: error, requestId: record.requestId, operation: record.operation },
      'a WOPI operation listener failed',
    );
  }
}
