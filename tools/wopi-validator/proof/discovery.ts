import type { PublishedKey } from './keys';

/** The apps and actions the runner's discovery offers (enough for a host's discovery parser). */
const APPS: { name: string; actions: [action: string, ext: string][] }[] = [
  {
    name: 'WopiTest',
    actions: [
      ['view', 'wopitest'],
      ['edit', 'wopitest'],
      ['getinfo', 'wopitest'],
    ],
  },
  {
    name: 'Word',
    actions: [
      ['view', 'docx'],
      ['edit', 'docx'],
      ['view', 'odt'],
      ['edit', 'odt'],
    ],
  },
  {
    name: 'Excel',
    actions: [
      ['view', 'xlsx'],
      ['edit', 'xlsx'],
    ],
  },
  {
    name: 'PowerPoint',
    actions: [
      ['view', 'pptx'],
      ['edit', 'pptx'],
    ],
  },
];

/**
 * A WOPI discovery document in Office's layout: one net zone with a few apps whose urlsrc points
 * back at `baseUrl`, and the `<proof-key>` element with the current and the old public key.
 */
export function discoveryXml(baseUrl: string, current: PublishedKey, old: PublishedKey): string {
  const base = baseUrl.replace(/\/+$/, '');
  const urlsrc = (action: string): string =>
    escapeXml(`${base}/hosting/${action}?<ui=UI_LLCC&><rs=DC_LLCC&><wopisrc=WOPI_SOURCE&>`);
  const apps = APPS.map(
    (app) =>
      `    <app name="${app.name}" favIconUrl="${base}/favicon.ico" checkLicense="false">\n` +
      app.actions
        .map(
          ([action, ext]) =>
            `      <action name="${action}" ext="${ext}" urlsrc="${urlsrc(action)}" />\n`,
        )
        .join('') +
      '    </app>\n',
  ).join('');
  return (
    '<?xml version="1.0" encoding="utf-8"?>\n' +
    '<wopi-discovery>\n' +
    `  <net-zone name="${base.startsWith('https:') ? 'external-https' : 'external-http'}">\n` +
    apps +
    '  </net-zone>\n' +
    `  <proof-key oldvalue="${old.value}" oldmodulus="${old.modulus}" oldexponent="${old.exponent}"` +
    ` value="${current.value}" modulus="${current.modulus}" exponent="${current.exponent}" />\n` +
    '</wopi-discovery>\n'
  );
}

function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}
