import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  CATEGORIES,
  type Category,
  type GroupDef,
  type ResourceDef,
  type Suite,
  type TestCaseDef,
} from './model';
import { parseRequests } from './parse-request';
import { boolAttr, child, parseXml, type XmlElement } from './xml-tree';

/** Reads TestCases.xml. Every prerequisite is kept (never filtered by category). */
export function loadSuite(path: string): Suite {
  const file = resolve(path);
  try {
    return parseSuite(readFileSync(file, 'utf8'), file);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${file}: ${message}`, { cause: error });
  }
}

export function parseSuite(source: string, file = 'TestCases.xml'): Suite {
  const root = parseXml(source);
  if (root.name !== 'WopiValidation') {
    throw new Error(`root element is <${root.name}>, expected <WopiValidation>`);
  }
  const resources = new Map<string, ResourceDef>();
  for (const element of child(root, 'Resources')?.children ?? []) {
    if (element.name === 'File') {
      const id = element.attrs['Id'] ?? '';
      resources.set(id, {
        id,
        name: element.attrs['Name'] ?? '',
        filePath: element.attrs['FilePath'] ?? '',
      });
    }
  }
  const prereqs = new Map<string, TestCaseDef>();
  for (const element of childrenNamed(child(root, 'PrereqCases'), 'TestCase')) {
    const testCase = parseTestCase(element);
    if (prereqs.has(testCase.name)) {
      throw new Error(`two prerequisite cases are named ${testCase.name}`);
    }
    prereqs.set(testCase.name, testCase);
  }
  const groups = childrenNamed(root, 'TestGroup').map((element) => parseGroup(element, prereqs));
  return { file, resources, prereqs, groups };
}

function parseGroup(element: XmlElement, prereqs: ReadonlyMap<string, TestCaseDef>): GroupDef {
  const name = element.attrs['Name'] ?? '';
  const prereqCases = childrenNamed(child(element, 'PrereqTests'), 'PrereqTest').map((item) => {
    const found = prereqs.get(item.text);
    if (!found) {
      throw new Error(`group ${name}: could not find a prereq test case named ${item.text}`);
    }
    return found;
  });
  const cases = childrenNamed(child(element, 'TestCases'), 'TestCase').map(parseTestCase);
  return { name, hasDelay: boolAttr(element, 'HasDelay') ?? false, prereqs: prereqCases, cases };
}

function parseTestCase(element: XmlElement): TestCaseDef {
  const name = element.attrs['Name'];
  if (!name) {
    throw new Error('a TestCase has no Name');
  }
  try {
    const requests = parseRequests(child(element, 'Requests'));
    if (requests.length === 0) {
      throw new Error('TestCase has to have at least one request.');
    }
    return {
      name,
      category: parseCategory(element.attrs['Category']),
      description: condense(child(element, 'Description')?.text ?? ''),
      failMessage: element.attrs['FailMessage'],
      requests,
      cleanup: parseRequests(child(element, 'CleanupRequests')),
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`TestCase ${name}: ${message}`, { cause: error });
  }
}

function parseCategory(raw: string | undefined): Category {
  if (!raw) {
    throw new Error('the category is empty');
  }
  const found = CATEGORIES.find((category) => category.toLowerCase() === raw.trim().toLowerCase());
  if (!found) {
    throw new Error(`the category ${raw} is invalid`);
  }
  return found;
}

/** Lines trimmed, single newlines become spaces, blank lines become one newline. */
function condense(text: string): string {
  return text
    .trim()
    .split('\n')
    .map((line) => line.trim())
    .join('\n')
    .split(/\n{2,}/)
    .map((paragraph) => paragraph.replace(/\n+/g, ' '))
    .join('\n');
}

function childrenNamed(element: XmlElement | undefined, name: string): XmlElement[] {
  return (element?.children ?? []).filter((candidate) => candidate.name === name);
}
