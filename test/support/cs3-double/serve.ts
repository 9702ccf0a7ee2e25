import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { formatResourceId } from '../../../src/tokens/resource-id';
import { startCs3Double } from './index';

/**
 * The double as a process (`npm run cs3-double -- [--file /space/path=local-file]... [--ttl 3600]`):
 * starts it, puts the files in, prints one JSON line — gatewayAddr, dataUrl, the owner's reva token,
 * the resource id of every file — and runs until SIGTERM/SIGINT. For the validator and manual runs
 * of the server with COLLABORATION_STORAGE=cs3.
 */
export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      file: { type: 'string', multiple: true, default: [] },
      ttl: { type: 'string', default: '3600' },
    },
  });
  const double = await startCs3Double();
  const files: Record<string, string> = {};
  for (const spec of values.file) {
    const eq = spec.indexOf('=');
    if (!spec.startsWith('/') || eq < 0) {
      throw new Error(`--file needs /path/in/space=local-file, got ${spec}`);
    }
    const path = spec.slice(0, eq);
    files[path] = formatResourceId(
      await double.createFile(path, await readFile(spec.slice(eq + 1))),
    );
  }
  const stop = () => {
    void double.dispose().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.stdout.write(
    `${JSON.stringify({
      gatewayAddr: double.gatewayAddr,
      dataUrl: double.dataUrl,
      storageId: double.storageId,
      spaceId: double.spaceId,
      owner: double.owner,
      revaToken: double.mintToken(double.owner, { ttlSeconds: Number(values.ttl) }),
      files,
    })}\n`,
  );
}
