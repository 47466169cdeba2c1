import { sql } from 'drizzle-orm';
import { databaseConfigFrom } from '../config/database.config';
import { environment } from '../config/env.validation';
import { describeError } from '../common/describe-error';
import { rowsOf } from './database';
import { createDatabase } from './open-database';

/**
 * `npm run db:migrate`: migrates the configured database (DATABASE_URL, else the embedded one under DATA_DIR) and
 * says which migrations it holds. The service also migrates at start; this is for deploying the schema first.
 */
async function main(): Promise<void> {
  const config = databaseConfigFrom(environment());
  const database = createDatabase(config);
  try {
    const rows = await database.run((db) =>
      rowsOf<{ id: string; applied_at: Date | string }>(
        db,
        sql`select id, applied_at from schema_migrations order by id`,
      ),
    );
    const where = config.url ? 'the PostgreSQL server' : `${config.dataDir}`;
    console.log(
      `Database (${where}) is at migration ${rows[rows.length - 1].id}: ${rows.length} applied`,
    );
    for (const row of rows)
      console.log(`  ${row.id}  ${new Date(row.applied_at).toISOString()}`);
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(`db:migrate failed: ${describeError(error)}`);
  process.exitCode = 1;
});
