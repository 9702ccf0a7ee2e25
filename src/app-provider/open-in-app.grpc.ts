import type * as grpc from '@grpc/grpc-js';
import { Logger } from '@nestjs/common';
import { BadRequestError, NotFoundError } from '../common/errors/app-error';
import { TOKEN_METADATA } from '../cs3/cs3-gateway.client';
import { fromResourceId, toFileInfo } from '../cs3/cs3-mapping';
import { readPlain } from '../cs3/proto/cs3-proto';
import type { AppViewMode, OpenInAppRequest, OpenInAppResponse } from '../cs3/proto/cs3.messages';
import type { ViewMode } from '../tokens/access-token.types';
import { statusOfError } from './cs3-error-status';
import type { OpenInAppCommand, OpenInAppService } from './open-in-app.service';

/** app.provider.v1beta1.ViewMode → our view modes (PREVIEW opens read-only, as a viewer would). */
const VIEW_MODES: Partial<Record<AppViewMode, ViewMode>> = {
  VIEW_MODE_VIEW_ONLY: 'view',
  VIEW_MODE_READ_ONLY: 'read',
  VIEW_MODE_READ_WRITE: 'write',
  VIEW_MODE_PREVIEW: 'read',
};

const logger = new Logger('OpenInApp');

/** The unary handler of `cs3.app.provider.v1beta1.ProviderAPI/OpenInApp` for one app. */
export function openInAppHandler(
  service: OpenInAppService,
  app: string | undefined,
): grpc.handleUnaryCall<OpenInAppRequest, OpenInAppResponse> {
  return (call, callback) => {
    void (async () => {
      try {
        const command = commandOf(call.request, call.metadata, app);
        const answer = await service.open(command);
        callback(null, {
          status: { code: 'CODE_OK' },
          app_url: {
            app_url: answer.appUrl,
            method: answer.method,
            form_parameters: answer.formParameters,
          },
        });
      } catch (error) {
        const status = statusOfError(error);
        if (status.code === 'CODE_INTERNAL') {
          logger.error({ app, error: (error as Error).message }, 'OpenInApp failed');
        } else {
          logger.warn({ app, code: status.code, error: status.message }, 'OpenInApp refused');
        }
        callback(null, { status });
      }
    })();
  };
}

/** Reads the request: resource, view mode, reva token (field or metadata) and opaque entries. */
export function commandOf(
  request: OpenInAppRequest,
  metadata: grpc.Metadata,
  app: string | undefined,
): OpenInAppCommand {
  if (app === undefined) {
    throw new NotFoundError('no editor app is configured');
  }
  const info = request.resource_info;
  if (!info?.id?.opaque_id && !info?.id?.space_id) {
    throw new BadRequestError('OpenInApp without resource_info.id');
  }
  const mode = typeof request.view_mode === 'string' ? VIEW_MODES[request.view_mode] : undefined;
  if (mode === undefined) {
    throw new BadRequestError(`OpenInApp with view mode ${String(request.view_mode)}`);
  }
  const fromMetadata = metadata.get(TOKEN_METADATA)[0]?.toString();
  const revaToken = nonEmpty(request.access_token) ?? nonEmpty(fromMetadata);
  const lang = nonEmpty(readPlain(request.opaque, 'lang'));
  const viewOnlyToken = nonEmpty(readPlain(request.opaque, 'viewOnlyToken'));
  const template = nonEmpty(readPlain(request.opaque, 'template'));
  return {
    app,
    resourceId: fromResourceId(info.id),
    name: toFileInfo(info).name,
    mode,
    ...(revaToken ? { revaToken } : {}),
    ...(lang ? { lang } : {}),
    ...(viewOnlyToken ? { viewOnlyToken } : {}),
    ...(template ? { template } : {}),
  };
}

function nonEmpty(text: string | undefined): string | undefined {
  return text === undefined || text === '' ? undefined : text;
}
