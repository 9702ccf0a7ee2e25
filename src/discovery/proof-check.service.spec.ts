import { Logger } from '@nestjs/common';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { EditorSimulator, type WopiCall } from '../../test/support/wopi-client';
import { EditorAppSettings } from '../config/app-config';
import { loadConfig } from '../config/config.loader';
import { HealthRegistry } from '../health/health-registry';
import { Clock } from './clock';
import { DiscoveryFetcher } from './discovery-fetcher';
import { DiscoveryService } from './discovery.service';
import { ProofCheckService } from './proof-check.service';

const WOPI_SRC = 'https://wopi.example.com';
const token = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ0ZXN0In0.c2lnbmF0dXJl';
const wopiSrc = `${WOPI_SRC}/wopi/files/0123abcd`;

class TestClock extends Clock {
  offset = 0;
  now(): number {
    return Date.now() + this.offset;
  }
}

interface Setup {
  checks: ProofCheckService;
  discovery: DiscoveryService;
  clock: TestClock;
}

function setup(apps: Partial<EditorAppSettings>[]): Setup {
  const config = loadConfig({
    env: { COLLABORATION_WOPI_SRC: WOPI_SRC, COLLABORATION_LOG_LEVEL: 'silent' },
  });
  config.apps = apps.map((app) => Object.assign(new EditorAppSettings(), app));
  const clock = new TestClock();
  const discovery = new DiscoveryService(
    config,
    new HealthRegistry(),
    new DiscoveryFetcher(),
    clock,
  );
  discovery.onModuleInit();
  return { checks: new ProofCheckService(config, discovery, clock), discovery, clock };
}

/** The check as the guard runs it, for a request an editor prepared. */
async function check(
  s: Setup,
  editor: EditorSimulator,
  call: Partial<WopiCall> = {},
  app?: string,
) {
  const prepared = editor.client().prepare({ wopiSrc, token, ...call });
  return s.checks.check({
    requestTarget: prepared.url.slice(new URL(prepared.url).origin.length),
    headers: Object.fromEntries(
      Object.entries(prepared.headers).map(([k, v]) => [k.toLowerCase(), v]),
    ),
    app: app ?? 'Office',
    accessToken: token,
  });
}

