import {
  closeSync,
  createReadStream,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress } from 'node:zlib';

/**
 * A new PGlite data directory (what PGlite's initdb makes, shut down cleanly) as a brotli-compressed ustar archive,
 * with its manifest. Both are made by `npm run db:template` (tools/pglite-template) and copied into the build by
 * nest-cli.json's assets.
 */
export interface PgliteTemplate {
  readonly archive: string;
  readonly manifest: string;
}

export const PGLITE_TEMPLATE: PgliteTemplate = {
  archive: join(__dirname, 'pglite-template.tar.br'),
  manifest: join(__dirname, 'pglite-template.manifest.json'),
};

/** What `npm run db:template` records beside the archive. */
export interface PgliteTemplateManifest {
  /** The version of @electric-sql/pglite that made the archive: a data directory is only for the PGlite that made it. */
  readonly pglite: string;
  /** PG_VERSION of the data directory. */
  readonly postgres: string;
  /** pg_control_system().system_identifier of the data directory, which every database made from it shares. */
  readonly systemIdentifier: string;
  readonly bytes: number;
  readonly sha256: string;
}

export function readTemplateManifest(
  template: PgliteTemplate,
): PgliteTemplateManifest | undefined {
  if (!existsSync(template.manifest) || !existsSync(template.archive))
    return undefined;
  return JSON.parse(
    readFileSync(template.manifest, 'utf8'),
  ) as PgliteTemplateManifest;
}

/** The version of the installed @electric-sql/pglite (its package.json is not among its exports). */
export function installedPgliteVersion(): string {
  const entry = require.resolve('@electric-sql/pglite');
  const file = join(dirname(entry), '..', 'package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string })
    .version;
}

/**
 * Makes `dir`, which must be missing or empty, a new database by writing out the template, where PGlite would run
 * initdb in this process (a second PostgreSQL instance and a copy of its heap: its peak of memory is several times what
 * the open database takes). The archive is written into
 * a sibling directory renamed to `dir` once complete, so an interrupted copy never looks like a database. Returns
 * false, leaving `dir` alone, when there is no template made by the installed PGlite: PGlite then runs initdb itself.
 * The caller holds the data directory's lock.
 */
export async function createFromTemplate(
  dir: string,
  template: PgliteTemplate = PGLITE_TEMPLATE,
): Promise<boolean> {
  const manifest = readTemplateManifest(template);
  if (manifest?.pglite !== installedPgliteVersion()) return false;
  const partial = `${dir}.partial`;
  rmSync(partial, { recursive: true, force: true }); // left by a process that died while copying
  try {
    mkdirSync(partial, { mode: 0o700 });
    await pipeline(
      createReadStream(template.archive),
      createBrotliDecompress(),
      (archive: AsyncIterable<Buffer>) => untar(archive, partial),
    );
    renameSync(partial, dir); // replaces `dir` when it is an empty directory
    return true;
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    throw error;
  }
}

/** A ustar header's field: NUL-terminated text. */
function field(header: Buffer, start: number, length: number): string {
  const text = header.toString('latin1', start, start + length);
  const end = text.indexOf('\0');
  return end < 0 ? text : text.slice(0, end);
}

/**
 * Writes the directories and regular files of a ustar stream under `into`, streamed (the archive is ten times its
 * compressed size). Only what tools/pglite-template writes: names of up to 100 characters, no links.
 */
async function untar(
  archive: AsyncIterable<Buffer>,
  into: string,
): Promise<void> {
  let pending: Buffer = Buffer.alloc(0);
  // The entry being read: its data still to write (to fd), then its padding to 512-byte blocks still to skip.
  let entry: { fd?: number; write: number; skip: number } | undefined;
  let ended = false;
  try {
    for await (const chunk of archive) {
      if (ended) continue;
      pending = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
      while (!ended) {
        if (entry) {
          const take = Math.min(entry.write + entry.skip, pending.length);
          const writing = Math.min(entry.write, take);
          if (entry.fd !== undefined && writing > 0)
            writeSync(entry.fd, pending, 0, writing);
          entry.write -= writing;
          entry.skip -= take - writing;
          pending = pending.subarray(take);
          if (entry.write + entry.skip > 0) break;
          if (entry.fd !== undefined) closeSync(entry.fd);
          entry = undefined;
        }
        if (pending.length < 512) break;
        const header = pending.subarray(0, 512);
        pending = pending.subarray(512);
        const name = field(header, 0, 100);
        if (name === '') {
          ended = true; // the archive's end: blocks of zeros
          break;
        }
        const path = resolve(into, name);
        if (!path.startsWith(resolve(into) + sep))
          throw new Error(
            `The PGlite template has an entry outside it: ${name}`,
          );
        const size = parseInt(field(header, 124, 12), 8);
        const mode = parseInt(field(header, 100, 8), 8);
        const type = field(header, 156, 1);
        if (type === '5') mkdirSync(path, { recursive: true, mode });
        else if (type !== '0' && type !== '')
          throw new Error(
            `The PGlite template has an entry of type ${type}: ${name}`,
          );
        const padded = Math.ceil(size / 512) * 512;
        entry = {
          fd: type === '5' ? undefined : openSync(path, 'wx', mode),
          write: size,
          skip: padded - size,
        };
      }
    }
  } finally {
    if (entry?.fd !== undefined) closeSync(entry.fd);
  }
  if (!ended || entry)
    throw new Error('The PGlite template archive is truncated');
}
