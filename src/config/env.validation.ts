import { plainToInstance, Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsString,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim())
    ? Number(value.trim())
    : value;

/**
 * Every environment variable the service reads, with its default. Validated once at start; nothing else reads
 * `process.env`.
 */
export class EnvironmentVariables {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT = 8000;

  @IsString()
  @MinLength(1)
  HOST = '0.0.0.0';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(2 ** 31 - 1)
  SYNTHETIC_SEED = 20240101;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(30 * 86400)
  CACHE_TTL_SECONDS = 86400;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  CACHE_MAX_ENTRIES = 10_000;
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
  const relevant = Object.fromEntries(
    known
      .filter((k) => raw[k] !== undefined && raw[k] !== '')
      .map((k) => [k, raw[k]]),
  );
  const env = plainToInstance(EnvironmentVariables, relevant);
  const errors = validateSync(env, { skipMissingProperties: false });
  if (errors.length > 0) {
    throw new InvalidEnvironmentError(
      errors.map((e) => {
        const problems = Object.values(e.constraints ?? {}).join('; ');
        return `Invalid environment variable ${e.property}=${JSON.stringify(relevant[e.property])}: ${problems}`;
      }),
    );
  }
  return env;
}
