import { sql } from 'drizzle-orm';
import { rowsOf, type Transact } from './database';
import { MIGRATIONS, type Migration } from './migrations';

/** The advisory lock key migrations run under (any constant; publication uses another). */
export const MIGRATION_LOCK = 728_193_001;

/**
 * Applies the migrations not yet applied, in order, in one transaction holding an advisory lock, so that instances
 * starting together wait for one another and apply each migration once. Returns the ids it applied.
 */
export async function migrate(
  transaction: Transact,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<string[]> {
  return transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${MIGRATION_LOCK})`);
    await tx.execute(
      sql`create table if not exists schema_migrations (id text primary key, applied_at timestamptz not null default now())`,
    );
    const done = await rowsOf<{ id: string }>(
      tx,
      sql`select id from schema_migrations`,
    );
    const applied = new Set(done.map((row) => row.id));
    const known = new Set(migrations.map((m) => m.id));
    const unknown = [...applied].filter((id) => !known.has(id));
    if (unknown.length > 0)
      throw new Error(
        `The database has migrations this version does not know (${unknown.join(', ')}): it was migrated by a newer version of benchmark-api`,
      );
    const missing = migrations.filter((m) => !applied.has(m.id));
    for (const migration of missing) {
      for (const statement of migration.statements)
        await tx.execute(sql.raw(statement));
      await tx.execute(
        sql`insert into schema_migrations (id) values (${migration.id})`,
      );
    }
    return missing.map((m) => m.id);
  });
}
