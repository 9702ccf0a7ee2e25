import { describe, expect, it } from 'vitest';
import { discoveryDocument } from '../../test/support/wopi-client';
import { parseDiscovery } from './discovery.parser';
import {
  buildEditorUrl,
  chooseAction,
  openableExtensions,
  type EditorUrlOptions,
} from './editor-url';
import { languageTag, substitutePlaceholders } from './placeholders';

const base = 'https://editor.example.com';
const wopiSrc = 'https://wopi.example.com/wopi/files/5f0c9e';
const encodedSrc = encodeURIComponent(wopiSrc);
const collabora = parseDiscovery(discoveryDocument({ product: 'Collabora', baseUrl: base }));
const onlyOffice = parseDiscovery(discoveryDocument({ product: 'OnlyOffice', baseUrl: base }));
const microsoft = parseDiscovery(discoveryDocument({ product: 'Microsoft', baseUrl: base }));

function options(overrides: Partial<EditorUrlOptions>): EditorUrlOptions {
  return { product: 'generic', extension: 'docx', mode: 'write', wopiSrc, ...overrides };
}

describe('buildEditorUrl', () => {
  describe('Collabora', () => {
    it('should append WOPISrc to the placeholder-less urlsrc in every mode', () => {
      for (const mode of ['view', 'read', 'write'] as const) {
        const url = buildEditorUrl(collabora, options({ product: 'Collabora', mode }));
        expect(url?.url).toBe(`${base}/browser/f00dcafe/cool.html?WOPISrc=${encodedSrc}`);
        expect(url?.app.name).toBe('writer');
      }
    });

    it('should add lang and dchat as plain query parameters', () => {
      const url = buildEditorUrl(
        collabora,
        options({ product: 'Collabora', lang: 'pt_BR', disableChat: true, theme: 'dark' }),
      );
      expect(url?.url).toBe(
        `${base}/browser/f00dcafe/cool.html?WOPISrc=${encodedSrc}&lang=pt-BR&dchat=1`,
      );
    });

    it('should open view-only formats with view and PDFs with view_comment', () => {
      expect(
        buildEditorUrl(collabora, options({ product: 'Collabora', extension: 'ott' }))?.action.name,
      ).toBe('view');
      expect(
        buildEditorUrl(collabora, options({ product: 'Collabora', extension: '.PDF' }))?.action
          .name,
      ).toBe('view_comment');
    });
  });

  describe('OnlyOffice', () => {
    it('should pick edit for write and view otherwise, dropping every unfilled placeholder', () => {
      const write = buildEditorUrl(onlyOffice, options({ product: 'OnlyOffice', mode: 'write' }));
      expect(write?.action.name).toBe('edit');
      expect(write?.url).toBe(`${base}/hosting/wopi/word/edit?wopisrc=${encodedSrc}`);
      const read = buildEditorUrl(onlyOffice, options({ product: 'OnlyOffice', mode: 'read' }));
      expect(read?.action.name).toBe('view');
      expect(read?.url).toBe(`${base}/hosting/wopi/word/view?wopisrc=${encodedSrc}`);
      expect(
        buildEditorUrl(onlyOffice, options({ product: 'OnlyOffice', mode: 'view' }))?.action.name,
      ).toBe('view');
    });

    it('should fill language, region, theme and chat by their placeholders', () => {
      const url = buildEditorUrl(
        onlyOffice,
        options({
          product: 'OnlyOffice',
          lang: 'de',
          theme: 'dark',
          disableChat: true,
          embedded: true,
        }),
      );
      expect(url?.url).toBe(
        `${base}/hosting/wopi/word/edit?rs=de-DE&dchat=1&embed=1&thm=2&ui=de-DE&wopisrc=${encodedSrc}`,
      );
    });

    it('should open a view-only format with view even in write mode', () => {
      expect(
        buildEditorUrl(onlyOffice, options({ product: 'OnlyOffice', extension: 'doc' }))?.action
          .name,
      ).toBe('view');
    });

    it('should give an explicit action such as embedview or mobileView when asked', () => {
      const embed = buildEditorUrl(
        onlyOffice,
        options({ product: 'OnlyOffice', action: 'embedview' }),
      );
      expect(embed?.url).toBe(`${base}/hosting/wopi/word/view?embed=1&wopisrc=${encodedSrc}`);
      expect(
        buildEditorUrl(onlyOffice, options({ product: 'OnlyOffice', action: 'mobileView' }))?.url,
      ).toContain('mobile=1');
      expect(
        buildEditorUrl(onlyOffice, options({ product: 'OnlyOffice', action: 'present' })),
      ).toBeUndefined();
    });
  });

  describe('Microsoft', () => {
    it('should follow the urlsrc rules: known placeholders filled, unknown ones removed', () => {
      const url = buildEditorUrl(
        microsoft,
        options({ product: 'Microsoft365', lang: 'fr', disableChat: true, businessUser: true }),
      );
      expect(url?.url).toBe(
        `${base}/we/wordeditorframe.aspx?ui=fr-FR&rs=fr-FR&dchat=1&wopisrc=${encodedSrc}&IsLicensedUser=1`,
      );
    });

    it('should use true for boolean placeholders and 1/2 for the theme', () => {
      const url = buildEditorUrl(
        microsoft,
        options({
          product: 'MicrosoftOfficeOnline',
          extension: 'pptx',
          mode: 'read',
          embedded: true,
          theme: 'light',
        }),
      );
      expect(url?.url).toBe(
        `${base}/p/PowerPointFrame.aspx?PowerPointView=ReadingView&wopisrc=${encodedSrc}&thm=1&e=true`,
      );
    });

    it('should skip actions needing capabilities we lack (OneNote edit needs cobalt)', () => {
      expect(
        buildEditorUrl(microsoft, options({ product: 'Microsoft365', extension: 'one' }))?.action
          .name,
      ).toBe('view');
      expect(openableExtensions(microsoft)).toEqual([
        'doc',
        'docx',
        'one',
        'pptx',
        'wopitest',
        'wopitestx',
        'xlsx',
      ]);
    });
  });

  it('should never put the access token into the URL and fail for unknown extensions', () => {
    const url = buildEditorUrl(onlyOffice, options({ product: 'OnlyOffice' }));
    expect(url?.url).not.toMatch(/access_token/);
    expect(buildEditorUrl(onlyOffice, options({ extension: 'exe' }))).toBeUndefined();
    expect(buildEditorUrl(onlyOffice, options({ extension: '' }))).toBeUndefined();
  });

  it('should prefer the external-https zone, then external-http, and default actions', () => {
    const discovery = parseDiscovery(`<wopi-discovery>
      <net-zone name="internal-http"><app name="A"><action name="view" ext="odt" urlsrc="http://internal/v?"/></app></net-zone>
      <net-zone name="external-http"><app name="A"><action name="view" ext="odt" urlsrc="http://plain/v?"/></app></net-zone>
      <net-zone name="external-https"><app name="A"><action name="view" ext="odt" urlsrc="https://first/v?"/>
        <action name="view" ext="odt" default="true" urlsrc="https://default/v?"/></app></net-zone>
    </wopi-discovery>`);
    expect(chooseAction(discovery, 'odt', 'read')?.action.urlsrc).toBe('https://default/v?');
    expect(chooseAction(discovery, 'odt', 'read')?.netZone).toBe('external-https');
  });
});

