import type { PublishedKeys } from './keys';

/** The editors whose discovery shape (and way of signing) the simulator reproduces. */
export type SimulatedProduct = 'Collabora' | 'OnlyOffice' | 'Microsoft';

export interface DiscoveryDocumentOptions {
  product: SimulatedProduct;
  /** Where the simulated editor lives (scheme://host:port, no trailing slash). */
  baseUrl: string;
  /** Published proof keys; none means an editor that does not sign (Collabora without keys). */
  keys?: PublishedKeys;
}

interface Action {
  name: string;
  ext: string;
  urlsrc: string;
  default?: boolean;
  requires?: string;
  targetext?: string;
}

interface App {
  name: string;
  attributes?: Record<string, string>;
  actions: Action[];
}

/**
 * A discovery document in the shape the product publishes (our own, smaller than the real ones):
 * Collabora — apps writer/calc/impress/draw, one default action per extension, placeholder-less
 * urlsrc, legacy MIME-type apps, Capabilities; proof-key repeating the current key as the old one.
 * OnlyOffice — Word/Excel/PowerPoint/Pdf with view, embedview, mobileView, edit, editnew, convert,
 * placeholder urlsrc beginning with "?&"; both keys. Microsoft — one external-https zone with
 * Word/Excel/PowerPoint/OneNote/WopiTest, checkLicense, cobalt-only actions; both keys.
 */
export function discoveryDocument(options: DiscoveryDocumentOptions): string {
  switch (options.product) {
    case 'Collabora':
      return render('external-http', collaboraApps(options.baseUrl), options.keys, true, false);
    case 'OnlyOffice':
      return render('external-http', onlyOfficeApps(options.baseUrl), options.keys, false, true);
    case 'Microsoft':
      return render('external-https', microsoftApps(options.baseUrl), options.keys, false, true);
  }
}

/** Where the simulated product's editor page for `action` on `ext` lives (the urlsrc without query). */
export const COLLABORA_HASH = 'f00dcafe';

function collaboraApps(base: string): App[] {
  const urlsrc = `${base}/browser/${COLLABORA_HASH}/cool.html?`;
  const app = (name: string, icon: string | undefined, actions: [string, string][]): App => ({
    name,
    ...(icon
      ? { attributes: { favIconUrl: `${base}/browser/${COLLABORA_HASH}/images/${icon}` } }
      : {}),
    actions: actions.map(([ext, name]) => ({ name, ext, urlsrc, default: true })),
  });
  return [
    app('writer', 'x-office-document.svg', [
      ['odt', 'edit'],
      ['ott', 'view'],
      ['doc', 'edit'],
      ['docx', 'edit'],
      ['dotx', 'view'],
      ['rtf', 'edit'],
      ['txt', 'edit'],
    ]),
    app('calc', 'x-office-spreadsheet.svg', [
      ['ods', 'edit'],
      ['xls', 'edit'],
      ['xlsx', 'edit'],
      ['csv', 'edit'],
    ]),
    app('impress', 'x-office-presentation.svg', [
      ['odp', 'edit'],
      ['ppt', 'edit'],
      ['pptx', 'edit'],
    ]),
    app('draw', undefined, [
      ['odg', 'edit'],
      ['pdf', 'view_comment'],
      ['svg', 'view'],
    ]),
    app('application/vnd.oasis.opendocument.text', undefined, [['', 'edit']]),
    app('image/png', undefined, [['', 'view']]),
    {
      name: 'Capabilities',
      actions: [{ name: 'getinfo', ext: '', urlsrc: `${base}/hosting/capabilities` }],
    },
  ];
}

const ONLYOFFICE_QUERY =
  '<rs=DC_LLCC&><dchat=DISABLE_CHAT&><embed=EMBEDDED&><fs=FULLSCREEN&><hid=HOST_SESSION_ID&><rec=RECORDING&><sc=SESSION_CONTEXT&><thm=THEME_ID&><ui=UI_LLCC&><wopisrc=WOPI_SOURCE&>&';

