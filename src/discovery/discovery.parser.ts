import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Discovery, DiscoveryAction, DiscoveryApp, NetZone } from './discovery.types';
import { InvalidProofKeyError, proofKeyFromAttributes, type ProofKeys } from './proof-keys';

export class DiscoveryParseError extends Error {}

type Attributes = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseAttributeValue: false,
  parseTagValue: false,
  processEntities: true,
  htmlEntities: false,
  isArray: (name) => name === 'net-zone' || name === 'app' || name === 'action',
});

/**
 * Parses a WOPI discovery document: every net-zone, app and action (with ext, default, requires,
 * targetext, urlsrc), MIME-type apps, favicons, and the proof keys (current and old). A document
 * without `proof-key` is valid: that editor does not sign. Throws DiscoveryParseError for anything
 * that is not a usable discovery document, so a bad answer never replaces a good copy.
 */
export function parseDiscovery(xml: string): Discovery {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) {
    throw new DiscoveryParseError('document type declarations are not accepted');
  }
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw new DiscoveryParseError(
      `not well-formed XML (line ${String(valid.err.line)}: ${valid.err.msg})`,
    );
  }
  const root = (parser.parse(xml) as Attributes)['wopi-discovery'];
  if (!isObject(root)) {
    throw new DiscoveryParseError('no <wopi-discovery> element');
  }
  const netZones = asArray(root['net-zone']).map(parseNetZone);
  if (!netZones.some((zone) => zone.apps.some((app) => app.actions.length > 0))) {
    throw new DiscoveryParseError('no action in any net-zone');
  }
  const proofKeys = parseProofKeys(root['proof-key']);
  return proofKeys ? { netZones, proofKeys } : { netZones };
}

function parseNetZone(node: unknown): NetZone {
  const zone = isObject(node) ? node : {};
  return { name: text(zone['@name']) ?? '', apps: asArray(zone['app']).map(parseApp) };
}

function parseApp(node: unknown): DiscoveryApp {
  const app = isObject(node) ? node : {};
  const name = text(app['@name']) ?? '';
  const favIconUrl = text(app['@favIconUrl']);
  return {
    name,
    isMimeType: name.includes('/'),
    ...(favIconUrl ? { favIconUrl } : {}),
    checkLicense: text(app['@checkLicense']) === 'true',
    actions: asArray(app['action']).flatMap(parseAction),
  };
}

function parseAction(node: unknown): DiscoveryAction[] {
  const action = isObject(node) ? node : {};
  const name = text(action['@name']);
  if (name === undefined || name === '') {
    return [];
  }
  const targetExt = text(action['@targetext']);
  return [
    {
      name,
      ext: (text(action['@ext']) ?? '').replace(/^\./, '').toLowerCase(),
      urlsrc: text(action['@urlsrc']) ?? '',
      isDefault: text(action['@default']) === 'true',
      requires: (text(action['@requires']) ?? '')
        .split(',')
        .map((r) => r.trim().toLowerCase())
        .filter((r) => r !== ''),
      ...(targetExt ? { targetExt: targetExt.toLowerCase() } : {}),
    },
  ];
}

function parseProofKeys(node: unknown): ProofKeys | undefined {
  if (node === undefined) {
    return undefined;
  }
  const attributes = isObject(node) ? node : {};
  try {
    const current = proofKeyFromAttributes(
      text(attributes['@modulus']),
      text(attributes['@exponent']),
      text(attributes['@value']),
    );
    const old = proofKeyFromAttributes(
      text(attributes['@oldmodulus']),
      text(attributes['@oldexponent']),
      text(attributes['@oldvalue']),
    );
    if (!current) {
      if (old) {
        throw new DiscoveryParseError('proof-key has an old key but no current one');
      }
      return undefined;
    }
    return old ? { current, old } : { current };
  } catch (error) {
    if (error instanceof InvalidProofKeyError) {
      throw new DiscoveryParseError(`unusable proof-key: ${error.message}`);
    }
    throw error;
  }
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function isObject(value: unknown): value is Attributes {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null) {
    return [];
  }
  return Array.isArray(value) ? (value as unknown[]) : [value];
}
