import { describe, expect, it } from 'vitest';
import { EditorAppSettings } from '../config/app-config';
import { loadConfig } from '../config/config.loader';
import { appListeners, listenerOf } from './app-listeners';

const app = (name: string): EditorAppSettings => Object.assign(new EditorAppSettings(), { name });

describe('appListeners', () => {
  it('should give one app-less listener on COLLABORATION_GRPC_ADDR when no app is configured', () => {
    const config = loadConfig({ env: { COLLABORATION_GRPC_ADDR: '127.0.0.1:9301' } });
    expect(appListeners(config)).toEqual([{ app: undefined, addr: '127.0.0.1:9301' }]);
  });

  it('should give every app a listener of its own: its grpcAddr, else the base port + n', () => {
    const config = loadConfig({ env: { COLLABORATION_GRPC_ADDR: '0.0.0.0:9301' } });
    config.apps = [
      app('Collabora'),
      app('OnlyOffice'),
      Object.assign(app('Office365'), { grpcAddr: '0.0.0.0:9500' }),
    ];
    expect(appListeners(config)).toEqual([
      { app: 'Collabora', addr: '0.0.0.0:9301' },
      { app: 'OnlyOffice', addr: '0.0.0.0:9302' },
      { app: 'Office365', addr: '0.0.0.0:9500' },
    ]);
    expect(listenerOf(config, 'OnlyOffice')).toBe('0.0.0.0:9302');
  });
});
