/**
 * `npm run db:template`: makes the template the embedded database starts from (src/database/pglite-template.ts) with
 * the installed PGlite: a new data directory (PGlite's initdb, then a clean shutdown) as a ustar archive compressed
 * with brotli, and its manifest. Run it after every PGlite upgrade: until then the template is not used (PGlite runs
 * initdb itself) and the template's test fails.
 */
import { PGlite } from '@electric-sql/pglite';
import { createHash } from 'node:crypto';
import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';
import {
  installedPgliteVersion,
  type PgliteTemplateManifest,
} from '../../src/database/pglite-template';
import { projectRoot } from '../openapi/project-root';

const SOURCES = resolve(projectRoot(__dirname), 'src', 'database');

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

/** One ustar header; owner root, time 0, so the archive depends only on the directory's names, modes and contents. */
function header(name: string, type: '0' | '5', mode: number, size: number) {
  if (Buffer.byteLength(name) > 100)
    throw new Error(`name longer than a ustar header holds: ${name}`);
  const block = Buffer.alloc(512);
  block.write(name, 0, 'latin1');
  block.write(octal(mode, 8), 100);
  block.write(octal(0, 8), 108);
  block.write(octal(0, 8), 116);
  block.write(octal(size, 12), 124);
  block.write(octal(0, 12), 136);
  block.write(' '.repeat(8), 148);
  block.write(type, 156);
  block.write('ustar\0' + '00', 257);
  const sum = block.reduce((total, byte) => total + byte, 0);
  block.write(octal(sum, 7) + ' ', 148);
  return block;
}

/** The directory's entries, each directory before what it holds, names sorted; directories 0700, files 0600. */
function ustar(root: string): Buffer {
  const blocks: Buffer[] = [];
  const walk = (relative: string) => {
    for (const name of readdirSync(join(root, relative)).sort()) {
      const path = relative ? `${relative}/${name}` : name;
      if (statSync(join(root, path)).isDirectory()) {
        blocks.push(header(`${path}/`, '5', 0o700, 0));
        walk(path);
      } else {
        const data = readFileSync(join(root, path));
        blocks.push(header(path, '0', 0o600, data.length), data);
        blocks.push(Buffer.alloc((512 - (data.length % 512)) % 512));
      }
    }
  };
  walk('');
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

async function main(): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'pglite-template-'));
  try {
    const dir = join(scratch, 'pgdata');
    const pg = new PGlite(dir);
    await pg.waitReady;
    const { rows } = await pg.query<{ id: string }>(
      'select system_identifier::text as id from pg_control_system()',
    );
    await pg.close();
    const tar = ustar(dir);
    // A 16 MiB window spans the three near-identical databases initdb makes: a third of the default window's size.
    const archive = brotliCompressSync(tar, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_LGWIN]: 24,
        [constants.BROTLI_PARAM_SIZE_HINT]: tar.length,
      },
    });
    const manifest: PgliteTemplateManifest = {
      pglite: installedPgliteVersion(),
      postgres: readFileSync(join(dir, 'PG_VERSION'), 'utf8').trim(),
      systemIdentifier: rows[0].id,
      bytes: archive.length,
      sha256: createHash('sha256').update(archive).digest('hex'),
    };
    writeFileSync(join(SOURCES, 'pglite-template.tar.br'), archive);
    writeFileSync(
      join(SOURCES, 'pglite-template.manifest.json'),
      JSON.stringify(manifest, null, 2) + '\n',
    );
    console.log(
      `src/database/pglite-template.tar.br: PGlite ${manifest.pglite}, PostgreSQL ${manifest.postgres}, ${tar.length} bytes in ${archive.length}`,
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
