import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { discoveryDocument, generateProofKeyPair } from '../../test/support/wopi-client';
import { AppDiscovery, type AppDiscoveryOptions } from './app-discovery';

const first = discoveryDocument({
  product: 'OnlyOffice',
  baseUrl: 'http://one',
  keys: { current: generateProofKeyPair(), old: generateProofKeyPair() },
});
const second = discoveryDocument({
  product: 'OnlyOffice',
  baseUrl: 'http://two',
  keys: { current: generateProofKeyPair(), old: generateProofKeyPair() },
});

/** A loader answering from a script: a document, or an error to throw. */
function scripted(...answers: (string | Error)[]) {
  const calls: number[] = [];
  let last: string | Error = new Error('nothing scripted');
  const load = vi.fn(() => {
    calls.push(Date.now());
    last = answers.shift() ?? last;
    return last instanceof Error ? Promise.reject(last) : Promise.resolve(last);
  });
  return { load, calls };
}

function urlsrcBase(discovery: AppDiscovery): string | undefined {
  return discovery.current()?.netZones[0]?.apps[0]?.actions[0]?.urlsrc.slice(0, 10);
}

describe(AppDiscovery.name, () => {
  let discovery: AppDiscovery | undefined;

  beforeEach(() => {
    vi.useFakeTimers({ now: Date.UTC(2026, 0, 1) });
  });

  afterEach(() => {
    discovery?.stop();
    vi.useRealTimers();
  });

  function create(
    load: () => Promise<string>,
    overrides: Partial<AppDiscoveryOptions> = {},
  ): AppDiscovery {
    discovery = new AppDiscovery({
      name: 'OnlyOffice',
      url: 'http://editor/hosting/discovery',
      load,
      refreshInterval: 3_600_000,
      ...overrides,
    });
    return discovery;
  }

  it('should load at start and refresh on the interval', async () => {
    const { load } = scripted(first, second);
    const app = create(load);
    app.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(urlsrcBase(app)).toBe('http://one');
    await vi.advanceTimersByTimeAsync(3_600_000 - 1);
    expect(load).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(load).toHaveBeenCalledTimes(2);
    expect(urlsrcBase(app)).toBe('http://two');
  });

  it('should keep serving the last good copy while the editor fails, and say so', async () => {
    const { load } = scripted(first, new Error('ECONNREFUSED'), 'not xml', second);
    const app = create(load);
    app.start();
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(load).toHaveBeenCalledTimes(2);
    expect(urlsrcBase(app)).toBe('http://one');
    expect(await app.health()).toMatchObject({ status: 'degraded', error: 'ECONNREFUSED' });
    await vi.advanceTimersByTimeAsync(1000);
    expect(load).toHaveBeenCalledTimes(3);
    expect(urlsrcBase(app)).toBe('http://one');
    await vi.advanceTimersByTimeAsync(2000);
    expect(load).toHaveBeenCalledTimes(4);
    expect(urlsrcBase(app)).toBe('http://two');
    expect(await app.health()).toMatchObject({ status: 'up', signs: true });
  });

  it('should be down until the editor first answers, retrying with growing delays', async () => {
    const { load, calls } = scripted(
      new Error('down'),
      new Error('down'),
      new Error('down'),
      first,
    );
    const app = create(load, { retryDelay: { min: 1000, max: 4000 } });
    app.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(app.current()).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1000 + 2000 + 4000);
    expect(calls.map((t) => t - calls[0]!)).toEqual([0, 1000, 3000, 7000]);
    expect(app.current()).toBeDefined();
  });

  it('should answer a readiness probe by trying again at once when there is no copy', async () => {
    const { load } = scripted(new Error('ECONNREFUSED'), first);
    const app = create(load, { retryDelay: { min: 60_000, max: 60_000 } });
    app.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(await app.health()).toMatchObject({ status: 'down', error: 'ECONNREFUSED' });
    expect(load).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(await app.health()).toMatchObject({ status: 'up' });
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('should fetch on demand for a caller when nothing was loaded yet, sharing one fetch', async () => {
    const { load } = scripted(first);
    const app = create(load);
    const [a, b] = await Promise.all([app.ensure(), app.ensure()]);
    expect(a).toBe(b);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('should refetch after a failed proof at most once per gap', async () => {
    const { load } = scripted(first, second, first);
    const app = create(load, { proofRefetchGap: 10_000 });
    await app.ensure();
    expect(await app.refreshAfterProofFailure()).toBe(true);
    expect(urlsrcBase(app)).toBe('http://two');
    await vi.advanceTimersByTimeAsync(9_999);
    expect(await app.refreshAfterProofFailure()).toBe(false);
    expect(load).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(await app.refreshAfterProofFailure()).toBe(true);
    expect(load).toHaveBeenCalledTimes(3);
  });

  it('should report a refetch that failed, so the proof is not re-checked against the same keys', async () => {
    const { load } = scripted(first, new Error('timeout'));
    const app = create(load);
    await app.ensure();
    expect(await app.refreshAfterProofFailure()).toBe(false);
    expect(app.current()).toBeDefined();
  });

  it('should stop refreshing when stopped', async () => {
    const { load } = scripted(first);
    const app = create(load);
    app.start();
    await vi.advanceTimersByTimeAsync(0);
    app.stop();
    await vi.advanceTimersByTimeAsync(10 * 3_600_000);
    expect(load).toHaveBeenCalledTimes(1);
  });
});
