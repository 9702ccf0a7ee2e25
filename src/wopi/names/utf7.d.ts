/** The `utf7` package (RFC 2152 UTF-7 and IMAP's modified UTF-7) ships no types. */
declare module 'utf7' {
  /** RFC 2152 UTF-7; characters in `mask` are written directly besides set D. */
  export function encode(text: string, mask?: string): string;
  export function decode(text: string): string;
  /** Encodes set O too, unlike .NET. */
  export function encodeAll(text: string): string;
}
