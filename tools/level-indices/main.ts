/**
 * `npm run level-indices`: writes src/data-sources/synthetic/level-index-data.ts from the published series' CSV
 * files in tools/level-indices/series/ (FRED's download format; SOURCES.md there says where each came from). To move
 * the indices to a later month: download the same series again from FRED, replace the CSV files, run this, then
 * `npm run fidelity` and the README example refresh. `--check` writes nothing and fails when the module differs from
 * what the CSV files give (the unit test checks the same).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { projectRoot } from '../openapi/project-root';
import { levelIndexModule, readLevelIndices } from './level-index-files';

async function main(): Promise<void> {
  const root = projectRoot(__dirname);
  const target = join(root, 'src/data-sources/synthetic/level-index-data.ts');
  const text = await format(
    levelIndexModule(
      readLevelIndices(join(root, 'tools/level-indices/series')),
    ),
    { ...(await resolveConfig(target)), filepath: target },
  );
  if (process.argv.includes('--check')) {
    if (readFileSync(target, 'utf8') !== text) {
      console.error(
        `${target} differs from the CSV files: run npm run level-indices`,
      );
      process.exit(1);
    }
    console.log(`${target} matches the CSV files`);
  } else {
    writeFileSync(target, text);
    console.log(`wrote ${target}`);
  }
}

void main();
