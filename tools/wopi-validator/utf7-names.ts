import { encode } from 'utf7';

/**
 * .NET's Encoding.UTF7: RFC 2152 set D plus space, tab, CR and LF written directly, everything else
 * (set O included, so `_` becomes `+AF8-`) in modified base64. RenameFile and RenameContainer send
 * this string as X-WOPI-RequestedName.
 */
export function dotnetUtf7(name: string): string {
  return encode(name, ' \t\r\n');
}

/**
 * Uri.UnescapeDataString(HttpUtility.UrlEncode(name, UTF7)), what PutRelativeFile, CreateChildFile
 * and CreateChildContainer send as X-WOPI-SuggestedTarget / X-WOPI-RelativeTarget: the UTF-7 string
 * with spaces turned into `+`.
 */
export function dotnetUtf7UrlRoundTrip(name: string): string {
  return dotnetUtf7(name).replace(/ /g, '+');
}
