import type { Product } from '../config/app-config';
import type { ViewMode } from '../tokens/access-token.types';
import {
  zonesByPreference,
  type Discovery,
  type DiscoveryAction,
  type DiscoveryApp,
} from './discovery.types';
import { appendQuery, languageTag, substitutePlaceholders } from './placeholders';

/** The actions a file is opened with, by view mode (oCIS's choice, see ocis-collaboration §1.6). */
const ACTION_ORDER: Record<'read' | 'write', readonly string[]> = {
  read: ['view', 'edit', 'view_comment'],
  write: ['edit', 'view', 'view_comment'],
};

/** WOPI capability groups we implement; actions needing others (cobalt, containers) are skipped. */
const SUPPORTED_REQUIREMENTS = new Set(['update', 'locks']);

export interface EditorUrlOptions {
  product: Product;
  /** File extension, with or without the dot. */
  extension: string;
  mode: ViewMode;
  /** The token's WOPISrc: `{COLLABORATION_WOPI_SRC}/wopi/files/{fileId}`. */
  wopiSrc: string;
  /** An explicit action (embedview, mobileView, editnew...) instead of the view-mode choice. */
  action?: string;
  /** BCP 47 / RFC 1766 language of the user interface. */
  lang?: string;
  theme?: 'light' | 'dark';
  disableChat?: boolean;
  embedded?: boolean;
  fullscreen?: boolean;
  hostSessionId?: string;
  sessionContext?: string;
  businessUser?: boolean;
  validatorTestCategory?: 'All' | 'OfficeOnline' | 'OfficeNativeClient';
}

export interface EditorUrl {
  /** Where the browser POSTs access_token and access_token_ttl. */
  url: string;
  action: DiscoveryAction;
  /** The discovery app (Word, writer...) that serves the action. */
  app: DiscoveryApp;
  netZone: string;
}

export interface ChosenAction {
  action: DiscoveryAction;
  app: DiscoveryApp;
  netZone: string;
}

/** Picks the action for a file: an explicit one, or view/edit/view_comment by view mode. */
export function chooseAction(
  discovery: Discovery,
  extension: string,
  mode: ViewMode,
  explicit?: string,
): ChosenAction | undefined {
  const ext = extension.replace(/^\./, '').toLowerCase();
  if (ext === '') {
    return undefined;
  }
  const order =
    explicit !== undefined ? [explicit] : ACTION_ORDER[mode === 'write' ? 'write' : 'read'];
  for (const zone of zonesByPreference(discovery)) {
    const candidates = zone.apps.flatMap((app) =>
      app.actions
        .filter((action) => action.ext === ext && usable(action))
        .map((action) => ({ action, app, netZone: zone.name })),
    );
    for (const name of order) {
      const matching = candidates.filter((c) => c.action.name === name);
      const chosen = matching.find((c) => c.action.isDefault) ?? matching[0];
      if (chosen) {
        return chosen;
      }
    }
  }
  return undefined;
}

/** Extensions the discovery can open (those with a view, edit or view_comment action). */
export function openableExtensions(discovery: Discovery): string[] {
  const names = new Set(ACTION_ORDER.read);
  const extensions = new Set<string>();
  for (const zone of discovery.netZones) {
    for (const app of zone.apps) {
      for (const action of app.actions) {
        if (action.ext !== '' && names.has(action.name) && usable(action)) {
          extensions.add(action.ext);
        }
      }
    }
  }
  return [...extensions].sort();
}

/**
 * The editor URL for a file: the chosen action's urlsrc with its placeholders substituted (unknown
 * ones dropped) and WOPISrc added; Collabora's placeholder-less urlsrc gets WOPISrc and lang
 * appended. Never carries the access token: that is POSTed.
 */
export function buildEditorUrl(
  discovery: Discovery,
  options: EditorUrlOptions,
): EditorUrl | undefined {
  const chosen = chooseAction(discovery, options.extension, options.mode, options.action);
  if (!chosen) {
    return undefined;
  }
  const lang = languageTag(options.lang, true);
  const { url, hadWopiSource } = substitutePlaceholders(chosen.action.urlsrc, {
    WOPI_SOURCE: options.wopiSrc,
    UI_LLCC: lang,
    DC_LLCC: lang,
    DISABLE_CHAT: options.disableChat ? '1' : undefined,
    THEME_ID: options.theme === undefined ? undefined : options.theme === 'dark' ? '2' : '1',
    EMBEDDED: options.embedded ? flag(options.product) : undefined,
    FULLSCREEN: options.fullscreen ? flag(options.product) : undefined,
    HOST_SESSION_ID: options.hostSessionId,
    SESSION_CONTEXT: options.sessionContext,
    BUSINESS_USER: options.businessUser ? '1' : undefined,
    VALIDATOR_TEST_CATEGORY: options.validatorTestCategory,
  });
  const extra: [string, string][] = [];
  if (!hadWopiSource) {
    extra.push(['WOPISrc', options.wopiSrc]);
  }
  if (!/<[^<>=]+=[^<>]*>/.test(chosen.action.urlsrc)) {
    // A template without placeholders (Collabora): its parameters are plain query parameters.
    const plainLang = languageTag(options.lang, false);
    if (plainLang !== undefined) {
      extra.push(['lang', plainLang]);
    }
    if (options.disableChat) {
      extra.push(['dchat', '1']);
    }
  }
  return { url: appendQuery(url, extra), ...chosen };
}

function usable(action: DiscoveryAction): boolean {
  return action.urlsrc !== '' && action.requires.every((r) => SUPPORTED_REQUIREMENTS.has(r));
}

/** Microsoft documents `true` for its boolean placeholders; OnlyOffice reads `1`. */
function flag(product: Product): string {
  return product === 'Microsoft365' || product === 'MicrosoftOfficeOnline' ? 'true' : '1';
}
