import { Logger } from '@nestjs/common';
import { describe, expect, it, vi } from 'vitest';
import type { WopiOperationRecord } from './wopi-operation-record';
import { WopiOperationObserver } from './wopi-operation.observer';

const record = { operation: 'GetFile', outcome: 'ok' } as WopiOperationRecord;

describe(WopiOperationObserver.name, () => {
  it('should hand every record to every listener until it unsubscribes', () => {
    const observer = new WopiOperationObserver();
    const seen: string[] = [];
    const stop = observer.subscribe((r) => {
      seen.push(`a:${r.operation}`);
    });
    observer.subscribe((r) => {
      seen.push(`b:${r.operation}`);
    });
    observer.publish(record);
    stop();
    observer.publish(record);
    expect(seen).toEqual(['a:GetFile', 'b:GetFile', 'b:GetFile']);
  });

  it('should keep going when a listener throws or rejects', async () => {
    const warn = vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const observer = new WopiOperationObserver();
    let reached = 0;
    observer.subscribe(() => {
      throw new Error('sync failure');
    });
    observer.subscribe(() => Promise.reject(new Error('async failure')));
    observer.subscribe(() => {
      reached++;
    });
    expect(() => {
      observer.publish(record);
    }).not.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(reached).toBe(1);
    expect(warn).toHaveBeenCalledTimes(2);
    warn.mockRestore();
  });
});
