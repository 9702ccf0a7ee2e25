import type { Logger } from '@nestjs/common';

export type Listener<T> = (event: T) => void | Promise<void>;

/**
 * A set of listeners notified of events (WOPI operations, CoOPS sessions…) that can never block or
 * fail the code that notifies them: a listener's error, thrown or rejected, is logged and swallowed.
 */
export class Listeners<T> {
  private readonly listeners = new Set<Listener<T>>();

  constructor(
    private readonly logger: Logger,
    /** Log fields that identify an event when its listener fails. */
    private readonly describe: (event: T) => Record<string, unknown>,
  ) {}

  /** Registers a listener; returns the function that removes it again. */
  subscribe(listener: Listener<T>): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  notify(event: T): void {
    for (const listener of this.listeners) {
      try {
        const result = listener(event);
        if (result instanceof Promise) {
          result.catch((error: unknown) => {
            this.failed(error, event);
          });
        }
      } catch (error) {
        this.failed(error, event);
      }
    }
  }

  private failed(error: unknown, event: T): void {
    this.logger.warn({ err: error, ...this.describe(event) }, 'an event listener failed');
  }
}
