import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { API_PREFIX } from '../src/app.setup';
import { EnvironmentVariables } from '../src/config/env.validation';

/** Static checks that the container, compose file and .env.example say what the application reads. */
const ROOT = join(__dirname, '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
const KNOWN = new Set(Object.keys(new EnvironmentVariables()));

/** `KEY: value` lines of one service's `environment:` block in docker-compose.yml. */
function composeEnvironment(service: string): Record<string, string> {
  const compose = read('docker-compose.yml');
  const start = compose.indexOf(`\n  ${service}:\n`);
  expect(start).toBeGreaterThan(-1);
  const block = compose.slice(start + 1).split(/\n {2}[a-z][a-z0-9-]*:\n/)[0];
  const env =
    block.split('\n    environment:\n')[1]?.split(/\n {4}[a-z_]+:/)[0] ?? '';
  return Object.fromEntries(
    [...env.matchAll(/^ {6}([A-Z_]+): (.*)$/gm)].map((m) => [
      m[1],
      m[2].replace(/^"|"$/g, ''),
    ]),
  );
}

/**
 * Whether .dockerignore leaves `path` (relative to the context root) out of the build context, by Docker's rules:
 * patterns start at the root, `*` stays within a path segment, `**` spans segments, a matched directory takes its
 * contents, `!` takes a path back, and the last matching line wins.
 */
function dockerIgnored(path: string): boolean {
  const segment = (glob: string) =>
    glob
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '[^/]*')
      .replace(/\?/g, '[^/]');
  let ignored = false;
  for (const line of read('.dockerignore').split('\n')) {
    const entry = line.trim();
    if (!entry || entry.startsWith('#')) continue;
    const negated = entry.startsWith('!');
    const parts = entry
      .replace(/^!/, '')
      .replace(/^\/+|\/+$/g, '')
      .split('/');
    const body = parts
      .map((part, i) =>
        part === '**'
          ? i === parts.length - 1
            ? '.*'
            : '(?:[^/]+/)*'
          : segment(part) + (i === parts.length - 1 ? '' : '/'),
      )
      .join('');
    if (new RegExp(`^${body}(?:/.*)?$`).test(path)) ignored = !negated;
  }
  return ignored;
}

