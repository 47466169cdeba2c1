import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The nearest package.json up from this file: the project's, from src/, dist/ or a tool's build alike. */
function packageJsonPath(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) return file;
    if (dirname(dir) === dir)
      throw new Error(`no package.json above ${__dirname}`);
  }
}

// Read at run time, so the version is the one package.json declares without copying it into the build.
const pkg = JSON.parse(readFileSync(packageJsonPath(), 'utf8')) as {
  name: string;
  version: string;
};

export const APP_NAME: string = pkg.name;
export const APP_VERSION: string = pkg.version;
