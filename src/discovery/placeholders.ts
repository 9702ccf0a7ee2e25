/**
 * Microsoft's urlsrc transformation (also what OnlyOffice publishes): every optional
 * `<name=PLACEHOLDER[&]>` is removed when the placeholder is unknown or has no value; otherwise the
 * brackets go, `name=` stays, the placeholder becomes the URL-encoded value and the `&` is kept.
 * Returns the URL and whether the template asked for WOPI_SOURCE itself.
 */
export function substitutePlaceholders(
  urlsrc: string,
  values: Readonly<Record<string, string | undefined>>,
): { url: string; hadWopiSource: boolean } {
  let hadWopiSource = false;
  const substituted = urlsrc.replace(
    /<([^<>=]+)=([^<>&]*)(&?)>/g,
    (_match, name: string, placeholder: string, amp: string) => {
      if (placeholder === 'WOPI_SOURCE') {
        hadWopiSource = true;
      }
      const value = values[placeholder];
      return value === undefined || value === ''
        ? ''
        : `${name}=${encodeURIComponent(value)}${amp}`;
    },
  );
  return { url: tidyQuery(substituted), hadWopiSource };
}

/** Appends query parameters (already chosen and not yet encoded) to a URL. */
export function appendQuery(url: string, params: readonly (readonly [string, string])[]): string {
  if (params.length === 0) {
    return tidyQuery(url);
  }
  const query = params
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
    .join('&');
  const base = tidyQuery(url);
  return `${base}${base.includes('?') ? '&' : '?'}${query}`;
}

/** Drops empty query parts ("?&a=1&&" becomes "?a=1") and a query left empty. */
function tidyQuery(url: string): string {
  const queryStart = url.indexOf('?');
  if (queryStart < 0) {
    return url;
  }
  const query = url
    .slice(queryStart + 1)
    .split('&')
    .filter((part) => part !== '')
    .join('&');
  return query === '' ? url.slice(0, queryStart) : `${url.slice(0, queryStart)}?${query}`;
}

/** Region-less language codes as Microsoft and OnlyOffice expect them in UI_LLCC/DC_LLCC. */
const DEFAULT_REGION: Record<string, string> = {
  ar: 'ar-SA',
  bg: 'bg-BG',
  ca: 'ca-ES',
  cs: 'cs-CZ',
  da: 'da-DK',
  de: 'de-DE',
  el: 'el-GR',
  en: 'en-US',
  es: 'es-ES',
  fi: 'fi-FI',
  fr: 'fr-FR',
  gl: 'gl-ES',
  he: 'he-IL',
  hu: 'hu-HU',
  id: 'id-ID',
  it: 'it-IT',
  ja: 'ja-JP',
  ko: 'ko-KR',
  nb: 'nb-NO',
  nl: 'nl-NL',
  pl: 'pl-PL',
  pt: 'pt-PT',
  ro: 'ro-RO',
  ru: 'ru-RU',
  sk: 'sk-SK',
  sl: 'sl-SI',
  sq: 'sq-AL',
  sv: 'sv-SE',
  tr: 'tr-TR',
  uk: 'uk-UA',
  vi: 'vi-VN',
  zh: 'zh-CN',
};

/**
 * A normalised language tag (`pt_BR` → `pt-BR`); with `withRegion`, a bare language gets its usual
 * region (`de` → `de-DE`) as UI_LLCC and DC_LLCC want it. Undefined for anything that is no tag.
 */
export function languageTag(lang: string | undefined, withRegion: boolean): string | undefined {
  if (lang === undefined) {
    return undefined;
  }
  const tag = lang.trim().replace(/_/g, '-');
  if (!/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(tag)) {
    return undefined;
  }
  const [language = '', ...rest] = tag.split('-');
  if (rest.length === 0) {
    if (!withRegion) {
      return language.toLowerCase();
    }
    return DEFAULT_REGION[language.toLowerCase()] ?? language.toLowerCase();
  }
  return [
    language.toLowerCase(),
    ...rest.map((part) => (part.length === 2 ? part.toUpperCase() : part)),
  ].join('-');
}
