import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNatsServer, type NatsServerHandle } from '../../test/support/nats-server';
import { AppConfig } from '../config/app-config';
import { HealthRegistry } from '../health/health-registry';
import { NatsService } from '../nats/nats.service';
import { MemoryEditorSessionStore } from './editor-sessions-store.memory';
import { NatsKvEditorSessionStore } from './editor-sessions-store.nats-kv';
import type { EditorSessionStore } from './editor-sessions-store.port';
import { EditorSessions } from './editor-sessions.service';
import type { SessionActivity } from './editor-sessions.types';

const IDLE = 60_000;
const T0 = Date.parse('2026-01-01T10:00:00.000Z');

function activity(
  sessionId: string,
  offsetMs: number,
  extra: Partial<SessionActivity> = {},
): SessionActivity {
  return {
    sessionId,
    fileId: `file-of-${sessionId}`,
    resourceId: { storageId: 's', spaceId: 'sp', opaqueId: 'o' },
    path: '/docs/report.docx',
    user: {
      id: { idp: 'https://idp', opaqueId: 'alice' },
      username: 'alice',
      displayName: 'Alice',
    },
    app: 'Collabora',
    mode: 'write',
    clientAddress: '10.0.0.7',
    at: new Date(T0 + offsetMs),
    ...extra,
  };
}

function tracker(store: EditorSessionStore, clock: { now: number }): EditorSessions {
  return new EditorSessions(store, {
    idleMs: IDLE,
    touchEveryMs: 0,
    retryMs: 20,
    now: () => clock.now,
  });
}