describe(ProofCheckService.name, () => {
  const editors: EditorSimulator[] = [];
  let s: Setup | undefined;

  beforeAll(() => {
    Logger.overrideLogger(false);
  });

  afterAll(() => {
    Logger.overrideLogger(['log', 'warn', 'error']);
  });

  afterEach(async () => {
    s?.discovery.onModuleDestroy();
    s = undefined;
    for (const editor of editors.splice(0)) {
      await editor.close();
    }
  });

  async function editor(product: 'Collabora' | 'OnlyOffice' | 'Microsoft', signs = true) {
    const started = await EditorSimulator.start({ product, signs });
    editors.push(started);
    return started;
  }

  const productOf = {
    Collabora: 'Collabora',
    OnlyOffice: 'OnlyOffice',
    Microsoft: 'Microsoft365',
  } as const;

  it.each(['Collabora', 'OnlyOffice', 'Microsoft'] as const)(
    'should verify a request signed the way %s signs',
    async (product) => {
      const e = await editor(product);
      s = setup([{ name: 'Office', product: productOf[product], addr: e.url }]);
      expect(await check(s, e)).toMatchObject({
        ok: true,
        app: 'Office',
        via: 'verified',
        match: 'proof-current',
      });
    },
  );

  it('should refuse an unsigned request to an app that signs, and one signed with another key', async () => {
    const e = await editor('OnlyOffice');
    s = setup([{ name: 'Office', product: 'OnlyOffice', addr: e.url }]);
    expect(await check(s, e, { signWith: false })).toMatchObject({
      ok: false,
      reason: 'missing-timestamp',
    });
    const stranger = await editor('OnlyOffice');
    expect(await check(s, e, { signWith: stranger.keys.published() })).toMatchObject({
      ok: false,
      reason: 'signature-mismatch',
    });
  });

  it('should refetch the discovery on a failed signature, at most once per 10 seconds', async () => {
    const e = await editor('OnlyOffice');
    s = setup([{ name: 'Office', product: 'OnlyOffice', addr: e.url }]);
    expect((await check(s, e)).ok).toBe(true);
    expect(e.discoveryFetches).toBe(1);
    const stranger = await editor('OnlyOffice');
    await check(s, e, { signWith: stranger.keys.published() });
    expect(e.discoveryFetches).toBe(2);
    await check(s, e, { signWith: stranger.keys.published() });
    expect(e.discoveryFetches).toBe(2);
    s.clock.offset = 10_000;
    await check(s, e, { signWith: stranger.keys.published() });
    expect(e.discoveryFetches).toBe(3);
  });

  it('should follow a Collabora key change by refetching once and accepting the new key', async () => {
    const e = await editor('Collabora');
    s = setup([{ name: 'Office', product: 'Collabora', addr: e.url }]);
    expect((await check(s, e)).ok).toBe(true);
    e.keys.rotate();
    expect(await check(s, e)).toMatchObject({ ok: true, via: 'verified' });
    expect(e.discoveryFetches).toBe(2);
  });

  it('should accept an editor that rotated ahead of our copy and then learn its new keys', async () => {
    const e = await editor('OnlyOffice');
    s = setup([{ name: 'Office', product: 'OnlyOffice', addr: e.url }]);
    expect((await check(s, e)).ok).toBe(true);
    e.keys.rotate();
    expect(await check(s, e)).toMatchObject({ ok: true, match: 'proofold-current' });
    await vi.waitFor(async () => {
      expect(await check(s!, e)).toMatchObject({ ok: true, match: 'proof-current' });
    });
    expect(e.discoveryFetches).toBe(2);
  });

  it('should refuse keys two generations back after a rotation', async () => {
    const e = await editor('OnlyOffice');
    s = setup([{ name: 'Office', product: 'OnlyOffice', addr: e.url }]);
    const original = e.keys.published();
    e.keys.rotate();
    e.keys.rotate();
    expect(await check(s, e)).toMatchObject({ ok: true });
    expect(await check(s, e, { signWith: original })).toMatchObject({
      ok: false,
      reason: 'signature-mismatch',
    });
  });

  it('should refuse a stale timestamp without refetching', async () => {
    const e = await editor('Microsoft');
    s = setup([{ name: 'Office', product: 'Microsoft365', addr: e.url }]);
    await s.discovery.forApp('Office')?.ensure();
    expect(await check(s, e, { at: Date.now() - 21 * 60_000 })).toMatchObject({
      ok: false,
      reason: 'expired-timestamp',
    });
    expect(e.discoveryFetches).toBe(1);
  });

  it('should refuse a URL changed after signing', async () => {
    const e = await editor('Microsoft');
    s = setup([{ name: 'Office', product: 'Microsoft365', addr: e.url }]);
    const tampered = await check(s, e, {
      tamper: (request) => {
        request.url = request.url.replace('0123abcd', '0123abce');
      },
    });
    expect(tampered).toMatchObject({ ok: false, reason: 'signature-mismatch' });
  });

  it('should check nothing for an app with proof checking disabled or an app that does not sign', async () => {
    const signing = await editor('OnlyOffice');
    const unsigned = await editor('Collabora', false);
    s = setup([
      { name: 'Office', product: 'OnlyOffice', addr: signing.url, proofDisable: true },
      { name: 'Collabora', product: 'Collabora', addr: unsigned.url },
    ]);
    expect(await check(s, signing, { signWith: false })).toMatchObject({
      ok: true,
      via: 'disabled',
    });
    expect(await check(s, unsigned, {}, 'collabora')).toMatchObject({ ok: true, via: 'unsigned' });
  });

  it('should accept unsigned requests once the editor stopped signing', async () => {
    const e = await editor('Collabora');
    s = setup([{ name: 'Office', product: 'Collabora', addr: e.url }]);
    expect((await check(s, e)).ok).toBe(true);
    e.signs = false;
    expect(await check(s, e)).toMatchObject({ ok: true, via: 'unsigned' });
  });

  it('should refuse while the discovery of a signing app never answered, and for unknown apps', async () => {
    const e = await EditorSimulator.start({ product: 'OnlyOffice', down: true });
    editors.push(e);
    s = setup([{ name: 'Office', product: 'OnlyOffice', addr: e.url }]);
    expect(await check(s, e)).toMatchObject({ ok: false, reason: 'no-discovery' });
    await e.up();
    expect(await check(s, e)).toMatchObject({ ok: true });
    expect(await check(s, e, {}, 'Other')).toMatchObject({ ok: false, reason: 'unknown-app' });
  });

  it('should check a token without app against every app', async () => {
    const a = await editor('OnlyOffice');
    const b = await editor('Microsoft');
    s = setup([
      { name: 'A', product: 'OnlyOffice', addr: a.url },
      { name: 'B', product: 'Microsoft365', addr: b.url },
    ]);
    expect(await check(s, b, {}, '')).toMatchObject({ ok: true, app: 'B' });
    expect(await check(s, a, { signWith: false }, '')).toMatchObject({ ok: false, app: 'A' });
  });

  it('should verify against the public origin, not the address the request arrived at', async () => {
    const e = await editor('Microsoft');
    s = setup([{ name: 'Office', product: 'Microsoft365', addr: e.url }]);
    const internal = await check(s, e, { wopiSrc: 'http://10.0.0.5:9300/wopi/files/0123abcd' });
    expect(internal).toMatchObject({ ok: false, reason: 'signature-mismatch' });
  });
});
