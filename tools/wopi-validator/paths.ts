import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';

/** The project root: the nearest folder above this file that has a package.json. */
export function projectRoot(from = __dirname): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) {
      throw new Error(`no package.json above ${from}`);
    }
    dir = parent;
  }
  return dir;
}

/**
 * The TestCases.xml to use: --cases (relative to the working directory), else WOPI_VALIDATOR_CASES,
 * else ../shared/wopi-validator/TestCases.xml next to the project root.
 */
export function casesPath(
  option: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const chosen = option ?? env['WOPI_VALIDATOR_CASES'];
  if (chosen !== undefined && chosen !== '') {
    return isAbsolute(chosen) ? chosen : resolve(chosen);
  }
  return join(projectRoot(), '..', 'shared', 'wopi-validator', 'TestCases.xml');
}
