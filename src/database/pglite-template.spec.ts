import { PGlite } from '@electric-sql/pglite';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync } from 'node:zlib';
import { temporaryDataDir } from '../../test/utils/postgres-test-env';
import {
  createFromTemplate,
  installedPgliteVersion,
  PGLITE_TEMPLATE,
  readTemplateManifest,
  type PgliteTemplate,
  type PgliteTemplateManifest,
} from './pglite-template';

const manifest = readTemplateManifest(PGLITE_TEMPLATE)!;

/** A template in `dir` with `archive` and the real manifest changed by `change`. */
function templateIn(
  dir: string,
  archive: Buffer,
  change: Partial<PgliteTemplateManifest> = {},
): PgliteTemplate {
  const template = {
    archive: join(dir, 'template.tar.br'),
    manifest: join(dir, 'template.json'),
  };
  writeFileSync(template.archive, archive);
  writeFileSync(template.manifest, JSON.stringify({ ...manifest, ...change }));
  return template;
}

describe('the PGlite template', () => {
  it('should be made by the installed PGlite, and be the archive its manifest describes (npm run db:template remakes both)', () => {
    expect(manifest.pglite).toBe(installedPgliteVersion());
    const archive = readFileSync(PGLITE_TEMPLATE.archive);
    expect(archive.length).toBe(manifest.bytes);
    expect(createHash('sha256').update(archive).digest('hex')).toBe(
      manifest.sha256,
    );
  });

  it('should be copied into the build beside the code that reads it', () => {
    const cli = JSON.parse(
      readFileSync(join(__dirname, '..', '..', 'nest-cli.json'), 'utf8'),
    ) as { compilerOptions: { assets?: string[] } };
    expect(cli.compilerOptions.assets).toEqual(
      expect.arrayContaining([
        'database/pglite-template.tar.br',
        'database/pglite-template.manifest.json',
      ]),
    );
  });
});

describe('createFromTemplate', () => {
  it('should make a new database that PGlite opens as it is, with the identity of the template', async () => {
    const data = temporaryDataDir();
    const dir = join(data.dir, 'pglite');
    try {
      await expect(createFromTemplate(dir)).resolves.toBe(true);
      expect(readFileSync(join(dir, 'PG_VERSION'), 'utf8').trim()).toBe(
        manifest.postgres,
      );
      const pg = new PGlite(dir);
      try {
        const { rows } = await pg.query<{ id: string }>(
          'select system_identifier::text as id from pg_control_system()',
        );
        expect(rows).toEqual([{ id: manifest.systemIdentifier }]);
      } finally {
        await pg.close();
      }
    } finally {
      data.remove();
    }
  }, 60_000);

  it('should leave the directory to PGlite (initdb) when the template was made by another version of PGlite', async () => {
    const data = temporaryDataDir();
    const dir = join(data.dir, 'pglite');
    try {
      const template = templateIn(
        data.dir,
        readFileSync(PGLITE_TEMPLATE.archive),
        { pglite: '0.0.1' },
      );
      await expect(createFromTemplate(dir, template)).resolves.toBe(false);
      expect(existsSync(dir)).toBe(false);
    } finally {
      data.remove();
    }
  });

  it('should leave nothing of a copy that fails, and replace what a process that died while copying left', async () => {
    const data = temporaryDataDir();
    const dir = join(data.dir, 'pglite');
    try {
      const tar = brotliDecompressSync(readFileSync(PGLITE_TEMPLATE.archive));
      const truncated = templateIn(
        data.dir,
        brotliCompressSync(tar.subarray(0, 100_000)),
      );
      await expect(createFromTemplate(dir, truncated)).rejects.toThrow(
        'The PGlite template archive is truncated',
      );
      expect(existsSync(dir)).toBe(false);
      expect(existsSync(`${dir}.partial`)).toBe(false);

      mkdirSync(`${dir}.partial`);
      copyFileSync(PGLITE_TEMPLATE.manifest, join(`${dir}.partial`, 'junk'));
      mkdirSync(dir); // an empty directory is replaced
      await expect(createFromTemplate(dir)).resolves.toBe(true);
      expect(readdirSync(dir)).not.toContain('junk');
      expect(existsSync(`${dir}.partial`)).toBe(false);
    } finally {
      data.remove();
    }
  });
});
