import { Metadata } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { BadRequestError, NotFoundError, UnauthorizedError } from '../common/errors/app-error';
import { plainEntry } from '../cs3/proto/cs3-proto';
import type { OpenInAppRequest } from '../cs3/proto/cs3.messages';
import { StorageUnavailableError } from '../storage/storage.errors';
import { statusOfError } from './cs3-error-status';
import { commandOf } from './open-in-app.grpc';

const request = (extra: Partial<OpenInAppRequest> = {}): OpenInAppRequest => ({
  resource_info: {
    id: { storage_id: 's', space_id: 'sp', opaque_id: 'o' },
    path: '/Documents/report.docx',
  },
  view_mode: 'VIEW_MODE_READ_WRITE',
  ...extra,
});

describe('commandOf (OpenInApp request)', () => {
  it('should read the resource, view mode, reva token and opaque lang, viewOnlyToken and template', () => {
    const command = commandOf(
      request({
        access_token: 'reva',
        view_mode: 'VIEW_MODE_VIEW_ONLY',
        opaque: {
          map: {
            lang: plainEntry('de'),
            viewOnlyToken: plainEntry('vot'),
            template: plainEntry('s$sp!t'),
          },
        },
      }),
      new Metadata(),
      'Collabora',
    );
    expect(command).toEqual({
      app: 'Collabora',
      resourceId: { storageId: 's', spaceId: 'sp', opaqueId: 'o' },
      name: 'report.docx',
      mode: 'view',
      revaToken: 'reva',
      lang: 'de',
      viewOnlyToken: 'vot',
      template: 's$sp!t',
    });
  });

  it('should take the reva token from x-access-token when the field is empty', () => {
    const metadata = new Metadata();
    metadata.set('x-access-token', 'from-metadata');
    expect(commandOf(request(), metadata, 'Collabora').revaToken).toBe('from-metadata');
  });

  it('should refuse an invalid view mode, a missing resource and a listener without an app', () => {
    expect(() =>
      commandOf(request({ view_mode: 'VIEW_MODE_INVALID' }), new Metadata(), 'Collabora'),
    ).toThrow(BadRequestError);
    expect(() =>
      commandOf({ view_mode: 'VIEW_MODE_READ_ONLY' }, new Metadata(), 'Collabora'),
    ).toThrow(BadRequestError);
    expect(() => commandOf(request(), new Metadata(), undefined)).toThrow(NotFoundError);
  });
});

describe('statusOfError', () => {
  it('should map domain errors to CS3 codes and hide unknown errors behind CODE_INTERNAL', () => {
    expect(statusOfError(new BadRequestError('x')).code).toBe('CODE_INVALID_ARGUMENT');
    expect(statusOfError(new UnauthorizedError('x')).code).toBe('CODE_UNAUTHENTICATED');
    expect(statusOfError(new StorageUnavailableError('x')).code).toBe('CODE_UNAVAILABLE');
    expect(statusOfError(new Error('secret detail'))).toEqual({
      code: 'CODE_INTERNAL',
      message: 'internal error',
    });
  });
});
