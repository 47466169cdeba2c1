import { plainToInstance, Transform } from 'class-transformer';
import { ValidateWith } from '../common/validators/validate-with.decorator';
import { DATA_SOURCE_NAMES, type DataSourceName } from '../domain/enums';
import {
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  validateSync,
} from 'class-validator';

const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim())
    ? Number(value.trim())
    : value;

/** An integer within [min, max]; the message says the whole allowed range at once. */
function IsIntInRange(min: number, max: number): PropertyDecorator {
  return ValidateWith(
    'isIntInRange',
    (value) =>
      Number.isInteger(value) &&
      (value as number) >= min &&
      (value as number) <= max,
    ({ property }) => `${property} must be an integer from ${min} to ${max}`,
  );
}

/** A URL of one of `protocols` (with a host) that Node's URL parser, and so the client library, accepts. */
function IsUrlOf(
  name: string,
  protocols: readonly string[],
  message: string,
): PropertyDecorator {
  return ValidateWith(
    name,
    (value) => {
      if (typeof value !== 'string') return false;
      try {
        const url = new URL(value);
        return protocols.includes(url.protocol) && url.hostname !== '';
      } catch {
        return false;
      }
    },
    message,
  );
}

/** A redis:// or rediss:// URL (ioredis). */
const IsRedisUrl = (): PropertyDecorator =>
  IsUrlOf(
    'isRedisUrl',
    ['redis:', 'rediss:'],
    'REDIS_URL must be a redis:// or rediss:// URL, e.g. redis://localhost:6379/0 (percent-encode / # ? @ in a password)',
  );

/** A postgres:// or postgresql:// URL (node-postgres). */
const IsPostgresUrl = (): PropertyDecorator =>
  IsUrlOf(
    'isPostgresUrl',
    ['postgres:', 'postgresql:'],
    'DATABASE_URL must be a postgres:// or postgresql:// URL, e.g. postgres://user:password@localhost:5432/benchmarks (percent-encode / # ? @ in a password)',
  );

export class EnvironmentVariables {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(toInt)
  @IsIntInRange(1, 65535)
  PORT = 8000;

  /** An address of this machine to listen on; a hostname that does not resolve would only fail later, less clearly. */
  @Matches(/^(localhost|\d{1,3}(\.\d{1,3}){3}|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*)$/, {
    message:
      'HOST must be an IP address of this machine (0.0.0.0 for all interfaces, 127.0.0.1 or :: ...) or localhost',
  })
  @IsString()
  HOST = '0.0.0.0';

  @Transform(toInt)
  @IsIntInRange(0, 2 ** 31 - 1)
  SYNTHETIC_SEED = 20240101;

  /** `json`: one JSON line per request and per event (for log shippers); `pretty`: human-readable. */
  @IsIn(['json', 'pretty'])
  LOG_FORMAT: 'json' | 'pretty' = 'json';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL:
    'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent' = 'info';

  /** Largest request body accepted; a larger one gets 413. The API's own bodies are well under 4 KiB. */
  @Transform(toInt)
  @IsIntInRange(1024, 10 * 1024 * 1024)
  BODY_LIMIT_BYTES = 64 * 1024;

  /** Origins allowed to call the API from a browser, comma-separated, or `*`; unset: no CORS headers. */
  @IsOptional()
  @Matches(/^(\*|https?:\/\/[^\s,/]+(,\s*https?:\/\/[^\s,/]+)*)$/, {
    message:
      'CORS_ORIGINS must be * or a comma-separated list of origins such as https://app.example.com',
  })
  CORS_ORIGINS?: string;

  /** Requests per minute per client IP (all instances together when Redis is configured); 0 disables. */
  @Transform(toInt)
  @IsIntInRange(0, 1_000_000)
  RATE_LIMIT_PER_MINUTE = 1200;

  /** On SIGTERM, how long in-flight requests may take to finish before the process exits anyway. */
  @Transform(toInt)
  @IsIntInRange(1000, 120_000)
  SHUTDOWN_TIMEOUT_MS = 10_000;

  @Transform(toInt)
  @IsIntInRange(1, 30 * 86400)
  CACHE_TTL_SECONDS = 86400;

  /** Bound of the in-process cache, used when REDIS_URL is unset. */
  @Transform(toInt)
  @IsIntInRange(1, 1_000_000)
  CACHE_MAX_ENTRIES = 10_000;

