import { Injectable } from '@nestjs/common';
import { extensionOf } from '../common/mime';
import { AppConfig } from '../config/app-config';
import { EditorUnavailableError, NoEditorActionError, UnknownAppError } from './discovery.errors';
import { DiscoveryService } from './discovery.service';
import { buildEditorUrl, type EditorUrl, type EditorUrlOptions } from './editor-url';

export type AppUrlRequest = Omit<EditorUrlOptions, 'product' | 'extension' | 'disableChat'> & {
  /** The file's name; its extension picks the action. */
  fileName: string;
};

/** Editor URLs of the configured apps, from their discovery (never from the configured address). */
@Injectable()
export class EditorUrlService {
  constructor(
    private readonly config: AppConfig,
    private readonly discovery: DiscoveryService,
  ) {}

  /** The app a request means: the named one, else the first configured app; undefined if none. */
  appName(requested?: string): string | undefined {
    if (requested !== undefined && requested !== '') {
      const settings = this.discovery.settings(requested);
      if (!settings) {
        throw new UnknownAppError(requested);
      }
      return settings.name;
    }
    return this.config.apps[0]?.name;
  }

  /** The URL the browser POSTs the access token to, to open the file in the app. */
  async appUrl(appName: string, request: AppUrlRequest): Promise<EditorUrl> {
    const settings = this.discovery.settings(appName);
    if (!settings) {
      throw new UnknownAppError(appName);
    }
    const document = await this.discovery.forApp(settings.name)?.ensure();
    if (!document) {
      throw new EditorUnavailableError(settings.name);
    }
    const { fileName, ...options } = request;
    const extension = extensionOf(fileName);
    const url = buildEditorUrl(document, {
      ...options,
      product: settings.product,
      extension,
      disableChat: this.config.wopi.disableChat,
    });
    if (!url) {
      throw new NoEditorActionError(settings.name, extension);
    }
    return url;
  }
}
