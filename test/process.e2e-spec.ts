import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBlsStub } from '../tools/bls-stub/bls-stub-server';
import { startCensusStub } from '../tools/census-stub/census-stub-server';
import { Client } from 'pg';
import {
  createPrivateDatabase,
  describeWithPostgres,
} from './utils/postgres-test-env';
import {
  freePort,
  PrivateRedis,
  redisServerAvailable,
} from './utils/redis-server';
import { TcpProxy } from '../tools/tcp-proxy/tcp-proxy';
import { SNAPSHOT_LOCK } from '../src/contributions/locks';

/**
 * The built service as a real process: configuration failures, JSON request logs, graceful shutdown. Compiled into
 * .e2e-build (not dist, which the README's start command owns) once for the suite.
 */
const ROOT = join(__dirname, '..');
const BUILD = join(ROOT, '.e2e-build');
const MAIN = join(BUILD, 'main.js');
const ADMIN_KEY = 'process-test-admin-key-0123456789';

interface Running {
  child: ChildProcess;
  port: number;
  lines: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The processes' embedded database (one process at a time uses it), removed after the suite. */
const dataDir = mkdtempSync(join(tmpdir(), 'benchmark-api-process-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Every process a test started: any still running after its test is killed (a failed assertion leaves none). */
const started = new Set<ChildProcess>();
afterEach(async () => {
  for (const child of started) {
    if (child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await gone;
    }
  }
  started.clear();
});

async function start(env: Record<string, string> = {}): Promise<Running> {
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      DATA_DIR: dataDir,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.add(child);
  const lines: string[] = [];
  let buffer = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop()!;
    lines.push(...parts.filter((l) => l.trim() !== ''));
  });
  child.stderr.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
  const exited = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
  }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  // Generous: a busy machine stretches a start (one opening its embedded database took 10-22 s on a loaded one).
  let gone = false;
  void exited.then(() => (gone = true));
  for (let i = 0; i < 600 && !gone; i++) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/benchmarks/health`);
      if (res.ok) return { child, port, lines, exited };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  await exited;
  throw new Error(
    `the service did not start${gone ? ' (it exited)' : ' within 60 s'}: ${lines.join('\n')}`,
  );
}

/**
 * Opens a connection and sends a POST /data whose body is only half written; `finish()` sends the rest and resolves
 * with the raw answer once the server closes the connection.
 */
async function halfSentPost(port: number, connection: 'close' | 'keep-alive') {
  const body = JSON.stringify({
    industry: 'retail',
    metrics: ['profit_margin'],
  });
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((r) => socket.once('connect', () => r()));
  let answer = '';
  socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
  const closed = new Promise<void>((r) => socket.once('close', () => r()));
  socket.write(
    `POST /api/benchmarks/data HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${body.length}\r\nConnection: ${connection}\r\n\r\n${body.slice(0, 10)}`,
  );
  return {
    finish: async (): Promise<string> => {
      socket.write(body.slice(10));
      await closed;
      return answer;
    },
  };
}

/** The error code of a new TCP connection to the port, or undefined when it is accepted. */
async function connectionError(port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(undefined);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code));
  });
}

beforeAll(() => {
  const result = spawnSync(
    'npx',
    ['tsc', '-p', 'tsconfig.build.json', '--outDir', BUILD],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  );
  if (result.status !== 0)
    throw new Error(`build failed: ${result.stdout}${result.stderr}`);
  // The assets nest build copies (nest-cli.json): the embedded database's template, as the service is deployed.
  for (const asset of [
    'pglite-template.tar.br',
    'pglite-template.manifest.json',
  ])
    copyFileSync(
      join(ROOT, 'src', 'database', asset),
      join(BUILD, 'database', asset),
    );
}, 120_000);

describe('The service process (e2e)', () => {
  it('should stop at start with exit code 1 and one line per invalid variable', () => {
    const result = spawnSync(process.execPath, [MAIN], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        PORT: 'abc',
        RATE_LIMIT_PER_MINUTE: '-1',
        ADMIN_API_KEY: 'short',
      },
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trim().split('\n');
    expect(lines).toEqual([
      'Invalid environment variable PORT="abc": PORT must be an integer from 1 to 65535',
      'Invalid environment variable RATE_LIMIT_PER_MINUTE="-1": RATE_LIMIT_PER_MINUTE must be an integer from 0 to 1000000',
      'Invalid environment variable ADMIN_API_KEY=<redacted>: ADMIN_API_KEY must be at least 16 characters long',
    ]);
  });

  it('should refuse to start with DATA_SOURCE=census and no CENSUS_API_KEY, naming the variable', () => {
    const result = spawnSync(process.execPath, [MAIN], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, DATA_SOURCE: 'census' },
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^Missing environment variable CENSUS_API_KEY: DATA_SOURCE=census needs a Census Data API key/,
      ),
    ]);
  });

  it('should stop at start with exit code 1 and one line saying which embedded database could not be created and why', () => {
    const broken = mkdtempSync(join(tmpdir(), 'benchmark-api-broken-'));
    try {
      // PGlite's creation then fails writing its configuration, throwing Emscripten's ErrnoError: a plain object,
      // which was logged as "[object Object]". (A full disk throws the same object with another errno.)
      mkdirSync(join(broken, 'pglite', 'postgresql.conf'), { recursive: true });
      // spawnSync kills the process (SIGKILL) if it outlives the timeout: none is left behind.
      const result = spawnSync(process.execPath, [MAIN], {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH,
          DATA_DIR: broken,
          DATA_SOURCE: 'contributed',
        },
        encoding: 'utf8',
        timeout: 120_000,
        killSignal: 'SIGKILL',
      });
      expect(result.signal).toBeNull();
      expect(result.status).toBe(1);
      expect(result.stderr.trim().split('\n')).toEqual([
        `Could not create the embedded database in ${join(broken, 'pglite')}: a directory where a file was expected (EISDIR), PGlite's ErrnoError (errno 31)`,
      ]);
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  }, 150_000);

  it('should log one JSON line per request with its id, route, status and duration, and no secrets', async () => {
    const running = await start({ ADMIN_API_KEY: ADMIN_KEY });
    try {
      await fetch(
        `http://127.0.0.1:${running.port}/api/benchmarks/industries/retail`,
        {
          headers: { 'x-request-id': 'trace-42' },
        },
      );
      await fetch(`http://127.0.0.1:${running.port}/api/benchmarks/cache`, {
        method: 'DELETE',
        headers: {
          authorization: `Bearer ${ADMIN_KEY}`,
          'x-request-id': 'trace-43',
        },
      });
      await new Promise((r) => setTimeout(r, 200));
      const records = running.lines.map(
        (l) => JSON.parse(l) as Record<string, unknown>,
      );
      expect(records.find((r) => r.req_id === 'trace-42')).toMatchObject({
        msg: 'request completed',
        method: 'GET',
        route: '/api/benchmarks/industries/:industry',
        status: 200,
        duration_ms: expect.any(Number) as number,
        service: 'benchmark-api',
      });
      expect(records.find((r) => r.req_id === 'trace-43')).toMatchObject({
        method: 'DELETE',
        status: 200,
      });
      expect(running.lines.join('\n')).not.toContain(ADMIN_KEY);
    } finally {
      running.child.kill('SIGKILL');
      await running.exited;
    }
  });

  it('should finish a request in flight on SIGTERM, refuse new connections, and exit 0', async () => {
    const running = await start();
    // The request is accepted and its body only half sent when the signal arrives.
    const request = await halfSentPost(running.port, 'close');
    await new Promise((r) => setTimeout(r, 100));
    running.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    expect(await connectionError(running.port)).toBe('ECONNREFUSED');
    const answer = await request.finish();
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(answer).toContain('"metric_name":"profit_margin"');
    expect(await running.exited).toEqual({ code: 0, signal: null });
    expect(running.lines.some((l) => l.includes('shut down cleanly'))).toBe(
      true,
    );
  });

  it('should close keep-alive connections while draining and survive a second SIGTERM', async () => {
    const running = await start();
    const request = await halfSentPost(running.port, 'keep-alive');
    await new Promise((r) => setTimeout(r, 100));
    running.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 100));
    running.child.kill('SIGTERM'); // a second signal must not kill the draining process
    await new Promise((r) => setTimeout(r, 100));
    const answer = await request.finish();
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(answer.toLowerCase()).toContain('connection: close');
    expect(await running.exited).toEqual({ code: 0, signal: null });
  });

  it('should answer a request sent on an idle keep-alive connection just after SIGTERM, with Connection: close', async () => {
    const running = await start();
    const socket = connect(running.port, '127.0.0.1');
    await new Promise<void>((r) => socket.once('connect', () => r()));
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    const get = `GET /api/benchmarks/industries HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n`;
    socket.write(get);
    const complete = () => {
      const end = answer.indexOf('\r\n\r\n');
      const length = /content-length: (\d+)/i.exec(answer);
      return (
        end >= 0 &&
        length !== null &&
        Buffer.byteLength(answer.slice(end + 4)) >= Number(length[1])
      );
    };
    while (!complete()) await new Promise((r) => setTimeout(r, 10));
    expect(answer.toLowerCase()).toContain('connection: keep-alive');
    await new Promise((r) => setTimeout(r, 50)); // the connection is idle now
    answer = '';
    running.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 100));
    // Closing idle connections at once would reset this one, with the request below unanswered.
    socket.write(get);
    await closed;
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(answer.toLowerCase()).toContain('connection: close');
    expect(await connectionError(running.port)).toBe('ECONNREFUSED'); // no new connections meanwhile
    expect(await running.exited).toEqual({ code: 0, signal: null });
  });

  it('should keep the admin key, the BLS and Census keys and the Redis password out of its logs, at debug level and through Redis, BLS and Census failures', async () => {
    const blsKey = 'blsLogSecret0123456789abcdef';
    const censusKey = 'censusLogSecret0123456789abcdef012345678';
    const census = await startCensusStub({ keys: [censusKey], fault: '500' });
    const redisPassword = 'redisLogPassw0rd-4e5f6a';
    const stub = await startBlsStub({ keys: [blsKey], fault: '500' });
    const redis = redisServerAvailable()
      ? await PrivateRedis.start(undefined, ['--requirepass', redisPassword])
      : undefined;
    let running: Running | undefined;
    try {
      running = await start({
        LOG_LEVEL: 'debug',
        ADMIN_API_KEY: ADMIN_KEY,
        BLS_API_KEY: blsKey,
        BLS_MAX_RETRIES: '0',
        DATA_SOURCE: 'blended',
        BLS_API_URL: stub.url,
        CENSUS_API_KEY: censusKey,
        CENSUS_API_URL: census.url,
        CENSUS_MAX_RETRIES: '0',
        CENSUS_COOLDOWN_MS: '0',
        ...(redis
          ? { REDIS_URL: `redis://:${redisPassword}@127.0.0.1:${redis.port}` }
          : {}),
      });
      const base = `http://127.0.0.1:${running.port}/api/benchmarks`;
      const compare = () =>
        fetch(`${base}/compare`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            industry: 'retail',
            user_values: {
              annual_wage_per_employee: 40000,
              receipts_per_employee: 150000,
            },
          }),
        });
      expect((await compare()).status).toBe(200); // BLS and Census answer 500: stand-ins and logged failures
      census.setFault('key'); // a revoked key: the redirect, logged once
      expect((await compare()).status).toBe(200);
      for (const authorization of [
        `Bearer ${ADMIN_KEY}x`,
        `Bearer ${ADMIN_KEY}`,
      ])
        await fetch(`${base}/cache`, {
          method: 'DELETE',
          headers: { authorization },
        });
      if (redis) {
        await redis.stop(); // a logged Redis incident, with the Redis target in it
        expect((await compare()).status).toBe(200);
        await redis.restart();
      }
      await new Promise((r) => setTimeout(r, 500));
      const log = running.lines.join('\n');
      expect(stub.requests.length).toBeGreaterThan(0);
      expect(log).toMatch(/BLS/);
      expect(log).toMatch(/Census calls failing/);
      expect(log).toMatch(/Census refused the request/);
      expect(census.requests.some((r) => r.path.includes(censusKey))).toBe(
        true,
      );
      if (redis) expect(log).toMatch(/Redis cache at redis:\/\/127\.0\.0\.1/);
      for (const secret of [ADMIN_KEY, blsKey, censusKey, redisPassword])
        expect(log).not.toContain(secret);
    } finally {
      running?.child.kill('SIGKILL');
      await running?.exited;
      await stub.close();
      await census.close();
      await redis?.stop();
    }
  }, 120_000); // blended: the service opens (and first creates) its embedded database at start
});