  /**
   * Every cache key starts with this, so the service's keys can be told from other data in the same Redis. It must
   * end with `:`, so that clearing `benchmark-api:*` can never match `benchmark-api-staging:...`.
   */
  @Matches(/^[A-Za-z0-9_.-]+(:[A-Za-z0-9_.-]+)*:$/, {
    message:
      'CACHE_PREFIX must be letters, digits and _ . - in parts separated by ":", ending with ":" (e.g. benchmark-api:)',
  })
  @MaxLength(64)
  @IsString()
  CACHE_PREFIX = 'benchmark-api:';

  /** Redis for the shared cache; unset means the in-process cache. May hold a password: never logged. */
  @IsOptional()
  @IsRedisUrl()
  REDIS_URL?: string;

  /** Longest a Redis command may take before the cache is bypassed for that request. */
  @Transform(toInt)
  @IsIntInRange(5, 5000)
  REDIS_COMMAND_TIMEOUT_MS = 100;

  @Transform(toInt)
  @IsIntInRange(50, 30_000)
  REDIS_CONNECT_TIMEOUT_MS = 1000;

  /**
   * Smallest sample a peer group's benchmark may stand on: a cell with fewer businesses falls back to the same size
   * nationally, then to the industry nationally with every size pooled. 0 never falls back.
   */
  @Transform(toInt)
  @IsIntInRange(0, 10_000)
  MIN_SAMPLE_SIZE = 30;

  /**
   * Where benchmarks come from: the synthetic generator, BLS only, Census only, or `blended`: BLS and Census where they
   * have data, synthetic elsewhere.
   */
  @IsIn(DATA_SOURCE_NAMES)
  DATA_SOURCE: DataSourceName = 'synthetic';

  /** BLS Public Data API v2 base URL; the stub server's URL in tests and local runs. */
  @Matches(/^https?:\/\/[^\s/]+(\/[^\s]*)?$/, {
    message:
      'BLS_API_URL must be an http:// or https:// URL, e.g. https://api.bls.gov/publicAPI/v2',
  })
  BLS_API_URL = 'https://api.bls.gov/publicAPI/v2';

  /** BLS registration key; without it the unregistered limits apply. A secret: never logged or echoed. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{8,128}$/, {
    message: 'BLS_API_KEY must be 8-128 letters, digits, _ or -',
  })
  BLS_API_KEY?: string;

  /** Requests a day this service (all instances together) may send to BLS. Default: 500 with a key, 25 without. */
  @IsOptional()
  @Transform(toInt)
  @IsIntInRange(1, 500)
  BLS_DAILY_LIMIT?: number;

  /**
   * Longest one BLS request may take; a whole call, retries included, takes at most twice this. BLS answers in well
   * under a second when it is up, and a user request waits on it, so the range is kept short.
   */
  @Transform(toInt)
  @IsIntInRange(100, 10_000)
  BLS_TIMEOUT_MS = 2500;

  /** After a failed BLS call, requests fall back at once for this long instead of waiting on BLS again. */
  @Transform(toInt)
  @IsIntInRange(0, 600_000)
  BLS_COOLDOWN_MS = 30_000;

  /** Retries after a failed BLS request (429, 5xx, network error, timeout, non-JSON body); never for quota refusals. */
  @Transform(toInt)
  @IsIntInRange(0, 5)
  BLS_MAX_RETRIES = 2;

  /** How long a BLS answer (per series and year) is served before BLS is asked again. */
  @Transform(toInt)
  @IsIntInRange(1, 31_536_000)
  BLS_CACHE_TTL_SECONDS = 86_400;

  /** Census Data API base URL: requests go to <CENSUS_API_URL>/<year>/<dataset>; the stub server's URL in tests. */
  @Matches(/^https?:\/\/[^\s/]+(\/[^\s]*)?$/, {
    message:
      'CENSUS_API_URL must be an http:// or https:// URL, e.g. https://api.census.gov/data',
  })
  CENSUS_API_URL = 'https://api.census.gov/data';

