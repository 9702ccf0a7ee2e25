import type { ProofKeys } from './proof-keys';

/** One `<action>` of a discovery document. */
export interface DiscoveryAction {
  /** view, edit, editnew, view_comment, embedview, mobileView, convert, getinfo... */
  name: string;
  /** Lower-case extension without the dot; '' on MIME-type apps. */
  ext: string;
  /** The URL template with its `<name=PLACEHOLDER&>` parts; '' when the action has none. */
  urlsrc: string;
  isDefault: boolean;
  /** WOPI capability groups the action needs: update, locks, cobalt, containers. */
  requires: string[];
  /** Target extension of a `convert` action. */
  targetExt?: string;
}

/** One `<app>`: Word, writer, Excel... or, in legacy entries, a MIME type. */
export interface DiscoveryApp {
  name: string;
  /** True when the name is a MIME type (legacy entries whose actions have ext=""). */
  isMimeType: boolean;
  favIconUrl?: string;
  checkLicense: boolean;
  actions: DiscoveryAction[];
}

export interface NetZone {
  /** external-https, external-http, internal-https, internal-http. */
  name: string;
  apps: DiscoveryApp[];
}

/** A parsed discovery document. Without `proofKeys` the editor does not sign its requests. */
export interface Discovery {
  netZones: NetZone[];
  proofKeys?: ProofKeys;
}

/** Net zones in the order editor URLs are taken from them. */
export const NET_ZONE_PREFERENCE = [
  'external-https',
  'external-http',
  'internal-https',
  'internal-http',
] as const;

export function zonesByPreference(discovery: Discovery): NetZone[] {
  const rank = (zone: NetZone): number => {
    const index = (NET_ZONE_PREFERENCE as readonly string[]).indexOf(zone.name);
    return index < 0 ? NET_ZONE_PREFERENCE.length : index;
  };
  return [...discovery.netZones].sort((a, b) => rank(a) - rank(b));
}
