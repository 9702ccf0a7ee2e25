/**
 * Metadata for one configuration setting: where it comes from (environment variables, in order of
 * precedence) and what it means. The loader reads values through it and the documentation generator
 * renders the reference from it, so the two can never disagree.
 */
export type SettingKind =
  'string' | 'int' | 'bool' | 'duration' | 'size' | 'list' | 'enum' | 'addr' | 'url';

export interface SettingMeta {
  /** Environment variables, first match wins. The first one is the canonical name. */
  env: readonly string[];
  kind: SettingKind;
  description: string;
  /** Never printed, not even in validation errors. */
  secret?: boolean;
  /** Allowed values for `enum`. */
  values?: readonly string[];
  /** Human text for the default when it is not a plain value (e.g. "generated in local mode"). */
  defaultText?: string;
}

export interface SettingEntry extends SettingMeta {
  property: string;
}

const registry = new Map<object, SettingEntry[]>();

export function Setting(meta: SettingMeta): PropertyDecorator {
  return (target, property) => {
    const ctor = target.constructor;
    const entries = registry.get(ctor) ?? [];
    entries.push({ ...meta, property: String(property) });
    registry.set(ctor, entries);
  };
}

export function settingsOf(ctor: object): readonly SettingEntry[] {
  return registry.get(ctor) ?? [];
}
