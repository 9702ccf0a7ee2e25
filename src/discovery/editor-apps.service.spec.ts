import { Logger } from '@nestjs/common';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EditorSimulator } from '../../test/support/wopi-client';
import { EditorAppSettings } from '../config/app-config';
import { loadConfig } from '../config/config.loader';
import { HealthRegistry } from '../health/health-registry';
import { SystemClock } from './clock';
import { DiscoveryFetcher } from './discovery-fetcher';
import { UnknownAppError } from './discovery.errors';
import { DiscoveryService } from './discovery.service';
import { EditorAppsService } from './editor-apps.service';

describe(EditorAppsService.name, () => {
  const editors: EditorSimulator[] = [];
  let discovery: DiscoveryService | undefined;

  beforeAll(() => {
    Logger.overrideLogger(false);
  });

  afterAll(() => {
    Logger.overrideLogger(['log', 'warn', 'error']);
  });

  afterEach(async () => {
    discovery?.onModuleDestroy();
    for (const editor of editors.splice(0)) {
      await editor.close();
    }
  });

  function service(apps: Partial<EditorAppSettings>[]): EditorAppsService {
    const config = loadConfig({ env: {} });
    config.apps = apps.map((app) => Object.assign(new EditorAppSettings(), app));
    discovery = new DiscoveryService(
      config,
      new HealthRegistry(),
      new DiscoveryFetcher(),
      new SystemClock(),
    );
    discovery.onModuleInit();
    return new EditorAppsService(config, discovery);
  }

  it('should list each app with what its discovery opens, as MIME types', async () => {
    const collabora = await EditorSimulator.start({ product: 'Collabora' });
    const microsoft = await EditorSimulator.start({ product: 'Microsoft' });
    editors.push(collabora, microsoft);
    const apps = service([
      { name: 'Collabora', product: 'Collabora', addr: collabora.url, icon: 'https://c/icon.svg' },
      { name: 'Office', product: 'Microsoft365', addr: microsoft.url, description: 'Office' },
    ]);
    const [first, second] = await apps.list();
    expect(first).toMatchObject({
      name: 'Collabora',
      product: 'Collabora',
      icon: 'https://c/icon.svg',
      discovered: true,
    });
    expect(first?.extensions).toEqual([
      'csv',
      'doc',
      'docx',
      'dotx',
      'odg',
      'odp',
      'ods',
      'odt',
      'ott',
      'pdf',
      'ppt',
      'pptx',
      'rtf',
      'svg',
      'txt',
      'xls',
      'xlsx',
    ]);
    expect(first?.mimeTypes).toContain('application/vnd.oasis.opendocument.text');
    expect(first?.mimeTypes).toContain('application/pdf');
    expect(first?.mimeTypes).not.toContain('application/octet-stream');
    expect(second).toMatchObject({ name: 'Office', description: 'Office' });
    expect(second?.extensions).toContain('one');
    expect(second?.extensions).not.toContain('');
    expect(second?.mimeTypes).toEqual([
      'application/msword',
      'application/onenote',
      'application/vnd.openxmlformats-officedocument.presentationml.presentation',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    ]);
  });

  it('should report an app whose discovery never answered, and refuse unknown names', async () => {
    const down = await EditorSimulator.start({ product: 'OnlyOffice', down: true });
    editors.push(down);
    const apps = service([
      { name: 'OnlyOffice', product: 'OnlyOffice', addr: down.url },
      { name: 'Notes', product: 'CoOPS' },
    ]);
    expect(await apps.list()).toMatchObject([
      { name: 'OnlyOffice', discovered: false, extensions: [], mimeTypes: [] },
      { name: 'Notes', product: 'CoOPS', discovered: false },
    ]);
    await expect(apps.describe('Nope')).rejects.toThrow(UnknownAppError);
  });
});
