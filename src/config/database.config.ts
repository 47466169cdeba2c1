import { registerAs } from '@nestjs/config';
import { environment, type EnvironmentVariables } from './env.validation';

/** Where contributed data is kept: a PostgreSQL server, or an embedded PostgreSQL (PGlite) under a directory. */
export interface DatabaseConfig {
  /** A postgres:// URL; undefined: the embedded database under `dataDir`. May hold a password: never logged. */
  readonly url?: string;
  readonly dataDir: string;
  /** Longest a statement or a connection attempt may take. */
  readonly timeoutMs: number;
}

export function databaseConfigFrom(env: EnvironmentVariables): DatabaseConfig {
  return {
    ...(env.DATABASE_URL ? { url: env.DATABASE_URL } : {}),
    dataDir: env.DATA_DIR,
    timeoutMs: env.DATABASE_TIMEOUT_MS,
  };
}

export const databaseConfig = registerAs('database', () =>
  databaseConfigFrom(environment()),
);