function onlyOfficeApps(base: string): App[] {
  const url = (editor: string, action: 'view' | 'edit', fixed = ''): string =>
    `${base}/hosting/wopi/${editor}/${action}?${fixed}&${ONLYOFFICE_QUERY}`;
  const app = (
    name: string,
    editor: string,
    icon: string,
    editable: string[],
    viewOnly: string[],
    convert: [string, string][],
  ): App => ({
    name,
    attributes: { favIconUrl: `${base}/web-apps/apps/${icon}/main/resources/img/favicon.ico` },
    actions: [
      ...[...viewOnly, ...editable].flatMap((ext): Action[] => [
        { name: 'view', ext, urlsrc: url(editor, 'view'), default: viewOnly.includes(ext) },
        { name: 'embedview', ext, urlsrc: url(editor, 'view', 'embed=1') },
        { name: 'mobileView', ext, urlsrc: url(editor, 'view', 'mobile=1') },
      ]),
      ...editable.flatMap((ext): Action[] => [
        { name: 'edit', ext, urlsrc: url(editor, 'edit'), default: true, requires: 'locks,update' },
        { name: 'editnew', ext, urlsrc: url(editor, 'edit'), requires: 'locks,update' },
      ]),
      ...convert.map(([ext, targetext]): Action => ({
        name: 'convert',
        ext,
        targetext,
        urlsrc: `${base}/hosting/wopi/convert-and-edit/${ext}/${targetext}?${ONLYOFFICE_QUERY}`,
        requires: 'update',
      })),
    ],
  });
  return [
    app('Word', 'word', 'documenteditor', ['docx', 'odt'], ['doc', 'djvu'], [['doc', 'docx']]),
    app('Excel', 'cell', 'spreadsheeteditor', ['xlsx', 'ods', 'csv'], ['xls'], [['xls', 'xlsx']]),
    app('PowerPoint', 'slide', 'presentationeditor', ['pptx', 'odp'], ['ppt'], []),
    app('Pdf', 'pdf', 'pdfeditor', [], ['pdf'], []),
    {
      name: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      actions: [{ name: 'edit', ext: '', urlsrc: url('word', 'edit'), default: true }],
    },
  ];
}

const MICROSOFT_QUERY =
  '<ui=UI_LLCC&><rs=DC_LLCC&><dchat=DISABLE_CHAT&><hid=HOST_SESSION_ID&><sc=SESSION_CONTEXT&><wopisrc=WOPI_SOURCE&><showpagestats=PERFSTATS&><IsLicensedUser=BUSINESS_USER&><actnavid=ACTIVITY_NAVIGATION_ID&>';

