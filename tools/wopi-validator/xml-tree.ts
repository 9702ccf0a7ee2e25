import { XMLParser } from 'fast-xml-parser';

/** An XML element with its attributes, child elements in document order and its text content. */
export interface XmlElement {
  name: string;
  attrs: Readonly<Record<string, string>>;
  children: XmlElement[];
  /** All text and CDATA below this element, concatenated untrimmed (what XElement.Value returns). */
  text: string;
}

type OrderedNode = Record<string, unknown>;

/**
 * Parses a document keeping element order (fast-xml-parser's preserveOrder), with XML's end-of-line
 * and attribute-value normalisation applied the way System.Xml.Linq does.
 */
export function parseXml(source: string): XmlElement {
  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseAttributeValue: false,
    parseTagValue: false,
    trimValues: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    processEntities: true,
  });
  const text = source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const nodes = parser.parse(text) as OrderedNode[];
  const roots = nodes.map(toElement).filter((node): node is XmlElement => node !== undefined);
  const root = roots[0];
  if (roots.length !== 1 || root === undefined) {
    throw new Error(`expected one root element, found ${String(roots.length)}`);
  }
  return root;
}

function toElement(node: OrderedNode): XmlElement | undefined {
  const name = Object.keys(node).find((key) => key !== ':@' && key !== '#text');
  if (name === undefined) {
    return undefined;
  }
  const content = (node[name] ?? []) as OrderedNode[];
  const rawAttrs = (node[':@'] ?? {}) as Record<string, unknown>;
  const attrs: Record<string, string> = {};
  for (const [key, value] of Object.entries(rawAttrs)) {
    attrs[key] = String(value).replace(/[\t\n\r]/g, ' ');
  }
  const children: XmlElement[] = [];
  let text = '';
  for (const child of content) {
    if ('#text' in child) {
      text += String(child['#text']);
      continue;
    }
    const element = toElement(child);
    if (element) {
      children.push(element);
      text += element.text;
    }
  }
  return { name, attrs, children, text };
}

/** The first child element with that name (XElement.Element). */
export function child(element: XmlElement, name: string): XmlElement | undefined {
  return element.children.find((candidate) => candidate.name === name);
}

/** `(bool?)attribute`: XmlConvert.ToBoolean accepts true/false/1/0 with surrounding whitespace. */
export function boolAttr(element: XmlElement, name: string): boolean | undefined {
  const raw = element.attrs[name];
  if (raw === undefined) {
    return undefined;
  }
  const value = raw.trim();
  if (value === 'true' || value === '1') {
    return true;
  }
  if (value === 'false' || value === '0') {
    return false;
  }
  throw new Error(`<${element.name}> ${name}="${raw}" is not an XML boolean`);
}

/** `(int)attribute` / `(uint)`: an integer, or a parse error naming the attribute. */
export function intAttr(
  element: XmlElement,
  name: string,
  min = -2147483648,
  max = 2147483647,
): number | undefined {
  const raw = element.attrs[name];
  if (raw === undefined) {
    return undefined;
  }
  const value = raw.trim();
  if (!/^[+-]?\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new Error(`<${element.name}> ${name}="${raw}" is not an integer`);
  }
  return Number(value);
}
