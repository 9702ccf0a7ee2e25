import { Injectable } from '@nestjs/common';
import { AppConfig, type EditorAppSettings, type Product } from '../config/app-config';

/** The CheckFileInfo flavours: the keys each editor reads. */
export type Flavour = 'collabora' | 'onlyoffice' | 'microsoft' | 'default';

/** App name of storage locks taken with a token that names no app (oCIS's historic lock name). */
export const DEFAULT_LOCK_APP = 'com.github.owncloud.collaboration';

const FLAVOUR_BY_PRODUCT: Record<Product, Flavour> = {
  Collabora: 'collabora',
  OnlyOffice: 'onlyoffice',
  Microsoft365: 'microsoft',
  MicrosoftOfficeOnline: 'microsoft',
  CoOPS: 'default',
  generic: 'default',
};

/**
 * The configured editor apps as WOPI sees them: a token's `app` names one (case-insensitively),
 * whose product selects the CheckFileInfo flavour. No app, or an app that is not configured, gets
 * the default flavour (Microsoft-like, what the WOPI validator expects).
 */
@Injectable()
export class WopiApps {
  private readonly byName = new Map<string, EditorAppSettings>();

  constructor(private readonly config: AppConfig) {
    for (const app of config.apps) {
      this.byName.set(app.name.toLowerCase(), app);
    }
  }

  appOf(tokenApp: string | undefined): EditorAppSettings | undefined {
    return tokenApp === undefined ? undefined : this.byName.get(tokenApp.toLowerCase());
  }

  flavourOf(tokenApp: string | undefined): Flavour {
    const app = this.appOf(tokenApp);
    return app ? FLAVOUR_BY_PRODUCT[app.product] : 'default';
  }

  /** The app name storage locks carry: the configured spelling of the token's app. */
  lockAppName(tokenApp: string | undefined): string {
    if (tokenApp === undefined || tokenApp === '') {
      return DEFAULT_LOCK_APP;
    }
    return this.appOf(tokenApp)?.name ?? tokenApp;
  }

  /** The app name in oCIS web URLs (`external-<name>`): the token's app, else the first configured. */
  webAppName(tokenApp: string | undefined): string | undefined {
    return this.appOf(tokenApp)?.name ?? tokenApp ?? this.config.apps[0]?.name;
  }

  /** COLLABORATION_WOPI_SRC without a trailing slash. */
  get wopiBase(): string {
    return this.config.wopi.src.replace(/\/+$/, '');
  }
}
