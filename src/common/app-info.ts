import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// Read at run time from the package root (two levels up from src/common and from dist/common), so the version is
// the one package.json declares without copying package.json into the build.
const pkg = JSON.parse(
  readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'),
) as {
  name: string;
  version: string;
};

export const APP_NAME: string = pkg.name;
export const APP_VERSION: string = pkg.version;
