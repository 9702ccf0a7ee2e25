import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResourceDef } from './model';

/** The embedded-resource prefix the suite's zip-chunking FilePaths start with. */
const EMBEDDED_PREFIX = 'Microsoft.Office.WopiValidator.Core.';

/**
 * The suite's <Resources>. Request bodies are synthesised as Microsoft's runner does (the files the
 * XML names are never read): UTF-8 of Id + FilePath + Name, or nothing for ZeroByteFile.wopitest.
 * Only the zip-chunking resources are real files, read from `<dataDir>/Resources/ZipChunking/`.
 */
export class ResourceStore {
  constructor(
    private readonly defs: ReadonlyMap<string, ResourceDef>,
    /** The folder holding Resources/ (see suiteDataDir). */
    private readonly dir: string,
  ) {}

  private find(id: string | undefined): ResourceDef {
    if (id === undefined || id === '') {
      throw new Error('a request needs a ResourceId and has none');
    }
    const def = this.defs.get(id);
    if (!def) {
      throw new Error(`Resource with resourceId '${id}' doesn't exist.`);
    }
    return def;
  }

  /** Resource.GetContentStream. */
  content(id: string | undefined): Buffer {
    const def = this.find(id);
    return def.name === 'ZeroByteFile.wopitest'
      ? Buffer.alloc(0)
      : Buffer.from(def.id + def.filePath + def.name, 'utf8');
  }

  /** The zip-chunking resource's bytes and chunk offsets (FileStream + ChunkIds.txt). */
  zipChunks(id: string | undefined): { stream: Buffer; offsets: number[] } {
    const def = this.find(id);
    if (def.id === 'ZeroByteOfficeDocument') {
      return { stream: Buffer.alloc(0), offsets: [] };
    }
    const folder = this.embeddedFolder(def.filePath);
    const stream = readFileSync(join(folder, 'FileStream'));
    const offsets = readFileSync(join(folder, 'ChunkIds.txt'), 'utf8')
      .split(/\r?\n/)
      .filter((line, index, lines) => line !== '' || index < lines.length - 1)
      .map((line) => {
        if (!/^\s*[+-]?\d+\s*$/.test(line)) {
          throw new Error(
            `${def.id}: offset ${JSON.stringify(line)} in ChunkIds.txt is not a number`,
          );
        }
        return Number(line);
      });
    return { stream, offsets };
  }

  /** `Microsoft.Office.WopiValidator.Core.Resources.ZipChunking.X.Version1.MainContent.` → folder. */
  private embeddedFolder(filePath: string): string {
    if (!filePath.startsWith(EMBEDDED_PREFIX)) {
      throw new Error(`${filePath} is not an embedded zip-chunking resource`);
    }
    const parts = filePath.slice(EMBEDDED_PREFIX.length).split('.').filter(Boolean);
    return join(this.dir, ...parts);
  }
}