describe(EditorSessions.name, () => {
  it('should open a session on its first request and list it until the unlock closes it', async () => {
    const clock = { now: T0 };
    const sessions = tracker(new MemoryEditorSessionStore(), clock);
    const first = await sessions.track(activity('s1', 0));
    expect(first.opened).toMatchObject({ sessionId: 's1', fileId: 'file-of-s1', mode: 'write' });
    const second = await sessions.track(activity('s1', 1000, { path: '/docs/renamed.docx' }));
    expect(second.opened).toBeUndefined();
    expect(await sessions.list()).toEqual([
      {
        sessionId: 's1',
        fileId: 'file-of-s1',
        resourceId: { storageId: 's', spaceId: 'sp', opaqueId: 'o' },
        path: '/docs/renamed.docx',
        user: {
          id: { idp: 'https://idp', opaqueId: 'alice' },
          username: 'alice',
          displayName: 'Alice',
        },
        app: 'Collabora',
        mode: 'write',
        clientAddress: '10.0.0.7',
        openedAt: '2026-01-01T10:00:00.000Z',
        lastSeen: '2026-01-01T10:00:01.000Z',
      },
    ]);
    const end = await sessions.track(activity('s1', 2000, { ends: true }));
    expect(end.closed).toMatchObject({ reason: 'unlock', closedAt: '2026-01-01T10:00:02.000Z' });
    expect(end.closed?.session.lastSeen).toBe('2026-01-01T10:00:02.000Z');
    expect(await sessions.list()).toEqual([]);
    const again = await sessions.track(activity('s1', 3000, { ends: true }));
    expect(again).toEqual({});
  });

  it('should close a session once it had no request for the idle time', async () => {
    const clock = { now: T0 };
    const sessions = tracker(new MemoryEditorSessionStore(), clock);
    const closed: string[] = [];
    sessions.onIdleClosed((c) => {
      closed.push(`${c.session.sessionId}:${c.reason}`);
    });
    await sessions.track(activity('s1', 0));
    await sessions.track(activity('s2', 30_000));
    clock.now = T0 + IDLE - 1;
    expect(await sessions.sweep()).toEqual([]);
    clock.now = T0 + IDLE + 1;
    const swept = await sessions.sweep();
    expect(swept.map((c) => c.session.sessionId)).toEqual(['s1']);
    expect(swept[0]?.closedAt).toBe(new Date(T0 + IDLE + 1).toISOString());
    expect(closed).toEqual(['s1:idle']);
    expect((await sessions.list()).map((s) => s.sessionId)).toEqual(['s2']);
    const back = await sessions.track(activity('s1', IDLE + 5000));
    expect(back.opened?.openedAt).toBe(new Date(T0 + IDLE + 5000).toISOString());
  });

  it('should apply the activities of one session in call order', async () => {
    const sessions = tracker(new MemoryEditorSessionStore(), { now: T0 });
    const order: string[] = [];
    const results = await Promise.all(
      [0, 1, 2, 3].map((i) =>
        sessions.track(activity('s1', i * 1000, { ends: i === 3 })).then((t) => {
          order.push(`${String(i)}${t.opened ? ':opened' : ''}${t.closed ? ':closed' : ''}`);
          return t;
        }),
      ),
    );
    expect(order).toEqual(['0:opened', '1', '2', '3:closed']);
    expect(results[3]?.closed?.session.lastSeen).toBe(new Date(T0 + 3000).toISOString());
  });

  it('should skip writes that only move last-seen by less than the touch interval', async () => {
    const store = new MemoryEditorSessionStore();
    const sessions = new EditorSessions(store, { idleMs: IDLE, touchEveryMs: 5000 });
    await sessions.track(activity('s1', 0));
    await sessions.track(activity('s1', 1000));
    expect((await sessions.get('s1'))?.lastSeen).toBe(new Date(T0).toISOString());
    await sessions.track(activity('s1', 6000));
    expect((await sessions.get('s1'))?.lastSeen).toBe(new Date(T0 + 6000).toISOString());
  });

  describe('shared in NATS KV', () => {
    let nats: NatsServerHandle;

    beforeAll(async () => {
      nats = await startNatsServer();
    });

    afterAll(async () => {
      await nats.dispose();
    });

    function replicas(count: number, clock: { now: number }) {
      const config = new AppConfig();
      config.nats.url = nats.url;
      const services = Array.from({ length: count }, () => {
        const service = new NatsService(config, new HealthRegistry());
        service.onModuleInit();
        return service;
      });
      const trackers = services.map((service) =>
        tracker(new NatsKvEditorSessionStore(service), clock),
      );
      return {
        trackers,
        close: () => Promise.all(services.map((service) => service.onApplicationShutdown())),
      };
    }

    it('should open and close a session once when replicas race on it', async () => {
      const clock = { now: T0 };
      const { trackers, close } = replicas(3, clock);
      try {
        const opened = await Promise.all(trackers.map((t, i) => t.track(activity('race', i))));
        expect(opened.filter((t) => t.opened).length).toBe(1);
        const listed = await trackers[2]?.list();
        expect(listed?.map((s) => [s.sessionId, s.lastSeen])).toEqual([
          ['race', new Date(T0 + 2).toISOString()],
        ]);
        const ended = await Promise.all(
          trackers.map((t, i) => t.track(activity('race', 10 + i, { ends: true }))),
        );
        expect(ended.filter((t) => t.closed).length).toBe(1);
        expect(await trackers[0]?.list()).toEqual([]);
        // A replica that did not close it forgets it at its next sweep: a later request reopens.
        await Promise.all(trackers.map((t) => t.sweep()));
        const reopened = await Promise.all(
          trackers.map((t, i) => t.track(activity('race', 20 + i))),
        );
        expect(reopened.filter((t) => t.opened).length).toBe(1);
      } finally {
        await close();
      }
    });

    it('should let exactly one replica close an idle session', async () => {
      const clock = { now: T0 };
      const { trackers, close } = replicas(3, clock);
      try {
        await trackers[0]?.track(activity('idle', 0));
        clock.now = T0 + IDLE + 1;
        const swept = await Promise.all(trackers.map((t) => t.sweep()));
        expect(swept.flat().map((c) => `${c.session.sessionId}:${c.reason}`)).toEqual([
          'idle:idle',
        ]);
      } finally {
        await close();
      }
    });

    it('should wait for NATS to come back and then apply what happened meanwhile', async () => {
      const clock = { now: T0 };
      const { trackers, close } = replicas(1, clock);
      const sessions = trackers[0]!;
      try {
        await sessions.track(activity('outage', 0));
        await nats.stop();
        const during = sessions.track(activity('outage', 1000, { path: '/docs/during.docx' }));
        const ending = sessions.track(activity('outage', 2000, { ends: true }));
        await new Promise((resolve) => setTimeout(resolve, 300));
        await nats.start();
        expect((await during).session?.path).toBe('/docs/during.docx');
        expect((await ending).closed?.reason).toBe('unlock');
        expect((await sessions.list()).map((s) => s.sessionId)).not.toContain('outage');
      } finally {
        await close();
      }
    });
  });
});
