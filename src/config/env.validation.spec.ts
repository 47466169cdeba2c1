import { InvalidEnvironmentError, validateEnvironment } from './env.validation';

describe('validateEnvironment', () => {
  it('should apply the defaults to an empty environment', () => {
    expect(validateEnvironment({})).toMatchObject({
      PORT: 8000,
      HOST: '0.0.0.0',
      SYNTHETIC_SEED: 20240101,
      CACHE_TTL_SECONDS: 86400,
      CACHE_MAX_ENTRIES: 10000,
      MIN_SAMPLE_SIZE: 30,
    });
  });

  it('should convert numbers and treat empty strings as unset', () => {
    expect(
      validateEnvironment({
        PORT: '9000',
        SYNTHETIC_SEED: '',
        CACHE_TTL_SECONDS: ' 60 ',
      }),
    ).toMatchObject({
      PORT: 9000,
      SYNTHETIC_SEED: 20240101,
      CACHE_TTL_SECONDS: 60,
    });
  });

  it('should ignore variables it does not know', () => {
    expect(validateEnvironment({ PATH: '/usr/bin' })).not.toHaveProperty(
      'PATH',
    );
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['SYNTHETIC_SEED', '-1'],
    ['SYNTHETIC_SEED', '1.5'],
    ['CACHE_MAX_ENTRIES', '0'],
    ['MIN_SAMPLE_SIZE', '-1'],
    ['MIN_SAMPLE_SIZE', '10001'],
    ['NODE_ENV', 'staging'],
  ])('should reject %s=%s with a line naming the variable', (name, value) => {
    const run = () => validateEnvironment({ [name]: value });
    expect(run).toThrow(InvalidEnvironmentError);
    expect(run).toThrow(
      new RegExp(
        `^Invalid environment variable ${name}="${value}": ${name} must `,
      ),
    );
  });

  it('should say the allowed range in one message', () => {
    expect(() => validateEnvironment({ PORT: 'abc' })).toThrow(
      'Invalid environment variable PORT="abc": PORT must be an integer from 1 to 65535',
    );
  });

  it('should report every invalid variable, one line each', () => {
    expect(() => validateEnvironment({ PORT: '0', NODE_ENV: 'x' })).toThrow(
      /^Invalid .*NODE_ENV.*\nInvalid .*PORT/,
    );
  });
});

describe('validateEnvironment with secrets', () => {
  it('should never show the admin key in a message', () => {
    const run = () => validateEnvironment({ ADMIN_API_KEY: 'short secret' });
    expect(run).toThrow(
      'Invalid environment variable ADMIN_API_KEY=<redacted>',
    );
    expect(run).not.toThrow(/short secret/);
  });

  it('should cut credentials out of a REDIS_URL it shows', () => {
    const run = () =>
      validateEnvironment({ REDIS_URL: 'http://user:hunter2@cache:6379' });
    expect(run).toThrow('REDIS_URL="http://<credentials>@cache:6379/"');
    expect(run).not.toThrow(/hunter2/);
  });

  it('should refuse a REDIS_URL Node cannot parse, without showing any of it', () => {
    const run = () =>
      validateEnvironment({ REDIS_URL: 'redis://:pa/ss@127.0.0.1:16500' });
    expect(run).toThrow(
      'REDIS_URL=<unparsable URL, not shown>: REDIS_URL must be a redis:// or rediss:// URL',
    );
    expect(run).not.toThrow(/pa\/ss/);
  });

  it('should require CACHE_PREFIX to end with a colon, so clearing cannot reach a look-alike prefix', () => {
    expect(() =>
      validateEnvironment({ CACHE_PREFIX: 'benchmark-api' }),
    ).toThrow(/CACHE_PREFIX .* ending with ":"/);
    expect(
      validateEnvironment({ CACHE_PREFIX: 'team:benchmark-api:' }).CACHE_PREFIX,
    ).toBe('team:benchmark-api:');
  });

  it('should accept a redis URL and a long enough admin key', () => {
    expect(
      validateEnvironment({
        REDIS_URL: 'redis://:pw@localhost:6380/1',
        ADMIN_API_KEY: 'a'.repeat(16),
      }),
    ).toMatchObject({
      REDIS_URL: 'redis://:pw@localhost:6380/1',
      CACHE_PREFIX: 'benchmark-api:',
    });
  });
});

