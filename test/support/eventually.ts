import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Polls `probe` until `ok` holds or `timeoutMs` passed, and returns the last value either way (the
 * caller asserts on it): for state that changes in the background (readiness, log lines, a
 * reconnect).
 */
export async function eventually<T>(
  probe: () => T | Promise<T>,
  ok: (value: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (ok(value) || Date.now() > deadline) {
      return value;
    }
    await sleep(100);
  }
}