  /**
   * Census Data API key (required by the API since 2026-05-12: DATA_SOURCE=census refuses to start without it). A
   * secret: never logged or echoed.
   */
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{8,128}$/, {
    message: 'CENSUS_API_KEY must be 8-128 letters, digits, _ or -',
  })
  CENSUS_API_KEY?: string;

  /** Requests a day this service (all instances together) may send to the Census Data API. */
  @Transform(toInt)
  @IsIntInRange(1, 100_000)
  CENSUS_DAILY_LIMIT = 500;

  /**
   * Longest one Census request may take; a whole call, retries included, takes at most twice this. One state-level
   * request of every size class is a few kB, but the API can take seconds.
   */
  @Transform(toInt)
  @IsIntInRange(100, 30_000)
  CENSUS_TIMEOUT_MS = 5000;

  /** After a failed Census call, requests fall back at once for this long instead of waiting on Census again. */
  @Transform(toInt)
  @IsIntInRange(0, 600_000)
  CENSUS_COOLDOWN_MS = 30_000;

  /** Retries after a failed Census request (429, 5xx, network error, timeout); never for key errors or 400s. */
  @Transform(toInt)
  @IsIntInRange(0, 5)
  CENSUS_MAX_RETRIES = 2;

  /** How long a Census answer (per dataset, year, industry and geography) is served before Census is asked again. */
  @Transform(toInt)
  @IsIntInRange(1, 31_536_000)
  CENSUS_CACHE_TTL_SECONDS = 2_592_000;

  /**
   * How long the last good BLS or Census answer is kept beyond its TTL, to be served (with a warning saying how old
   * it is) when the source fails. 0 keeps nothing beyond the TTL.
   */
  @Transform(toInt)
  @IsIntInRange(0, 157_680_000)
  STALE_IF_ERROR_SECONDS = 34_560_000;

  /** Bearer key for DELETE /api/benchmarks/cache; unset disables the endpoint. A secret: never logged or echoed. */
  @IsOptional()
  @Matches(/^[\x21-\x7e]+$/, {
    message: 'ADMIN_API_KEY must be printable ASCII without spaces',
  })
  @MinLength(16, {
    message: 'ADMIN_API_KEY must be at least 16 characters long',
  })
  ADMIN_API_KEY?: string;

  /**
   * PostgreSQL for contributed benchmarks (postgres:// or postgresql://); unset: an embedded PostgreSQL (PGlite) under
   * DATA_DIR. May hold a password: never logged.
   */
  @IsOptional()
  @IsPostgresUrl()
  DATABASE_URL?: string;

  /** Where the embedded PostgreSQL (when DATABASE_URL is unset) and its generated hashing secret are kept. */
  @MaxLength(1024)
  @IsNotEmpty()
  @IsString()
  DATA_DIR = './data';

  /** Longest a database statement may take before a request answers 504, or a connection attempt before 503. */
  @Transform(toInt)
  @IsIntInRange(100, 60_000)
  DATABASE_TIMEOUT_MS = 5000;

  /**
   * Secret of the keyed hash under which business references are stored (never the raw reference). Required with
   * DATABASE_URL (every instance must hash alike); unset with the embedded database, one is generated into DATA_DIR.
   * A secret: never logged or echoed. Changing it orphans every stored business.
   */
  @IsOptional()
  @Matches(/^[\x21-\x7e]+$/, {
    message: 'CONTRIBUTION_HASH_SECRET must be printable ASCII without spaces',
  })
  @MinLength(32, {
    message: 'CONTRIBUTION_HASH_SECRET must be at least 32 characters long',
  })
  CONTRIBUTION_HASH_SECRET?: string;

  /** Fewest businesses a contributed cell is published with (never under 10: k-anonymity). */
  @Transform(toInt)
  @IsIntInRange(10, 1_000_000)
  CONTRIBUTION_MIN_PEERS = 30;

  /** Fewest tenants whose businesses a contributed cell must hold to be published. */
  @Transform(toInt)
  @IsIntInRange(1, 10_000)
  CONTRIBUTION_MIN_TENANTS = 1;

  /** `true`: the read endpoints also need a tenant key (Authorization: Bearer <key>). */
  @Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  )
  @IsBoolean({ message: 'REQUIRE_API_KEY must be true or false' })
  REQUIRE_API_KEY = false;

  /** How often contributions are published: seconds, or a number with s, m or h (`30m`, `1h`); 0 only on request. */
  @Matches(/^(\d{1,7})(s|m|h)?$/, {
    message:
      'CONTRIBUTION_PUBLISH_INTERVAL must be a whole number of seconds or a duration such as 30m or 1h (0: only on an admin request)',
  })
  @IsString()
  CONTRIBUTION_PUBLISH_INTERVAL = '1h';

  /**
   * Longest a publication may take, in milliseconds, from start to current (not bound by DATABASE_TIMEOUT_MS: it runs
   * in the background, in batches); past it, it fails and the previous publication stays current.
   */
  @Transform(toInt)
  @IsIntInRange(1000, 86_400_000)
  CONTRIBUTION_PUBLISH_TIMEOUT_MS = 1_800_000;
}

/** Variables whose values never appear in a message. */
const SECRET_VARIABLES = new Set([
  'ADMIN_API_KEY',
  'CONTRIBUTION_HASH_SECRET',
  'BLS_API_KEY',
  'CENSUS_API_KEY',
]);