/** A private database behind a proxy the test can hold, a connection to watch it, and the service's env for it. */
async function heldPostgres() {
  const database = await createPrivateDatabase();
  const target = new URL(database.url);
  const proxy = await TcpProxy.start({
    host: target.hostname,
    port: Number(target.port || 5432),
  });
  const watcher = new Client({ connectionString: database.url });
  await watcher.connect();
  const env = {
    DATABASE_URL: proxy.through(database.url),
    CONTRIBUTION_HASH_SECRET: 'process-test-hash-secret-0123456789abcdef',
    ADMIN_API_KEY: ADMIN_KEY,
    CONTRIBUTION_PUBLISH_INTERVAL: '0',
  };
  return { database, proxy, watcher, env };
}

/** How many of the service's connections to the watched database match `condition`. */
async function serviceConnections(
  watcher: Client,
  condition = 'true',
): Promise<number> {
  const { rows } = await watcher.query<{ n: string }>(
    `select count(*) as n from pg_stat_activity
     where datname = current_database() and application_name = 'benchmark-api' and ${condition}`,
  );
  return Number(rows[0].n);
}

/**
 * Once the service's transaction has written (it holds a transaction id), holds PostgreSQL's answers so it cannot
 * commit, kills the process with SIGKILL, and waits until PostgreSQL has seen its connections go (and rolled back).
 * The request in flight must have got no answer (so no 2xx; fetch's error comes from Node's own realm).
 */
