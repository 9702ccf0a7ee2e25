import { Injectable } from '@nestjs/common';
import { DEFAULT_MIME_TYPE, mimeTypeForExtension } from '../common/mime';
import { AppConfig, type Product } from '../config/app-config';
import { UnknownAppError } from './discovery.errors';
import { DiscoveryService } from './discovery.service';
import { openableExtensions } from './editor-url';

/** What the app provider registers with oCIS for one editor app. */
export interface EditorAppInfo {
  name: string;
  product: Product;
  description: string;
  icon: string;
  /** Extensions the app opens (those with a view, edit or view_comment action). */
  extensions: string[];
  /** MIME types of those extensions (unknown ones and application/octet-stream left out). */
  mimeTypes: string[];
  /** False while the app's discovery has never answered: extensions and MIME types are empty. */
  discovered: boolean;
}

/** The configured editor apps with what their discovery says they open. */
@Injectable()
export class EditorAppsService {
  constructor(
    private readonly config: AppConfig,
    private readonly discovery: DiscoveryService,
  ) {}

  async list(): Promise<EditorAppInfo[]> {
    return Promise.all(this.config.apps.map((app) => this.describe(app.name)));
  }

  async describe(name: string): Promise<EditorAppInfo> {
    const settings = this.discovery.settings(name);
    if (!settings) {
      throw new UnknownAppError(name);
    }
    const document = await this.discovery.forApp(settings.name)?.ensure();
    const extensions = document ? openableExtensions(document) : [];
    const mimeTypes = new Set<string>();
    for (const extension of extensions) {
      const mime = mimeTypeForExtension(extension);
      if (mime !== undefined && mime !== DEFAULT_MIME_TYPE) {
        mimeTypes.add(mime);
      }
    }
    return {
      name: settings.name,
      product: settings.product,
      description: settings.description,
      icon: settings.icon,
      extensions,
      mimeTypes: [...mimeTypes].sort(),
      discovered: document !== undefined,
    };
  }
}
