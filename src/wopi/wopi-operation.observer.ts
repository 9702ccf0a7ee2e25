import { Injectable, Logger } from '@nestjs/common';
import { Listeners, type Listener } from '../common/events/listeners';
import type { WopiOperationRecord } from './wopi-operation-record';

export type WopiOperationListener = Listener<WopiOperationRecord>;

/**
 * The one subscription point for WOPI operation records (audit, usage statistics...). Listeners are
 * called after the answer is decided, never block the request and cannot fail it: errors are
 * logged and swallowed.
 */
@Injectable()
export class WopiOperationObserver {
  private readonly listeners = new Listeners<WopiOperationRecord>(
    new Logger(WopiOperationObserver.name),
    (record) => ({ requestId: record.requestId, operation: record.operation }),
  );

  /** Registers a listener; returns the function that removes it again. */
  subscribe(listener: WopiOperationListener): () => void {
    return this.listeners.subscribe(listener);
  }

  publish(record: WopiOperationRecord): void {
    this.listeners.notify(record);
  }
}