async function killMidTransaction(
  running: Running,
  { proxy, watcher }: { proxy: TcpProxy; watcher: Client },
  inFlight: Promise<unknown>,
): Promise<void> {
  let writing = false;
  for (let i = 0; i < 2000 && !writing; i++) {
    writing =
      (await serviceConnections(watcher, 'backend_xid is not null')) > 0;
    if (!writing) await new Promise((r) => setTimeout(r, 1));
  }
  expect(writing).toBe(true);
  proxy.stall();
  running.child.kill('SIGKILL');
  expect((await running.exited).signal).toBe('SIGKILL');
  expect(String(await inFlight)).toMatch(/fetch failed/);
  proxy.resume();
  await proxy.down();
  await proxy.up();
  for (let i = 0; i < 100 && (await serviceConnections(watcher)) > 0; i++)
    await new Promise((r) => setTimeout(r, 50));
}

describeWithPostgres('Contributions through a killed process (e2e)', () => {
  it("should keep keys, the hashing secret, the database password, business references and raw values out of its logs and of every answer but the owner's export", async () => {
    const database = await createPrivateDatabase();
    const password = 'pgLogPassw0rd-7c1d'; // trust auth: sent, not checked
    const url = new URL(database.url);
    url.username = 'postgres';
    url.password = password;
    const secret = 'process-log-hash-secret-9f8e7d6c5b4a39281706';
    const running = await start({
      LOG_LEVEL: 'debug',
      DATABASE_URL: url.toString(),
      CONTRIBUTION_HASH_SECRET: secret,
      ADMIN_API_KEY: ADMIN_KEY,
      DATA_SOURCE: 'contributed',
      CONTRIBUTION_PUBLISH_INTERVAL: '0',
    });
    const base = `http://127.0.0.1:${running.port}/api/benchmarks`;
    const answers: string[] = [];
    const call = async (path: string, init: RequestInit = {}) => {
      const res = await fetch(`${base}${path}`, init);
      const text = await res.text();
      answers.push(text);
      return { status: res.status, text };
    };
    try {
      const created = await call('/admin/tenants', {
        method: 'POST',
        headers: {
          authorization: `Bearer ${ADMIN_KEY}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ name: 'Acme Books' }),
      });
      const key = (JSON.parse(created.text) as { api_key: string }).api_key;
      answers.pop(); // the creation answer shows the key once, by design
      const tenant = {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
      };
      const value = 0.0731949; // distinctive
      const records = Array.from({ length: 30 }, (_, i) => ({
        business_ref: `private-ref-${i}`,
        period: '2024-12-01',
        industry: 'retail',
        company_size: 'small',
        region: 'midwest',
        values: { profit_margin: i === 0 ? value : 0.01 * i },
      }));
      expect(
        (
          await call('/contributions/batch', {
            method: 'POST',
            headers: tenant,
            body: JSON.stringify({ records }),
          })
        ).status,
      ).toBe(200);
      expect(
        (
          await call('/contributions/private-ref-0/2024-12-01', {
            method: 'PUT',
            headers: tenant,
            body: JSON.stringify({
              ...records[0],
              business_ref: undefined,
              period: undefined,
            }),
          })
        ).status,
      ).toBe(200);
      answers.pop(); // the PUT answers the stored month to its owner
      const exported = await call('/contributions/private-ref-0', {
        headers: tenant,
      });
      expect(exported.text).toContain(String(value)); // the owner sees its raw values
      answers.pop();
      await call('/contributions/private-ref-1', {
        headers: { authorization: `Bearer ${key}x` },
      });
      await call('/contributions/batch', {
        method: 'POST',
        headers: tenant,
        body: JSON.stringify({
          records: [{ ...records[0], values: { profit_margin: 7 } }],
        }),
      });
      await call('/admin/publications', {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_KEY}` },
      });
      await new Promise((r) => setTimeout(r, 300));
      await call('/compare', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          industry: 'retail',
          company_size: 'small',
          region: 'midwest',
          period: '2024-12-01',
          user_values: { profit_margin: 0.05 },
        }),
      });
      await call('/data', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          industry: 'retail',
          company_size: 'small',
          region: 'midwest',
          metrics: ['profit_margin'],
          start_date: '2024-12-01',
          end_date: '2024-12-31',
        }),
      });
      const erased = await call('/contributions/private-ref-2', {
        method: 'DELETE',
        headers: tenant,
      });
      expect(erased.status).toBe(200);
      answers.pop(); // the erasure answers its owner with the reference it sent
      // The admin acts for a tenant (a revoked one, say): exported and erased, audited without references or values.
      const tenantId = (JSON.parse(created.text) as { tenant_id: string })
        .tenant_id;
      const admin = { authorization: `Bearer ${ADMIN_KEY}` };
      const adminExport = await call(
        `/admin/tenants/${tenantId}/contributions/private-ref-3`,
        { headers: admin },
      );
      expect(adminExport.status).toBe(200);
      answers.pop(); // shown to the admin acting for the business's owner
      const adminErase = await call(
        `/admin/tenants/${tenantId}/contributions/private-ref-3`,
        { method: 'DELETE', headers: admin },
      );
      expect(adminErase.status).toBe(200);
      answers.pop();
      expect(
        (
          await call(`/admin/tenants/${tenantId}/contributions`, {
            method: 'DELETE',
            headers: admin,
          })
        ).status,
      ).toBe(200);
      const metrics = await fetch(
        `http://127.0.0.1:${running.port}/metrics`,
      ).then((r) => r.text());
      expect(metrics).toMatch(
        /benchmark_contributions_total\{outcome="accepted"\} 31/,
      );
      expect(metrics).toMatch(
        /benchmark_contributions_total\{outcome="refused"\} 1/,
      );
      answers.push(metrics);
      await new Promise((r) => setTimeout(r, 300));
      const log = running.lines.join('\n');
      expect(log).toMatch(/published contributed benchmarks/);
      for (const audit of [
        "admin exported a tenant's business",
        "admin erased a tenant's business",
        'admin erased every business of a tenant',
      ])
        expect(log).toContain(audit);
      for (const [what, text] of [
        ['the logs', log],
        ['the answers', answers.join('\n')],
      ]) {
        for (const secretText of [
          key,
          key.slice(4),
          ADMIN_KEY,
          secret,
          password,
          'private-ref-',
          String(value),
        ])
          expect({
            where: what,
            found: text.includes(secretText) ? secretText : null,
          }).toEqual({ where: what, found: null });
      }
    } finally {
      running.child.kill('SIGKILL');
      await running.exited;
      await database.drop();
    }
  }, 60_000);

  it('should keep the previous publication current when the process is killed in the middle of a publication, and report that one interrupted', async () => {
    const { database, proxy, watcher, env } = await heldPostgres();
    let running: Running | undefined;
    const admin = { authorization: `Bearer ${ADMIN_KEY}` };
    const base = () => `http://127.0.0.1:${running!.port}/api/benchmarks`;
    const current = async () =>
      (
        await watcher.query<{ publication_id: number }>(
          'select publication_id from current_publication',
        )
      ).rows.map((r) => r.publication_id);
    /** POST /admin/publications: 202, and the publication's number. */
    const publish = async () => {
      const res = await fetch(`${base()}/admin/publications`, {
        method: 'POST',
        headers: admin,
      });
      expect(res.status).toBe(202);
      return ((await res.json()) as { publication_id: number }).publication_id;
    };
    const until = async (done: () => Promise<boolean>) => {
      for (let i = 0; i < 600 && !(await done()); i++)
        await new Promise((r) => setTimeout(r, 50));
      expect(await done()).toBe(true);
    };
    // The publication's own connection (it holds the publisher lock), waiting on a lock.
    const jobWaiting = async () =>
      Number(
        (
          await watcher.query<{ n: string }>(
            `select count(*) as n from pg_stat_activity
             where datname = current_database() and application_name = 'benchmark-api job' and wait_event_type = 'Lock'`,
          )
        ).rows[0].n,
      ) > 0;
    try {
      running = await start(env);
      const created = await fetch(`${base()}/admin/tenants`, {
        method: 'POST',
        headers: { ...admin, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Acme Books' }),
      });
      const { api_key: key } = (await created.json()) as { api_key: string };
      const records = Array.from({ length: 40 }, (_, i) => ({
        business_ref: `shop-${i}`,
        period: '2024-12-01',
        industry: 'retail',
        company_size: 'small',
        region: 'midwest',
        values: { profit_margin: 0.001 * i },
      }));
      const stored = await fetch(`${base()}/contributions/batch`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${key}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ records }),
      });
      expect(stored.status).toBe(200);
      expect(await publish()).toBe(1);
      await until(async () => (await current())[0] === 1);

      // The second publication has computed its cells (committed, batch by batch) and waits, in its last
      // transaction, for the snapshot lock this test holds: the process is killed there.
      await watcher.query(`select pg_advisory_lock(${SNAPSHOT_LOCK})`);
      expect(await publish()).toBe(2);
      await until(jobWaiting);
      const cells = await watcher.query<{ n: string }>(
        'select count(*) as n from published_cells where publication_id = 2',
      );
      expect(Number(cells.rows[0].n)).toBe(3);
      running.child.kill('SIGKILL');
      expect((await running.exited).signal).toBe('SIGKILL');
      await watcher.query(`select pg_advisory_unlock(${SNAPSHOT_LOCK})`);
      expect(await current()).toEqual([1]);

      // A new process reports it failed, interrupted; the next publication is number 3 and becomes current.
      running = await start(env);
      const two = await fetch(`${base()}/admin/publications/2`, {
        headers: admin,
      });
      expect(await two.json()).toMatchObject({
        publication_id: 2,
        state: 'failed',
        current: false,
        failure: expect.stringContaining('interrupted') as unknown,
      });
      expect(await publish()).toBe(3);
      await until(async () => (await current())[0] === 3);
      const three = await fetch(`${base()}/admin/publications/3`, {
        headers: admin,
      });
      expect(await three.json()).toMatchObject({
        state: 'published',
        current: true,
        published_cells: 3,
      });
    } finally {
      running?.child.kill('SIGKILL');
      await watcher.end();
      await proxy.down();
      await database.drop();
    }
  }, 120_000);

  it('should leave nothing of a batch killed mid-transaction, and store it exactly once when retried', async () => {
    const { database, proxy, watcher, env } = await heldPostgres();
    let running: Running | undefined;
    try {
      running = await start(env);
      const base = () => `http://127.0.0.1:${running!.port}/api/benchmarks`;
      const created = await fetch(`${base()}/admin/tenants`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${ADMIN_KEY}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ name: 'Acme Books' }),
      });
      const { api_key: key } = (await created.json()) as { api_key: string };
      const records = Array.from({ length: 1000 }, (_, i) => ({
        business_ref: `shop-${i}`,
        period: '2024-12-01',
        industry: 'retail',
        company_size: 'small',
        region: 'midwest',
        values: {
          profit_margin: 0.0001 * i,
          gross_margin: 0.3,
          inventory_turnover: 5,
        },
      }));
      const send = () =>
        fetch(`${base()}/contributions/batch`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${key}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify({ records }),
        });
      const stored = async () =>
        Number(
          (
            await watcher.query<{ n: string }>(
              'select count(*) as n from contribution_values',
            )
          ).rows[0].n,
        );

      // The batch's transaction has written (it holds a transaction id): hold PostgreSQL's answers so it cannot
      // commit, and kill the process there.
      const inFlight = send().catch((error: unknown) => error);
      await killMidTransaction(running, { proxy, watcher }, inFlight);
      expect(await stored()).toBe(0);

      // The client retries: everything once; and once more: still once.
      running = await start(env);
      for (let attempt = 0; attempt < 2; attempt++) {
        const res = await send();
        expect(res.status).toBe(200);
        expect(await res.json()).toMatchObject({
          stored: 1000,
          businesses: 1000,
          values: 3000,
        });
        expect(await stored()).toBe(3000);
      }
    } finally {
      running?.child.kill('SIGKILL');
      await watcher.end();
      await proxy.down();
      await database.drop();
    }
  }, 120_000);
});
