import { Logger } from '@nestjs/common';
import { describe, expect, it, vi } from 'vitest';
import { Listeners } from './listeners';

describe(Listeners.name, () => {
  it('should notify every listener and stop notifying one that unsubscribed', () => {
    const listeners = new Listeners<number>(new Logger('test'), (n) => ({ n }));
    const seen: number[] = [];
    const unsubscribe = listeners.subscribe((n) => {
      seen.push(n);
    });
    listeners.subscribe((n) => {
      seen.push(n * 10);
    });
    listeners.notify(1);
    unsubscribe();
    listeners.notify(2);
    expect(seen).toEqual([1, 10, 20]);
  });

  it('should log and swallow listener errors, thrown or rejected', async () => {
    const logger = new Logger('test');
    const warn = vi.spyOn(logger, 'warn').mockImplementation(() => undefined);
    const listeners = new Listeners<string>(logger, (event) => ({ event }));
    const after = vi.fn();
    listeners.subscribe(() => {
      throw new Error('thrown');
    });
    listeners.subscribe(() => Promise.reject(new Error('rejected')));
    listeners.subscribe(after);
    expect(() => {
      listeners.notify('e1');
    }).not.toThrow();
    expect(after).toHaveBeenCalledWith('e1');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(warn).toHaveBeenCalledTimes(2);
    expect(warn.mock.calls[0]?.[0]).toMatchObject({ event: 'e1' });
  });
});
