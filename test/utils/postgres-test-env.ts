import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
export { createPrivateDatabase, type PrivateDatabase } from './postgres-admin';

/**
 * The PostgreSQL server the global setup found (a maintenance URL: tests create their own databases through it), or
 * undefined: the PostgreSQL suites then skip, loudly (and fail under CI=true: the setup refuses to start).
 */
export const TEST_POSTGRES_URL: string | undefined =
  process.env.TEST_POSTGRES_URL;

/** `describe` when a PostgreSQL server is available, else `describe.skip` (the global setup has said why). */
export const describeWithPostgres = TEST_POSTGRES_URL
  ? describe
  : describe.skip;

/** A fresh directory for an embedded database; `remove()` deletes it. */
export function temporaryDataDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'benchmark-api-data-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
