import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/temp';
import { loadCases, suiteDataDir } from './load';
import { suiteXml } from './testing/scripted-host';

const SUITE = suiteXml(
  '',
  '<TestGroup Name="G"><TestCases><TestCase Name="C" Category="WopiCore"><Requests><CheckFileInfo><Validators><JsonSchemaValidator Schema="S" /></Validators></CheckFileInfo></Requests></TestCase></TestCases></TestGroup>',
);

describe('loadCases', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    dir = await tempDir('validator-load-');
    await writeFile(join(dir.dir, 'TestCases.xml'), SUITE);
  });
  afterEach(async () => {
    await dir.remove();
  });

  it('should find JsonSchemas beside TestCases.xml, BOM and comments allowed', async () => {
    await mkdir(join(dir.dir, 'JsonSchemas'));
    await writeFile(
      join(dir.dir, 'JsonSchemas', 'S.json'),
      '\uFEFF{ "type": "object" // a comment\n}',
    );
    const loaded = loadCases(join(dir.dir, 'TestCases.xml'));
    expect(suiteDataDir(loaded.suite.file)).toBe(dir.dir);
    expect(loaded.schemas.validate('S', '{}')).toEqual([]);
    expect(loaded.schemas.validate('S', '[]')).not.toEqual([]);
  });

  it('should find them in src/WopiValidator.Core of a wopi-validator-core checkout', async () => {
    const upstream = join(dir.dir, 'src', 'WopiValidator.Core');
    await mkdir(join(upstream, 'JsonSchemas'), { recursive: true });
    await writeFile(join(upstream, 'JsonSchemas', 'S.json'), '{}');
    expect(suiteDataDir(join(dir.dir, 'TestCases.xml'))).toBe(upstream);
    expect(loadCases(join(dir.dir, 'TestCases.xml')).schemas.has('S')).toBe(true);
  });

  it('should refuse a suite whose schemas are missing', () => {
    expect(() => loadCases(join(dir.dir, 'TestCases.xml'))).toThrow(
      'schema(s) not found in JsonSchemas/: S',
    );
  });
});
