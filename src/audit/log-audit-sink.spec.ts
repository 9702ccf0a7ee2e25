import { Logger } from '@nestjs/common';
import { describe, expect, it, vi } from 'vitest';
import { LogAuditSink } from './log-audit-sink.adapter';

describe(LogAuditSink.name, () => {
  it('should write each event as one structured log line with the decoded payload', async () => {
    const log = vi.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    try {
      const sink = new LogAuditSink();
      sink.emit({
        id: 'e1',
        type: 'events.FileLocked',
        timestamp: new Date('2026-01-01T00:00:00Z'),
        initiatorId: '',
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
        payload: { Executant: { idp: 'i', opaque_id: 'u' } },
      });
      expect(log).toHaveBeenCalledWith(
        {
          audit: {
            id: 'e1',
            type: 'events.FileLocked',
            timestamp: '2026-01-01T00:00:00.000Z',
            traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
            payload: { Executant: { idp: 'i', opaque_id: 'u' } },
          },
        },
        'events.FileLocked',
      );
      expect(await sink.flush()).toBe(true);
    } finally {
      log.mockRestore();
    }
  });
});