describe('substitutePlaceholders', () => {
  it('should keep fixed parameters and the optional ampersand, and trim empty parts', () => {
    expect(
      substitutePlaceholders('https://x/a?embed=1&<ui=UI_LLCC&><x=UNKNOWN&><w=WOPI_SOURCE>', {
        UI_LLCC: 'de-DE',
        WOPI_SOURCE: 'a b',
      }),
    ).toEqual({
      url: 'https://x/a?embed=1&ui=de-DE&w=a%20b',
      hadWopiSource: true,
    });
    expect(substitutePlaceholders('https://x/a?<x=UNKNOWN&>', {})).toEqual({
      url: 'https://x/a',
      hadWopiSource: false,
    });
  });
});

describe('languageTag', () => {
  it('should normalise tags and add the usual region only when asked', () => {
    expect(languageTag('de', true)).toBe('de-DE');
    expect(languageTag('de', false)).toBe('de');
    expect(languageTag('EN_gb', true)).toBe('en-GB');
    expect(languageTag('zh-Hant-TW', true)).toBe('zh-Hant-TW');
    expect(languageTag('xx', true)).toBe('xx');
    expect(languageTag('de-DE&evil=1', true)).toBeUndefined();
    expect(languageTag(undefined, true)).toBeUndefined();
  });
});