/** A value as an error message may show it: secrets hidden, credentials cut out of URLs. */
function shown(name: string, value: unknown): string {
  if (SECRET_VARIABLES.has(name)) return '<redacted>';
  if (
    (name === 'REDIS_URL' || name === 'DATABASE_URL') &&
    typeof value === 'string'
  ) {
    // Only the parts that cannot hold a secret: a URL that does not parse is not shown at all.
    try {
      const url = new URL(value);
      const credentials = url.username || url.password ? '<credentials>@' : '';
      return JSON.stringify(
        `${url.protocol}//${credentials}${url.host}${url.pathname}`,
      );
    } catch {
      return '<unparsable URL, not shown>';
    }
  }
  return JSON.stringify(value);
}

/** Thrown for an invalid environment; its message is one line per variable, naming it and what is allowed. */
export class InvalidEnvironmentError extends Error {
  constructor(lines: string[]) {
    super(lines.join('\n'));
    this.name = 'InvalidEnvironmentError';
  }
}

/** ConfigModule `validate` hook: applies defaults, converts numbers, rejects bad values. */
export function validateEnvironment(
  raw: Record<string, unknown>,
): EnvironmentVariables {
  const known = Object.keys(new EnvironmentVariables());
  // Empty strings mean "unset", as in most .env tooling, so the default applies.
  const relevant: Record<string, unknown> = Object.fromEntries(
    known
      .filter((k) => raw[k] !== undefined && raw[k] !== '')
      .map((k) => [k, raw[k]]),
  );
  const env = plainToInstance(EnvironmentVariables, relevant);
  const errors = validateSync(env, { stopAtFirstError: true });
  const lines = errors.map((e) => {
    const problems = Object.values(e.constraints ?? {}).join('; ');
    return `Invalid environment variable ${e.property}=${shown(e.property, relevant[e.property])}: ${problems}`;
  });
  lines.push(
    ...combinationProblems(
      env,
      errors.map((e) => e.property),
    ),
  );
  if (lines.length > 0) throw new InvalidEnvironmentError(lines);
  return env;
}

let validated:
  { readonly source: string; readonly env: EnvironmentVariables } | undefined;

/**
 * The process environment, validated (see {@link validateEnvironment}): once per distinct environment, however many
 * feature configs read it.
 */
export function environment(
  raw: Record<string, unknown> = process.env,
): EnvironmentVariables {
  const known = Object.keys(new EnvironmentVariables());
  const source = JSON.stringify(known.map((k) => raw[k]));
  if (validated?.source !== source)
    validated = { source, env: validateEnvironment(raw) };
  return validated.env;
}

/** BLS allows 500 requests a day with a key and 25 without: a budget above that would only earn refusals. */
export function blsDailyLimit(env: EnvironmentVariables): number {
  return env.BLS_DAILY_LIMIT ?? (env.BLS_API_KEY ? 500 : 25);
}

/** Problems of combinations of variables that are each valid alone. */
function combinationProblems(
  env: EnvironmentVariables,
  invalid: readonly string[],
): string[] {
  const problems: string[] = [];
  if (
    !invalid.includes('BLS_DAILY_LIMIT') &&
    env.BLS_DAILY_LIMIT !== undefined &&
    !env.BLS_API_KEY &&
    env.BLS_DAILY_LIMIT > 25
  ) {
    problems.push(
      `Invalid environment variable BLS_DAILY_LIMIT=${env.BLS_DAILY_LIMIT}: without BLS_API_KEY, BLS allows 25 requests a day; set BLS_API_KEY or a limit of at most 25`,
    );
  }
  if (
    !invalid.includes('DATA_SOURCE') &&
    !invalid.includes('CENSUS_API_KEY') &&
    env.DATA_SOURCE === 'census' &&
    !env.CENSUS_API_KEY
  ) {
    problems.push(
      'Missing environment variable CENSUS_API_KEY: DATA_SOURCE=census needs a Census Data API key (the API refuses requests without one since 2026-05-12); get one at https://api.census.gov/data/key_signup.html, or use DATA_SOURCE=blended or synthetic',
    );
  }
  if (
    !invalid.includes('DATABASE_URL') &&
    !invalid.includes('CONTRIBUTION_HASH_SECRET') &&
    env.DATABASE_URL &&
    !env.CONTRIBUTION_HASH_SECRET
  ) {
    problems.push(
      'Missing environment variable CONTRIBUTION_HASH_SECRET: with DATABASE_URL every instance must hash business references with the same secret; set one of at least 32 characters (e.g. openssl rand -base64 48) and keep it: changing it orphans every stored business',
    );
  }
  return problems;
}
