import { describe, expect, it } from 'vitest';
import { escapeHtml, renderOpenPage } from './open-page';

describe('renderOpenPage', () => {
  const page = renderOpenPage({
    appUrl: 'https://editor/cool.html?WOPISrc=x&lang=de',
    accessToken: 'tok"en<script>',
    accessTokenTtl: 1_700_000_000_000,
    fileName: '<b>report</b>.docx',
    appName: 'Collabora',
  });

  it('should escape every value it puts into the page', () => {
    expect(page.html).toContain('action="https://editor/cool.html?WOPISrc=x&#38;lang=de"');
    expect(page.html).toContain('value="tok&#34;en&#60;script&#62;"');
    expect(page.html).toContain('&#60;b&#62;report&#60;/b&#62;.docx');
    expect(page.html).not.toContain('<b>');
    expect(escapeHtml(`'&`)).toBe('&#39;&#38;');
  });

  it('should allow only its own nonce-carrying script and send no referrer', () => {
    const nonce = /script-src 'nonce-([^']+)'/.exec(
      page.headers['content-security-policy'] ?? '',
    )?.[1];
    expect(nonce).toBeDefined();
    expect(page.html).toContain(`<script nonce="${nonce ?? ''}">`);
    expect(page.headers).toMatchObject({
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    });
    expect(
      renderOpenPage({ ...pageInput(), accessToken: 't' }).headers['content-security-policy'],
    ).not.toBe(page.headers['content-security-policy']);
  });
});

function pageInput() {
  return { appUrl: 'https://e/', accessToken: 't', accessTokenTtl: 1, fileName: 'a', appName: 'b' };
}
