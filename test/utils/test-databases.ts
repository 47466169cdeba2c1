import {
  createPrivateDatabase,
  describeWithPostgres,
  temporaryDataDir,
} from './postgres-test-env';

/** A database for one suite: the environment that points an app at it, and how to remove it. */
export interface TestDatabase {
  readonly kind: 'embedded' | 'postgres';
  readonly env: Record<string, string>;
  dispose(): Promise<void>;
}

/** A hashing secret for the tests (with DATABASE_URL one is required). */
export const TEST_HASH_SECRET =
  'test-contribution-hash-secret-0123456789abcdef';

async function embedded(): Promise<TestDatabase> {
  const data = temporaryDataDir();
  return {
    kind: 'embedded',
    env: { DATA_DIR: data.dir },
    dispose: () => Promise.resolve(data.remove()),
  };
}

async function postgres(): Promise<TestDatabase> {
  const database = await createPrivateDatabase();
  return {
    kind: 'postgres',
    env: {
      DATABASE_URL: database.url,
      CONTRIBUTION_HASH_SECRET: TEST_HASH_SECRET,
    },
    dispose: () => database.drop(),
  };
}

const kindOf = (label: string): string =>
  label.startsWith('embedded') ? 'embedded' : 'server';

/**
 * Runs the same suite over the embedded database (PGlite, a fresh directory) and over a private database of the
 * machine's PostgreSQL (skipped loudly without one; failing under CI=true). `database()` is the suite's, created in
 * its beforeAll.
 */
export function describeEachDatabase(
  title: string,
  suite: (database: () => TestDatabase) => void,
): void {
  const kinds: Array<[string, () => Promise<TestDatabase>, jest.Describe]> = [
    ['embedded PostgreSQL (PGlite)', embedded, describe],
    ['PostgreSQL server', postgres, describeWithPostgres],
  ];
  for (const [label, create, describeIt] of kinds) {
    describeIt(`${title}, on ${label}`, () => {
      let current: TestDatabase | undefined;
      beforeAll(async () => {
        current = await create();
      }, 60_000);
      afterAll(async () => {
        await current?.dispose();
      });
      // Nested, so the suite's own afterAll (closing its apps) runs before the database is removed.
      describe(kindOf(label), () =>
        suite(() => {
          if (!current) throw new Error('The test database is not ready');
          return current;
        }),
      );
    });
  }
}