function microsoftApps(base: string): App[] {
  const attributes = (icon: string): Record<string, string> => ({
    favIconUrl: `${base}/resources/${icon}.ico`,
    checkLicense: 'true',
  });
  return [
    {
      name: 'Word',
      attributes: attributes('FavIcon_Word'),
      actions: [
        {
          name: 'view',
          ext: 'docx',
          default: true,
          urlsrc: `${base}/wv/wordviewerframe.aspx?${MICROSOFT_QUERY}`,
        },
        {
          name: 'embedview',
          ext: 'docx',
          urlsrc: `${base}/wv/wordviewerframe.aspx?embed=1&${MICROSOFT_QUERY}`,
        },
        { name: 'mobileView', ext: 'docx', urlsrc: `${base}/wv/mobile.aspx?${MICROSOFT_QUERY}` },
        {
          name: 'edit',
          ext: 'docx',
          requires: 'locks,update',
          urlsrc: `${base}/we/wordeditorframe.aspx?${MICROSOFT_QUERY}`,
        },
        {
          name: 'editnew',
          ext: 'docx',
          requires: 'locks,update',
          urlsrc: `${base}/we/wordeditorframe.aspx?new=1&${MICROSOFT_QUERY}`,
        },
        {
          name: 'view',
          ext: 'doc',
          default: true,
          urlsrc: `${base}/wv/wordviewerframe.aspx?${MICROSOFT_QUERY}`,
        },
        {
          name: 'convert',
          ext: 'doc',
          targetext: 'docx',
          requires: 'update',
          urlsrc: `${base}/wv/WordConvert.aspx?${MICROSOFT_QUERY}`,
        },
      ],
    },
    {
      name: 'Excel',
      attributes: attributes('FavIcon_Excel'),
      actions: [
        {
          name: 'view',
          ext: 'xlsx',
          default: true,
          urlsrc: `${base}/x/xlviewerinternal.aspx?${MICROSOFT_QUERY}`,
        },
        {
          name: 'edit',
          ext: 'xlsx',
          requires: 'update',
          urlsrc: `${base}/x/xlviewerinternal.aspx?edit=1&${MICROSOFT_QUERY}`,
        },
      ],
    },
    {
      name: 'PowerPoint',
      attributes: attributes('FavIcon_Ppt'),
      actions: [
        {
          name: 'view',
          ext: 'pptx',
          default: true,
          urlsrc: `${base}/p/PowerPointFrame.aspx?PowerPointView=ReadingView&${MICROSOFT_QUERY}<thm=THEME_ID&><e=EMBEDDED&><fs=FULLSCREEN&>`,
        },
        {
          name: 'edit',
          ext: 'pptx',
          requires: 'update',
          urlsrc: `${base}/p/PowerPointFrame.aspx?PowerPointView=EditView&${MICROSOFT_QUERY}`,
        },
      ],
    },
    {
      name: 'OneNote',
      attributes: attributes('FavIcon_OneNote'),
      actions: [
        {
          name: 'view',
          ext: 'one',
          default: true,
          urlsrc: `${base}/o/onenoteframe.aspx?${MICROSOFT_QUERY}`,
        },
        {
          name: 'edit',
          ext: 'one',
          requires: 'cobalt,containers,update',
          urlsrc: `${base}/o/onenoteframe.aspx?edit=1&${MICROSOFT_QUERY}`,
        },
      ],
    },
    {
      name: 'WopiTest',
      attributes: attributes('FavIcon_WopiTest'),
      actions: [
        {
          name: 'getinfo',
          ext: 'wopitest',
          urlsrc: `${base}/hosting/wopitest.aspx?<testcategory=VALIDATOR_TEST_CATEGORY&>${MICROSOFT_QUERY}`,
        },
        {
          name: 'view',
          ext: 'wopitest',
          default: true,
          urlsrc: `${base}/hosting/wopitest.aspx?${MICROSOFT_QUERY}`,
        },
        {
          name: 'edit',
          ext: 'wopitestx',
          requires: 'locks,update',
          urlsrc: `${base}/hosting/wopitest.aspx?edit=1&${MICROSOFT_QUERY}`,
        },
      ],
    },
  ];
}

function render(
  zone: string,
  apps: App[],
  keys: PublishedKeys | undefined,
  repeatCurrentAsOld: boolean,
  declaration: boolean,
): string {
  const lines: string[] = [];
  if (declaration) {
    lines.push('<?xml version="1.0" encoding="utf-8"?>');
  }
  lines.push('<wopi-discovery>', `  <net-zone name="${zone}">`);
  for (const app of apps) {
    lines.push(`    <app${attributes({ name: app.name, ...app.attributes })}>`);
    for (const action of app.actions) {
      lines.push(
        `      <action${attributes({
          name: action.name,
          ext: action.ext,
          ...(action.default ? { default: 'true' } : {}),
          ...(action.requires ? { requires: action.requires } : {}),
          ...(action.targetext ? { targetext: action.targetext } : {}),
          urlsrc: action.urlsrc,
        })}/>`,
      );
    }
    lines.push('    </app>');
  }
  lines.push('  </net-zone>');
  if (keys) {
    const old = repeatCurrentAsOld ? keys.current : (keys.old ?? keys.current);
    lines.push(
      `  <proof-key${attributes({
        value: keys.current.value,
        modulus: keys.current.modulus,
        exponent: keys.current.exponent,
        oldvalue: old.value,
        oldmodulus: old.modulus,
        oldexponent: old.exponent,
      })}/>`,
    );
  }
  lines.push('</wopi-discovery>', '');
  return lines.join('\n');
}

function attributes(values: Record<string, string>): string {
  return Object.entries(values)
    .map(([name, value]) => ` ${name}="${escapeXml(value)}"`)
    .join('');
}

function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}
