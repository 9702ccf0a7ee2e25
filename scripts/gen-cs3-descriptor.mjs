// Compiles proto/ into the JSON descriptor the service loads at run time
// (src/cs3/proto/cs3.descriptor.json), so no .proto file is read at run time (single executable).
//   npm run proto:gen                       regenerate
//   node scripts/gen-cs3-descriptor.mjs --check [--proto <dir>] [--out <file>]
//                                           exit 1 when the descriptor is out of date with proto/
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import prettier from 'prettier';
import protobuf from 'protobufjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    check: { type: 'boolean', default: false },
    proto: { type: 'string', default: join(root, 'proto') },
    out: { type: 'string', default: join(root, 'src', 'cs3', 'proto', 'cs3.descriptor.json') },
  },
});
const protoDir = resolve(values.proto);

function protoFiles(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.proto'))
    .map((entry) => relative(protoDir, join(entry.parentPath, entry.name)))
    .sort();
}

// Every import resolves inside proto/ (also google/protobuf/*), nothing from protobufjs's bundle.
const tree = new protobuf.Root();
tree.resolvePath = (_origin, target) => join(protoDir, target);
tree.loadSync(protoFiles(protoDir), { keepCase: true, alternateCommentMode: false });
tree.resolveAll();
const descriptor = tree.toJSON({ keepComments: false });

if (values.check) {
  const current = JSON.parse(readFileSync(values.out, 'utf8'));
  if (!isDeepStrictEqual(current, JSON.parse(JSON.stringify(descriptor)))) {
    process.stderr.write(
      `${relative(root, values.out)} is out of date with ${relative(root, protoDir) || '.'}/: run npm run proto:gen\n`,
    );
    process.exit(1);
  }
  process.stdout.write('CS3 descriptor is up to date\n');
} else {
  const options = (await prettier.resolveConfig(values.out)) ?? {};
  const text = await prettier.format(JSON.stringify(descriptor), {
    ...options,
    filepath: values.out,
  });
  writeFileSync(values.out, text);
  process.stdout.write(`wrote ${relative(root, values.out)}\n`);
}