describe('validateEnvironment for the BLS source', () => {
  it('should default to the synthetic source and the real BLS API', () => {
    expect(validateEnvironment({})).toMatchObject({
      DATA_SOURCE: 'synthetic',
      BLS_API_URL: 'https://api.bls.gov/publicAPI/v2',
      BLS_TIMEOUT_MS: 2500,
      BLS_MAX_RETRIES: 2,
    });
  });

  it('should refuse a daily limit above what BLS allows without a key, naming the variable', () => {
    expect(() =>
      validateEnvironment({ DATA_SOURCE: 'bls', BLS_DAILY_LIMIT: '100' }),
    ).toThrow(
      /^Invalid environment variable BLS_DAILY_LIMIT=100: without BLS_API_KEY, BLS allows 25 requests a day/,
    );
    expect(
      validateEnvironment({
        DATA_SOURCE: 'bls',
        BLS_DAILY_LIMIT: '100',
        BLS_API_KEY: 'abcdef0123456789',
      }).BLS_DAILY_LIMIT,
    ).toBe(100);
  });

  it('should refuse an unknown data source and a limit above 500', () => {
    expect(() => validateEnvironment({ DATA_SOURCE: 'qcew' })).toThrow(
      /DATA_SOURCE must be one of the following values: synthetic, bls, census, blended/,
    );
    expect(() =>
      validateEnvironment({
        BLS_DAILY_LIMIT: '501',
        BLS_API_KEY: 'abcdef0123456789',
      }),
    ).toThrow(/BLS_DAILY_LIMIT must be an integer from 1 to 500/);
  });

  it('should never show the BLS key', () => {
    const run = () => validateEnvironment({ BLS_API_KEY: 'has spaces in it!' });
    expect(run).toThrow('BLS_API_KEY=<redacted>');
    expect(run).not.toThrow(/spaces/);
  });
});

describe('validateEnvironment for the Census source', () => {
  const key = '0123456789abcdef0123456789abcdef01234567';

  it('should default every Census setting, and the TTLs of both real sources', () => {
    expect(validateEnvironment({})).toMatchObject({
      CENSUS_API_URL: 'https://api.census.gov/data',
      CENSUS_DAILY_LIMIT: 500,
      CENSUS_TIMEOUT_MS: 5000,
      CENSUS_MAX_RETRIES: 2,
      CENSUS_COOLDOWN_MS: 30_000,
      CENSUS_CACHE_TTL_SECONDS: 30 * 86_400,
      BLS_CACHE_TTL_SECONDS: 86_400,
      STALE_IF_ERROR_SECONDS: 400 * 86_400,
    });
    expect(validateEnvironment({}).CENSUS_API_KEY).toBeUndefined();
  });

  it('should refuse DATA_SOURCE=census without a key, naming CENSUS_API_KEY, and start with one', () => {
    expect(() => validateEnvironment({ DATA_SOURCE: 'census' })).toThrow(
      /^Missing environment variable CENSUS_API_KEY: DATA_SOURCE=census needs a Census Data API key/,
    );
    expect(
      validateEnvironment({ DATA_SOURCE: 'census', CENSUS_API_KEY: key })
        .CENSUS_API_KEY,
    ).toBe(key);
  });

  it('should start blended without a Census key (its metrics are then not served)', () => {
    expect(validateEnvironment({ DATA_SOURCE: 'blended' }).DATA_SOURCE).toBe(
      'blended',
    );
  });

  it.each([
    ['CENSUS_API_URL', 'ftp://api.census.gov/data', /must be an http/],
    ['CENSUS_DAILY_LIMIT', '0', /from 1 to 100000/],
    ['CENSUS_TIMEOUT_MS', '50', /from 100 to 30000/],
    ['CENSUS_MAX_RETRIES', '9', /from 0 to 5/],
    ['CENSUS_CACHE_TTL_SECONDS', '0', /from 1 to 31536000/],
    ['BLS_CACHE_TTL_SECONDS', 'a day', /from 1 to 31536000/],
    ['STALE_IF_ERROR_SECONDS', '-1', /from 0 to 157680000/],
  ])(
    'should refuse %s=%s, naming it and what is allowed',
    (name, value, allowed) => {
      expect(() => validateEnvironment({ [name]: value })).toThrow(
        new RegExp(`Invalid environment variable ${name}=.*${allowed.source}`),
      );
    },
  );

  it('should never show the Census key, valid or not', () => {
    const run = () =>
      validateEnvironment({ CENSUS_API_KEY: 'not a key, has spaces' });
    expect(run).toThrow('CENSUS_API_KEY=<redacted>');
    expect(run).not.toThrow(/spaces/);
  });
});

describe('validateEnvironment for HOST', () => {
  it.each(['0.0.0.0', '127.0.0.1', '::', '::1', 'localhost'])(
    'should accept %s',
    (host) => {
      expect(validateEnvironment({ HOST: host }).HOST).toBe(host);
    },
  );

  it('should refuse a hostname, naming HOST and what is allowed', () => {
    expect(() => validateEnvironment({ HOST: 'nohost.invalid' })).toThrow(
      'Invalid environment variable HOST="nohost.invalid": HOST must be an IP address of this machine',
    );
  });
});
