/** Types of the `utf7` package (RFC 2152 UTF-7; it ships none). */
declare module 'utf7' {
  export function encode(text: string): string;
  export function decode(text: string): string;
  export function encodeAll(text: string): string;
}