describe('Packaging (static)', () => {
  describe('Dockerfile', () => {
    const dockerfile = read('Dockerfile');
    // The runtime stage is the last one (the default target); the tools stage has a USER line of its own.
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));

    it('should start what the build produces, the way the README does', () => {
      expect(dockerfile).toMatch(/^CMD \["node", "dist\/main\.js"\]$/m);
      expect(existsSync(join(ROOT, 'src', 'main.ts'))).toBe(true);
      const pkg = JSON.parse(read('package.json')) as {
        scripts: Record<string, string>;
      };
      expect(pkg.scripts['start:prod']).toBe('node dist/main');
      expect(JSON.parse(read('nest-cli.json'))).toMatchObject({
        sourceRoot: 'src',
      });
    });

    it('should only set variables the application reads, with valid values', () => {
      const env = [...dockerfile.matchAll(/^ENV (.+)$/gm)].flatMap((m) =>
        m[1].split(/\s+/),
      );
      expect(env.length).toBeGreaterThan(0);
      for (const pair of env) {
        const [name] = pair.split('=');
        expect(KNOWN).toContain(name);
      }
      expect(env).toContain('PORT=8000');
    });

    it('should run as a non-root user, expose the port and check the health endpoint', () => {
      expect(runtime).toMatch(/^FROM node:/m);
      expect(runtime).toMatch(/^USER node$/m);
      expect(runtime).toMatch(/^EXPOSE 8000$/m);
      expect(runtime).toMatch(/^HEALTHCHECK /m);
      expect(runtime).toContain(`/${API_PREFIX}/health`);
      expect(runtime).toContain('--from=production-dependencies');
      expect(dockerfile).toContain('npm prune --omit=dev');
    });

    it('should build and run on one pinned Node 24 image', () => {
      // Node 24 LTS in the build and the runtime stage (Node 20 reached its end of life on 2026-04-30), by exact
      // version and digest, the same in both.
      const bases = [...dockerfile.matchAll(/^FROM (node:\S+)/gm)].map(
        (m) => m[1],
      );
      expect(bases).toHaveLength(2);
      expect(new Set(bases).size).toBe(1);
      expect(bases[0]).toMatch(
        /^node:24\.\d+\.\d+-bookworm-slim@sha256:[0-9a-f]{64}$/,
      );
    });

    it('should run the service under tini, which forwards the stop signal the service handles itself', () => {
      expect(runtime).toMatch(
        /apt-get install -y --no-install-recommends tini/,
      );
      expect(runtime).toMatch(/^ENTRYPOINT \["\/usr\/bin\/tini", "--"\]$/m);
      expect(dockerfile.match(/^ENTRYPOINT /gm)).toHaveLength(1);
      // That the service drains and exits 0 on SIGTERM is test/process.e2e-spec.ts's part.
    });
  });

  describe('.dockerignore', () => {
    it('should keep local state, secrets and build output out of the build context', () => {
      for (const path of [
        'data',
        'data/contribution-hash-secret',
        '.env',
        '.env.local',
        'node_modules',
        'clients/typescript/node_modules',
        'dist',
        'dist-tools',
        '.e2e-build',
        '.node24',
        '.scratch',
        'coverage',
        'bench/results',
        'chaos/results',
        'test/artifacts',
        '.git',
      ])
        expect({ path, ignored: dockerIgnored(path) }).toEqual({
          path,
          ignored: true,
        });
    });

    it('should keep everything the build copies', () => {
      const copied = [
        ...read('Dockerfile').matchAll(/^COPY (?!--from)(.+) \S+$/gm),
      ]
        .flatMap((m) => m[1].split(/\s+/))
        .filter((source) => !source.startsWith('--'));
      expect(copied).toEqual(
        expect.arrayContaining(['package.json', 'src', 'tools']),
      );
      const assets = (
        JSON.parse(read('nest-cli.json')) as {
          compilerOptions: { assets: string[] };
        }
      ).compilerOptions.assets.map((asset) => `src/${asset}`);
      for (const path of [...copied, ...assets, 'src/main.ts'])
        expect({ path, ignored: dockerIgnored(path) }).toEqual({
          path,
          ignored: false,
        });
      for (const asset of assets)
        expect(existsSync(join(ROOT, asset))).toBe(true);
    });
  });

  describe('the production build', () => {
    it('should compile src/ only, and nothing in src/ should import the development tools', () => {
      const build = JSON.parse(read('tsconfig.build.json')) as {
        include: string[];
      };
      expect(build.include).toEqual(['src']);
      const offenders: string[] = [];
      const walk = (dir: string) => {
        for (const entry of readdirSync(join(ROOT, dir), {
          withFileTypes: true,
        })) {
          const path = `${dir}/${entry.name}`;
          if (entry.isDirectory()) walk(path);
          else if (
            path.endsWith('.ts') &&
            !path.endsWith('.spec.ts') &&
            /from '(\.\.\/)+tools\//.test(read(path))
          )
            offenders.push(path);
        }
      };
      walk('src');
      expect(offenders).toEqual([]);
      expect(existsSync(join(ROOT, 'src', 'bls-stub'))).toBe(false);
    });
  });

  describe('docker-compose.yml', () => {
    it.each(['api', 'api-blended'])(
      'should give %s only variables the application reads',
      (service) => {
        const env = composeEnvironment(service);
        expect(Object.keys(env).length).toBeGreaterThan(3);
        for (const name of Object.keys(env)) expect(KNOWN).toContain(name);
        expect(env.REDIS_URL).toBe('redis://redis:6379/0');
        expect(env.CACHE_PREFIX).toMatch(/:$/);
      },
    );

    it('should give both instances the postgres service, a kept volume, a healthcheck they wait for, and no default hashing secret', () => {
      const compose = read('docker-compose.yml');
      for (const service of ['api', 'api-blended']) {
        const env = composeEnvironment(service);
        expect(env.DATABASE_URL).toMatch(
          /^postgres:\/\/benchmarks:.*@postgres:5432\/benchmarks$/,
        );
        expect(env.CONTRIBUTION_HASH_SECRET).toMatch(
          /^\$\{CONTRIBUTION_HASH_SECRET:\?/,
        );
      }
      expect(compose).toMatch(
        /\n {2}postgres:\n(?: {4}#.*\n)* {4}image: postgres:15\./,
      );
      expect(compose).toContain('postgres-data:/var/lib/postgresql/data');
      expect(compose).toMatch(/\nvolumes:\n {2}postgres-data:\n/);
      expect(compose).toContain('"pg_isready"');
      expect(
        compose.match(/postgres:\n {8}condition: service_healthy/g),
      ).toHaveLength(2);
    });

    it('should pin every image to an exact version and digest', () => {
      const images = [
        ...read('docker-compose.yml').matchAll(/^ {4}image: (.+)$/gm),
      ].map((m) => m[1]);
      expect(images).toEqual([
        expect.stringMatching(/^postgres:15\./),
        expect.stringMatching(/^redis:7\./),
      ]);
      for (const image of images)
        expect(image).toMatch(
          /^[a-z0-9._/-]+:\d+\.\d+[\w.-]*@sha256:[0-9a-f]{64}$/,
        );
    });

    it("should run the stub from the tools' build stage, and point the blended instance at it with the stub key", () => {
      const compose = read('docker-compose.yml');
      expect(compose).toContain('target: tools');
      expect(compose).toContain('"dist-tools/tools/bls-stub/main.js"');
      expect(read('Dockerfile')).toMatch(/^FROM build AS tools$/m);
      expect(existsSync(join(ROOT, 'tools', 'bls-stub', 'main.ts'))).toBe(true);
      expect(composeEnvironment('api-blended')).toMatchObject({
        DATA_SOURCE: 'blended',
        BLS_API_URL: 'http://bls-stub:8090/publicAPI/v2',
        BLS_API_KEY: 'stub-key-0123456789abcdef0123456789ab',
        CENSUS_API_URL: 'http://census-stub:8091/data',
        CENSUS_API_KEY: '0123456789abcdef0123456789abcdef01234567',
      });
      expect(compose).toContain('"dist-tools/tools/census-stub/main.js"');
    });
  });

  describe('.env.example', () => {
    it('should list every variable the application reads, with its default, and no other', () => {
      const entries = Object.fromEntries(
        [...read('.env.example').matchAll(/^([A-Z_]+)=(.*)$/gm)].map((m) => [
          m[1],
          m[2],
        ]),
      );
      expect(Object.keys(entries).sort()).toEqual([...KNOWN].sort());
      for (const [name, value] of Object.entries(new EnvironmentVariables())) {
        expect({ name, value: entries[name] }).toEqual({
          name,
          value: value === undefined ? '' : String(value),
        });
      }
    });
  });
});
