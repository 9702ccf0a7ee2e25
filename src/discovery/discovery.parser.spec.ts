import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sharedPath } from '../../test/support/shared';
import { discoveryDocument, generateProofKeyPair } from '../../test/support/wopi-client';
import { DiscoveryParseError, parseDiscovery } from './discovery.parser';
import type { Discovery, DiscoveryAction } from './discovery.types';

const base = 'https://editor.example.com:9980';
const current = generateProofKeyPair();
const old = generateProofKeyPair();

function actions(discovery: Discovery, app: string): DiscoveryAction[] {
  return discovery.netZones
    .flatMap((z) => z.apps.filter((a) => a.name === app))
    .flatMap((a) => a.actions);
}

describe('parseDiscovery', () => {
  it('should read a Collabora document: apps, default actions, MIME-type apps, repeated key', () => {
    const discovery = parseDiscovery(
      discoveryDocument({ product: 'Collabora', baseUrl: base, keys: { current, old } }),
    );
    expect(discovery.netZones.map((z) => z.name)).toEqual(['external-http']);
    const writer = discovery.netZones[0]!.apps.find((a) => a.name === 'writer')!;
    expect(writer).toMatchObject({ isMimeType: false, checkLicense: false });
    expect(writer.favIconUrl).toMatch(/x-office-document\.svg$/);
    expect(writer.actions).toContainEqual({
      name: 'edit',
      ext: 'docx',
      urlsrc: `${base}/browser/f00dcafe/cool.html?`,
      isDefault: true,
      requires: [],
    });
    expect(actions(discovery, 'draw')).toContainEqual(
      expect.objectContaining({ name: 'view_comment', ext: 'pdf' }),
    );
    const mimeApp = discovery.netZones[0]!.apps.find((a) => a.name === 'image/png')!;
    expect(mimeApp).toMatchObject({
      isMimeType: true,
      actions: [expect.objectContaining({ ext: '', name: 'view' })],
    });
    expect(actions(discovery, 'Capabilities')).toEqual([
      expect.objectContaining({ name: 'getinfo', urlsrc: `${base}/hosting/capabilities` }),
    ]);
    expect(discovery.proofKeys?.current.id).toBe(discovery.proofKeys?.old?.id);
  });

  it('should read an OnlyOffice document: every action, requires, targetext, both keys', () => {
    const discovery = parseDiscovery(
      discoveryDocument({ product: 'OnlyOffice', baseUrl: base, keys: { current, old } }),
    );
    const word = actions(discovery, 'Word').filter((a) => a.ext === 'docx');
    expect(word.map((a) => a.name).sort()).toEqual([
      'edit',
      'editnew',
      'embedview',
      'mobileView',
      'view',
    ]);
    expect(word.find((a) => a.name === 'edit')).toMatchObject({
      isDefault: true,
      requires: ['locks', 'update'],
    });
    expect(word.find((a) => a.name === 'view')?.urlsrc).toBe(
      `${base}/hosting/wopi/word/view?&<rs=DC_LLCC&><dchat=DISABLE_CHAT&><embed=EMBEDDED&><fs=FULLSCREEN&><hid=HOST_SESSION_ID&><rec=RECORDING&><sc=SESSION_CONTEXT&><thm=THEME_ID&><ui=UI_LLCC&><wopisrc=WOPI_SOURCE&>&`,
    );
    expect(actions(discovery, 'Word')).toContainEqual(
      expect.objectContaining({
        name: 'convert',
        ext: 'doc',
        targetExt: 'docx',
        requires: ['update'],
      }),
    );
    expect(discovery.proofKeys?.current.id).not.toBe(discovery.proofKeys?.old?.id);
  });

  it('should read a Microsoft document: https zone, checkLicense, cobalt requirements', () => {
    const discovery = parseDiscovery(
      discoveryDocument({ product: 'Microsoft', baseUrl: base, keys: { current, old } }),
    );
    expect(discovery.netZones[0]?.name).toBe('external-https');
    expect(discovery.netZones[0]?.apps.every((a) => a.checkLicense)).toBe(true);
    expect(actions(discovery, 'OneNote')).toContainEqual(
      expect.objectContaining({ name: 'edit', requires: ['cobalt', 'containers', 'update'] }),
    );
    expect(actions(discovery, 'WopiTest').map((a) => a.name)).toContain('getinfo');
  });

  it('should accept a document without proof-key: that editor does not sign', () => {
    const discovery = parseDiscovery(discoveryDocument({ product: 'Collabora', baseUrl: base }));
    expect(discovery.proofKeys).toBeUndefined();
    expect(parseDiscovery(wrap('<proof-key/>')).proofKeys).toBeUndefined();
  });

  it('should read every net-zone, lower-case extensions and keys given only as CryptoAPI blobs', () => {
    const discovery = parseDiscovery(`<wopi-discovery>
      <net-zone name="internal-http"><app name="A"><action name="view" ext=".DOCX" urlsrc="http://i/v?"/></app></net-zone>
      <net-zone name="external-https"><app name="A"><action name="view" ext="docx" urlsrc="https://e/v?"/></app></net-zone>
      <proof-key value="${current.value}" oldvalue="${old.value}"/>
    </wopi-discovery>`);
    expect(discovery.netZones.map((z) => [z.name, z.apps[0]?.actions[0]?.ext])).toEqual([
      ['internal-http', 'docx'],
      ['external-https', 'docx'],
    ]);
    expect(discovery.proofKeys?.old).toBeDefined();
  });

  it.each([
    ['text that is not XML', 'this is not xml <'],
    ['XML of another kind', '<html><body/></html>'],
    [
      'a document without actions',
      '<wopi-discovery><net-zone name="external-http"/></wopi-discovery>',
    ],
    ['a document type declaration', '<!DOCTYPE x [<!ENTITY a "b">]><wopi-discovery/>'],
    ['a proof-key whose modulus is not a key', wrap('<proof-key modulus="AQAB" exponent="AQAB"/>')],
    [
      'a proof-key with an old key only',
      wrap(`<proof-key oldmodulus="${old.modulus}" oldexponent="AQAB"/>`),
    ],
    [
      'a truncated document',
      discoveryDocument({ product: 'OnlyOffice', baseUrl: base }).slice(0, 500),
    ],
  ])('should refuse %s', (_name, xml) => {
    expect(() => parseDiscovery(xml)).toThrow(DiscoveryParseError);
  });

  it
    .skipIf(sharedPath('discovery-samples') === undefined)
    .each(['collabora', 'onlyoffice', 'microsoft-office-online'])(
    'should read the real %s sample',
    (name) => {
      const path = sharedPath('discovery-samples', `${name}-discovery.xml`) ?? '';
      const discovery = parseDiscovery(readFileSync(path, 'utf8'));
      expect(discovery.netZones.flatMap((z) => z.apps).length).toBeGreaterThan(1);
      expect(discovery.proofKeys === undefined).toBe(name === 'collabora');
    },
  );
});

function wrap(inner: string): string {
  return `<wopi-discovery><net-zone name="external-http"><app name="A"><action name="view" ext="odt" urlsrc="http://x/?"/></app></net-zone>${inner}</wopi-discovery>`;
}
