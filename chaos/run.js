'use strict';
/**
 * npm run chaos [-- --short] [-- --no-build] [-- --phase-seconds S] [-- --rate R]
 *
 * Faults under a steady load. Builds the service and the tools (unless --no-build), then starts a private redis-server, the BLS
 * and Census stubs (in this process, so their faults can be switched between phases) and the built service on them
 * (DATA_SOURCE=blended, Redis cache), pinned to CPU 0 where taskset exists (this load generator to CPU 1). Drives
 * autocannon at a fixed rate through phases: a baseline, Redis killed and kept down, Redis restarted, Redis slow
 * (DEBUG SLEEP), BLS answering 429, 500, HTML, slowly and with the quota refusal, Census answering 429, 500, HTML,
 * slowly and refusing the key (cache cleared, so nothing is kept: labelled stand-ins), PostgreSQL taken away and given
 * back (through a TCP proxy to a private database of the machine's server) while contributions are written, both
 * failing past their TTLs on an
 * instance with 2 s TTLs (the kept real answers, said stale), a second instance with a low rate
 * limit, and SIGTERM during load. For each phase: requests sent, answers by status, non-2xx, p99 latency of every
 * answer, connections dropped with a request outstanding, and for the Redis restart the time until the cache is up
 * and serving hits again. Prints a table and writes JSON to chaos/results/ (short.json or latest.json).
 *
 * Exits 1 when a phase breaks a promise: a non-2xx answer (except 429 in the rate-limit phase), a dropped
 * request, no cache hits after Redis returns, a contribution write answered other than 2xx or 503 with Retry-After
 * while PostgreSQL is away (or other than 2xx once it is back), a stored contribution count other than the writes
 * answered 2xx, an exit code other than 0 after SIGTERM, or an ordinary client's p99 of 50 ms or more while another
 * sends hostile bodies at the rate limit (twice its p99 alone when that is over 25 ms: a machine too busy to judge
 * 50 ms by). Other timings are reported, never judged. Without a PostgreSQL
 * server (CHAOS_POSTGRES_URL, default the machine's) the PostgreSQL phases are skipped loudly; under CI=true that fails.
 */
const autocannon = require('autocannon');
const { sleep, HAS_TASKSET, freePort, answers, onServerCpu, dataDir, privateDatabase } = require('../bench/lib');
const { spawn, spawnSync } = require('node:child_process');
const { createWriteStream, mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
const RESULTS = join(__dirname, 'results');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const SHORT = args.includes('--short');
const PHASE_S = option('--phase-seconds', SHORT ? 4 : 15);
const RATE = option('--rate', SHORT ? 150 : 300);
const CONNECTIONS = 10;
const ADMIN_KEY = 'chaos-admin-key-0123456789abcdef';
const BLS_KEY = 'chaosBlsKey0123456789abcdef';
const CENSUS_KEY = 'c0ffee0123456789abcdef0123456789abcdef01';
const PREFIX = 'chaos:';
const B = '/api/benchmarks';
const HASH_SECRET = 'chaos-contribution-hash-secret-0123456789ab';
const POSTGRES_URL = process.env.CHAOS_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';



// ---------------------------------------------------------------------------------------------------------------
// Redis: a private server, killed and restarted on the same port.

async function startRedis(port) {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--enable-debug-command', 'yes'],
    { stdio: 'ignore' },
  );
  const Redis = require('ioredis');
  for (let i = 0; i < 200; i++) {
    const client = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.ping();
      client.disconnect();
      return child;
    } catch {
      client.disconnect();
      await sleep(25);
    }
  }
  throw new Error(`redis-server did not start on port ${port}`);
}

function kill(child, signal = 'SIGKILL') {
  return new Promise((resolve) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The service.

async function startApp(env, logFile) {
  const port = await freePort();
  const child = spawn(...onServerCpu(process.execPath, ['dist/main.js']), {
    cwd: ROOT,
    env: { PATH: process.env.PATH, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', DATA_DIR: dataDir(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = createWriteStream(logFile, { flags: 'a' });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const url = `http://127.0.0.1:${port}`;
  if (await answers(`${url}${B}/health`)) return { child, url, exited };
  child.kill('SIGKILL');
  throw new Error(`the service did not start; see ${logFile}`);
}

async function cacheFigures(url) {
  const text = await (await fetch(`${url}/metrics`)).text();
  const read = (name) => Number(new RegExp(`^${name}\\{[^}]*driver="redis"[^}]*\\} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  const health = await (await fetch(`${url}${B}/health`)).json();
  return {
    hits: read('benchmark_cache_hits_total'),
    misses: read('benchmark_cache_misses_total'),
    errors: read('benchmark_cache_errors_total'),
    status: health.cache.status,
  };
}

async function clearCache(url) {
  const res = await fetch(`${url}${B}/cache`, { method: 'DELETE', headers: { authorization: `Bearer ${ADMIN_KEY}` } });
  await res.text();
  return res.status;
}

// ---------------------------------------------------------------------------------------------------------------
// The load: a mix of comparisons and series over industries and regions, BLS metrics included.

const json = (path, body) => ({
  method: 'POST',
  path,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});
const INDUSTRIES = ['retail', 'restaurant', 'manufacturing', 'technology', 'hospitality', 'construction'];
const REGIONS = ['national', 'northeast', 'west'];
const REQUESTS = [];
for (const industry of INDUSTRIES) {
  for (const region of REGIONS) {
    REQUESTS.push(
      json(`${B}/compare`, {
        industry,
        region,
        period: '2024-12-01',
        user_values: {
          revenue_per_employee: 180000,
          profit_margin: 0.08,
          annual_wage_per_employee: 45000,
          receipts_per_employee: 200000,
        },
      }),
      json(`${B}/data`, {
        industry,
        region,
        metrics: ['profit_margin', 'average_weekly_wage', 'payroll_per_employee'],
        start_date: '2022-01-01',
        end_date: '2024-12-31',
      }),
    );
  }
}
REQUESTS.push({ method: 'GET', path: `${B}/industries/retail` });

const percentile = (xs, p) => {
  if (xs.length === 0) return null;
  const sorted = [...xs].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] * 10) / 10;
};

/** One phase of load: `during(stop)` runs alongside it. Latencies are of every answer, 2xx or not. */
function load(url, seconds) {
  const latencies = [];
  const errorsByCode = {};
  let resolveDone;
  const done = new Promise((resolve, reject) => {
    resolveDone = { resolve, reject };
  });
  const instance = autocannon(
    { url, requests: REQUESTS, connections: CONNECTIONS, overallRate: RATE, duration: seconds, timeout: 20 },
    (error, result) => (error ? resolveDone.reject(error) : resolveDone.resolve(result)),
  );
  instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  instance.on('reqError', (error) => {
    const code = error.code ?? error.message;
    errorsByCode[code] = (errorsByCode[code] ?? 0) + 1;
  });
  return {
    result: done.then((result) => {
      const statuses = Object.fromEntries(Object.entries(result.statusCodeStats).map(([k, v]) => [k, v.count]));
      // Refused connections were never accepted (the listener is closed): not dropped. Anything else is.
      const dropped = Object.entries(errorsByCode)
        .filter(([code]) => code !== 'ECONNREFUSED')
        .reduce((n, [, count]) => n + count, 0);
      // Sent: every request that got an answer or failed. (autocannon's own `sent` adds a rate's worth of requests
      // per connection that were never written.) Refused connection attempts are counted apart: no request went out.
      return {
        sent: result.requests.total + dropped,
        answered: result.requests.total,
        refused_connections: errorsByCode.ECONNREFUSED ?? 0,
        statuses,
        non_2xx: result.non2xx,
        errors: errorsByCode,
        dropped,
        p50_ms: percentile(latencies, 50),
        p99_ms: percentile(latencies, 99),
        max_ms: latencies.length ? Math.round(Math.max(...latencies) * 10) / 10 : null,
      };
    }),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// PostgreSQL: a private database of the machine's server, behind a TCP proxy that can take it away.

/**
 * Writes contributions one after another for `ms` (each a business of its own), and says how each was answered:
 * `ok` the 2xx, `unavailable` the 503s with Retry-After, `other` anything else (a promise broken).
 */
async function writeContributions(url, key, first, ms) {
  const until = Date.now() + ms;
  const tally = { ok: 0, unavailable: 0, other: 0, otherStatuses: {} };
  for (let i = first; Date.now() < until; i++) {
    let status;
    let retryAfter = null;
    try {
      const res = await fetch(`${url}${B}/contributions/chaos-${i}/2024-12-01`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ industry: 'retail', company_size: 'small', region: 'midwest', values: { profit_margin: (i % 50) / 500 } }),
      });
      status = res.status;
      retryAfter = res.headers.get('retry-after');
      await res.arrayBuffer();
    } catch (error) {
      status = `error ${error.cause?.code ?? error.message}`;
    }
    if (status === 200) tally.ok++;
    else if (status === 503 && retryAfter) tally.unavailable++;
    else {
      tally.other++;
      tally.otherStatuses[status] = (tally.otherStatuses[status] ?? 0) + 1;
    }
    tally.next = i + 1;
    await sleep(20);
  }
  return tally;
}


// ---------------------------------------------------------------------------------------------------------------
// Hostile bodies: the costliest bodies a client without a key can send, at the rate limit, beside an ordinary client.

const http = require('node:http');

/** POSTs a JSON body through `agent` (bound to a loopback address of its own: the rate limit counts per address). */
function postFrom(agent, url, path, body) {
  return new Promise((resolve) => {
    const started = performance.now();
    const req = http.request(
      `${url}${path}`,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode, ms: performance.now() - started }));
      },
    );
    req.on('error', (error) => resolve({ status: `error ${error.code ?? error.message}`, ms: performance.now() - started }));
    req.end(body);
  });
}

/** An ordinary client: one comparison after another, `perSecond` a second, for `ms`; its latencies and statuses. */
async function ordinaryClient(url, perSecond, ms) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1, localAddress: '127.0.0.3' });
  const body = JSON.stringify({ industry: 'retail', region: 'west', period: '2024-12-01', user_values: { profit_margin: 0.08, revenue_per_employee: 180000 } });
  const latencies = [];
  const statuses = {};
  const started = Date.now();
  for (let i = 0; Date.now() - started < ms; i++) {
    const due = started + (i * 1000) / perSecond;
    if (due > Date.now()) await sleep(due - Date.now());
    const { status, ms: took } = await postFrom(agent, url, `${B}/compare`, body);
    statuses[status] = (statuses[status] ?? 0) + 1;
    latencies.push(took);
  }
  agent.destroy();
  return { requests: latencies.length, statuses, latencies, p50_ms: percentile(latencies, 50), p99_ms: percentile(latencies, 99), max_ms: Math.round(Math.max(...latencies) * 10) / 10 };
}

/** Several runs of the ordinary client as one: their answers together, percentiles over every latency. */
function mergedClients(runs) {
  const latencies = runs.flatMap((r) => r.latencies);
  const statuses = {};
  for (const r of runs) for (const [status, n] of Object.entries(r.statuses)) statuses[status] = (statuses[status] ?? 0) + n;
  return { requests: latencies.length, statuses, p50_ms: percentile(latencies, 50), p99_ms: percentile(latencies, 99), max_ms: Math.round(Math.max(...latencies) * 10) / 10 };
}

/** The hostile client: `perSecond` bodies a second, each sent on time whether or not the last was answered, for `ms`. */
async function hostileClient(url, bodies, perSecond, ms) {
  const agent = new http.Agent({ keepAlive: true, localAddress: '127.0.0.2' });
  const statuses = {};
  const sent = [];
  const started = Date.now();
  for (let i = 0; Date.now() - started < ms; i++) {
    const due = started + (i * 1000) / perSecond;
    if (due > Date.now()) await sleep(due - Date.now());
    const hostile = bodies[i % bodies.length];
    sent.push(postFrom(agent, url, hostile.path, hostile.body).then(({ status }) => (statuses[status] = (statuses[status] ?? 0) + 1)));
  }
  await Promise.all(sent);
  agent.destroy();
  return { sent: sent.length, statuses };
}

async function main() {
  if (HAS_TASKSET) spawnSync('taskset', ['-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
  if (!args.includes('--no-build')) {
    for (const script of ['build', 'build:tools']) {
      const build = spawnSync('npm', ['run', script], { cwd: ROOT, stdio: 'inherit' });
      if (build.status !== 0) throw new Error(`npm run ${script} failed`);
    }
  }
  mkdirSync(RESULTS, { recursive: true });
  const logFile = join(RESULTS, SHORT ? 'short-app.log' : 'app.log');
  writeFileSync(logFile, '');
  const { startBlsStub } = require(join(ROOT, 'dist-tools/tools/bls-stub/bls-stub-server'));
  const stub = await startBlsStub({ keys: [BLS_KEY], slowMs: 3000 });
  const { startCensusStub } = require(join(ROOT, 'dist-tools/tools/census-stub/census-stub-server'));
  const census = await startCensusStub({ keys: [CENSUS_KEY], slowMs: 3000 });
  const redisPort = await freePort();
  let redis = await startRedis(redisPort);
  const Redis = require('ioredis');
  const database = await privateDatabase(POSTGRES_URL, `chaos_${process.pid}_${Date.now()}`);
  if (database.error) {
    if (process.env.CI === 'true') throw new Error(`CI=true but no PostgreSQL answers at ${new URL(POSTGRES_URL).host}: ${database.error}`);
    console.warn(`\n*** NO POSTGRESQL at ${new URL(POSTGRES_URL).host}: the PostgreSQL phases are SKIPPED (${database.error}) ***\n`);
  }
  const { TcpProxy } = require(join(ROOT, 'dist-tools/tools/tcp-proxy/tcp-proxy'));
  const proxy = database.url
    ? await TcpProxy.start({ host: new URL(database.url).hostname, port: Number(new URL(database.url).port || 5432) })
    : undefined;
  const env = {
    ...(database.url
      ? { DATABASE_URL: proxy.through(database.url), CONTRIBUTION_HASH_SECRET: HASH_SECRET, CONTRIBUTION_PUBLISH_INTERVAL: '0', DATABASE_TIMEOUT_MS: '1000' }
      : {}),
    REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    CACHE_PREFIX: PREFIX,
    DATA_SOURCE: 'blended',
    BLS_API_URL: stub.url,
    BLS_API_KEY: BLS_KEY,
    BLS_TIMEOUT_MS: '1000',
    BLS_COOLDOWN_MS: '2000',
    BLS_MAX_RETRIES: '1',
    CENSUS_API_URL: census.url,
    CENSUS_API_KEY: CENSUS_KEY,
    CENSUS_TIMEOUT_MS: '1000',
    CENSUS_COOLDOWN_MS: '2000',
    CENSUS_MAX_RETRIES: '1',
    CENSUS_DAILY_LIMIT: '100000',
    RATE_LIMIT_PER_MINUTE: '0',
    ADMIN_API_KEY: ADMIN_KEY,
  };
  const app = await startApp(env, logFile);
  const phases = [];
  const problems = [];

  async function phase(name, fault, { during, expectNon2xx } = {}) {
    const started = Date.now();
    const blsBefore = stub.requests.length;
    const censusBefore = census.requests.length;
    const running = load(app.url, PHASE_S);
    const extra = during ? await during() : {};
    const figures = await running.result;
    const row = {
      phase: name,
      fault,
      seconds: Math.round((Date.now() - started) / 100) / 10,
      ...figures,
      bls_requests: stub.requests.length - blsBefore,
      census_requests: census.requests.length - censusBefore,
      ...extra,
    };
    phases.push(row);
    const unexpected = Object.entries(figures.statuses)
      .filter(([status]) => !status.startsWith('2') && !(expectNon2xx ?? []).includes(Number(status)))
      .reduce((n, [, count]) => n + count, 0);
    if (unexpected > 0) problems.push(`${name}: ${unexpected} unexpected non-2xx answers ${JSON.stringify(figures.statuses)}`);
    if (figures.dropped > 0) problems.push(`${name}: ${figures.dropped} requests dropped ${JSON.stringify(figures.errors)}`);
    console.log(
      `${name.padEnd(24)} sent ${String(figures.sent).padStart(5)}  non-2xx ${String(figures.non_2xx).padStart(4)}  dropped ${figures.dropped}  p99 ${String(figures.p99_ms).padStart(5)} ms${extra.cache_hits_after_ms !== undefined ? `  cache hits again after ${extra.cache_hits_after_ms} ms` : ''}`,
    );
    return row;
  }

  console.log(
    `chaos: ${SHORT ? 'short' : 'full'} run, ${PHASE_S} s per phase at ${RATE} requests/s over ${CONNECTIONS} connections, taskset ${HAS_TASKSET ? 'yes' : 'no'}`,
  );
  let sigtermExit;
  try {
    // Warm the cache (BLS answering), then the phases.
    await load(app.url, Math.max(2, Math.round(PHASE_S / 2))).result;
    await phase('baseline', 'none');

    await phase('redis killed', 'SIGKILL redis-server, kept down for the phase', {
      during: async () => {
        await kill(redis);
        return {};
      },
    });

    await phase('redis restarted', 'redis-server back (empty)', {
      during: async () => {
        const t0 = Date.now();
        redis = await startRedis(redisPort);
        const back = Date.now();
        const before = await cacheFigures(app.url);
        let upAfter;
        let hitsAfter;
        while (Date.now() - t0 < PHASE_S * 1000 - 200) {
          const now = await cacheFigures(app.url);
          if (upAfter === undefined && now.status === 'up') upAfter = Date.now() - back;
          if (hitsAfter === undefined && now.hits > before.hits) hitsAfter = Date.now() - back;
          if (upAfter !== undefined && hitsAfter !== undefined) break;
          await sleep(50);
        }
        if (hitsAfter === undefined) problems.push('redis restarted: no cache hits after Redis returned');
        return { cache_up_after_ms: upAfter ?? null, cache_hits_after_ms: hitsAfter ?? null };
      },
    });

    await phase('redis slow', 'DEBUG SLEEP 0.3 back to back (Redis blocked)', {
      during: async () => {
        const client = new Redis(redisPort, '127.0.0.1', { commandTimeout: 5000 });
        client.on('error', () => undefined);
        const until = Date.now() + PHASE_S * 1000 - 500;
        let sleeps = 0;
        while (Date.now() < until) {
          await client.call('DEBUG', 'SLEEP', '0.3');
          sleeps++;
        }
        client.disconnect();
        return { debug_sleeps: sleeps };
      },
    });

    for (const fault of ['429', '500', 'html', 'slow', 'quota']) {
      await phase(`bls ${fault}`, `BLS stub answers ${fault}; cache cleared so BLS metrics need BLS`, {
        during: async () => {
          stub.setFault(fault);
          const cleared = await clearCache(app.url);
          await sleep(PHASE_S * 1000 - 300);
          return { clear_status: cleared };
        },
      });
      stub.setFault('none');
    }

    for (const fault of ['429', '500', 'html', 'slow', 'key']) {
      await phase(`census ${fault}`, `Census stub answers ${fault}; cache cleared so Census metrics need Census`, {
        during: async () => {
          census.setFault(fault);
          const cleared = await clearCache(app.url);
          await sleep(PHASE_S * 1000 - 300);
          return { clear_status: cleared };
        },
      });
      census.setFault('none');
    }
    // Census answers again: the next phase's Census calls refill the cache (after the cool-down).

    // PostgreSQL taken away and given back while a tenant writes contributions and the load reads.
    if (proxy) {
      const created = await fetch(`${app.url}${B}/admin/tenants`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'chaos' }),
      });
      const { api_key: key } = await created.json();
      const written = { ok: 0, next: 0 };
      for (const [name, fault, prepare] of [
        ['postgres down', 'PostgreSQL unreachable (proxy closed, connections dropped) while contributions are written', () => proxy.down()],
        ['postgres back', 'PostgreSQL reachable again', () => proxy.up()],
      ]) {
        const row = await phase(name, fault, {
          during: async () => {
            await prepare();
            const tally = await writeContributions(app.url, key, written.next, PHASE_S * 1000 - 300);
            written.ok += tally.ok;
            written.next = tally.next;
            return { writes_2xx: tally.ok, writes_503: tally.unavailable, writes_other: tally.other };
          },
        });
        if (row.writes_other > 0) problems.push(`${name}: contribution writes answered other than 2xx or 503 with Retry-After: ${row.writes_other}`);
        if (name === 'postgres down' && row.writes_503 === 0) problems.push('postgres down: no write answered 503 while PostgreSQL was away');
        if (name === 'postgres back' && (row.writes_503 > 0 || row.writes_2xx === 0))
          problems.push(`postgres back: ${row.writes_503} writes answered 503 and ${row.writes_2xx} 2xx once PostgreSQL was back`);
      }
      const stored = await database.count('select count(*) as n from business_months');
      phases[phases.length - 1].contributions_stored = stored;
      phases[phases.length - 1].contributions_answered_2xx = written.ok;
      if (stored !== written.ok) problems.push(`postgres: ${stored} contributions stored for ${written.ok} writes answered 2xx`);
      console.log(`${''.padEnd(24)} contributions answered 2xx ${written.ok}, stored ${stored}`);
    }

    // Kept answers: an instance of its own (own prefix, so its own quotas) whose BLS, Census and benchmark entries
    // live 2 s; warmed, then both upstreams fail past the TTLs: the answers must be the kept real ones, said stale.
    const kept = await startApp(
      { ...env, CACHE_PREFIX: 'chaos-kept:', CACHE_TTL_SECONDS: '2', BLS_CACHE_TTL_SECONDS: '2', CENSUS_CACHE_TTL_SECONDS: '2' },
      logFile,
    );
    try {
      const probe = json(`${B}/data`, {
        industry: 'construction',
        region: 'west',
        metrics: ['receipts_per_employee', 'average_annual_pay'],
        start_date: '2022-01-01',
        end_date: '2023-12-31',
      });
      const ask = async () => {
        const res = await fetch(`${kept.url}${probe.path}`, { method: 'POST', headers: probe.headers, body: probe.body });
        return { status: res.status, header: res.headers.get('x-data-warnings'), body: await res.json() };
      };
      const fresh = await ask();
      for (const r of REQUESTS) await fetch(`${kept.url}${r.path}`, { method: r.method, headers: r.headers, body: r.body });
      await sleep(2500);
      stub.setFault('500');
      census.setFault('500');
      const startedAt = Date.now();
      const running = load(kept.url, PHASE_S);
      const answer = await ask();
      const figures = await running.result;
      const served = Array.isArray(answer.body) ? answer.body.map((s) => s.source) : [];
      const saidStale = Array.isArray(answer.body) && answer.body.every((s) => /kept for such failures/.test(s.warnings.join(' ')));
      const sameValues =
        JSON.stringify(answer.body.map?.((s) => s.data_points.map((p) => p.value))) ===
        JSON.stringify(fresh.body.map?.((s) => s.data_points.map((p) => p.value)));
      phases.push({
        phase: 'kept answers',
        fault: 'BLS and Census answer 500 after their TTLs (instance with 2 s TTLs)',
        seconds: Math.round((Date.now() - startedAt) / 100) / 10,
        ...figures,
        kept_sources: served,
        kept_said_stale: saidStale,
        kept_same_values: sameValues,
      });
      if (fresh.status !== 200 || JSON.stringify(fresh.body.map?.((s) => s.source)) !== '["census","bls"]')
        problems.push(`kept answers: the warm-up answer was not real (${fresh.status} ${JSON.stringify(fresh.body).slice(0, 200)})`);
      if (answer.status !== 200 || JSON.stringify(served) !== '["census","bls"]' || !saidStale || !sameValues || !answer.header)
        problems.push(`kept answers: expected the kept census and bls answers, said stale; got ${answer.status} ${JSON.stringify(served)} stale=${saidStale} same=${sameValues} header=${answer.header}`);
      const unexpected = Object.entries(figures.statuses).filter(([st]) => !st.startsWith('2')).reduce((n, [, c]) => n + c, 0);
      if (unexpected > 0) problems.push(`kept answers: ${unexpected} non-2xx answers`);
      if (figures.dropped > 0) problems.push(`kept answers: ${figures.dropped} requests dropped`);
      console.log(
        `${'kept answers'.padEnd(24)} sent ${String(figures.sent).padStart(5)}  non-2xx ${String(figures.non_2xx).padStart(4)}  dropped ${figures.dropped}  p99 ${String(figures.p99_ms).padStart(5)} ms  sources ${served.join('+')} stale ${saidStale}`,
      );
    } finally {
      stub.setFault('none');
      census.setFault('none');
      await kill(kept.child, 'SIGTERM');
    }

    // Hostile bodies: an instance as deployed by default (in-process cache, synthetic data, the default rate limit of
    // 1,200 a minute per address). An ordinary client compares 19 times a second from one address, in turns of 3 s alone
    // (the control) and 3 s while another address sends the costliest bodies the service lets through or refuses, up to
    // 64 KiB each, 20 a second (the limit's pace): the review's thousands of unknown keys among them. Its p99 under
    // attack must stay under 50 ms (or, on a machine too busy for that even alone, under twice its p99 alone).
    {
      const deployed = await startApp({}, logFile);
      try {
        const { hostileBodies } = require(join(ROOT, 'dist-tools/tools/hostile-bodies/hostile-bodies'));
        const bodies = hostileBodies(64 * 1024);
        // Rounds of 3 s alone and 3 s under attack, so that both see the machine as it is at the time.
        const rounds = SHORT ? 4 : 10;
        const seconds = rounds * 6;
        const alone = [];
        const under = [];
        const hostile = { sent: 0, statuses: {} };
        for (let round = 0; round < rounds; round++) {
          alone.push(await ordinaryClient(deployed.url, 19, 3000));
          const [attackedRound, hostileRound] = await Promise.all([
            ordinaryClient(deployed.url, 19, 3000),
            hostileClient(deployed.url, bodies, 20, 3000),
          ]);
          under.push(attackedRound);
          hostile.sent += hostileRound.sent;
          for (const [status, n] of Object.entries(hostileRound.statuses)) hostile.statuses[status] = (hostile.statuses[status] ?? 0) + n;
        }
        const control = mergedClients(alone);
        const attacked = mergedClients(under);
        const bound = Math.max(50, 2 * control.p99_ms);
        phases.push({
          phase: 'hostile bodies',
          fault: `20 hostile bodies a second (${bodies.map((b) => b.shape).join(', ')}; up to 64 KiB) from one address beside an ordinary client`,
          seconds,
          sent: control.requests + attacked.requests + hostile.sent,
          statuses: attacked.statuses,
          non_2xx: Object.entries(attacked.statuses).filter(([st]) => !st.startsWith('2')).reduce((n, [, c]) => n + c, 0),
          dropped: 0,
          p50_ms: attacked.p50_ms,
          p99_ms: attacked.p99_ms,
          max_ms: attacked.max_ms,
          control_p50_ms: control.p50_ms,
          control_p99_ms: control.p99_ms,
          hostile_sent: hostile.sent,
          hostile_statuses: hostile.statuses,
        });
        if (attacked.p99_ms >= bound)
          problems.push(`hostile bodies: the ordinary client's p99 was ${attacked.p99_ms} ms under attack (alone ${control.p99_ms} ms; bound ${bound} ms)`);
        const ordinaryNon2xx = Object.keys({ ...control.statuses, ...attacked.statuses }).filter((st) => !st.startsWith('2'));
        if (ordinaryNon2xx.length > 0)
          problems.push(`hostile bodies: the ordinary client got ${JSON.stringify({ control: control.statuses, attacked: attacked.statuses })}`);
        const hostileOther = Object.keys(hostile.statuses).filter((st) => !['400', '413', '429'].includes(st));
        if (hostileOther.length > 0) problems.push(`hostile bodies: hostile bodies answered ${JSON.stringify(hostile.statuses)}`);
        console.log(
          `${'hostile bodies'.padEnd(24)} ordinary p99 ${attacked.p99_ms} ms (alone ${control.p99_ms} ms)  hostile ${hostile.sent} sent ${JSON.stringify(hostile.statuses)}`,
        );
      } finally {
        await kill(deployed.child, 'SIGTERM');
      }
    }

    // The rate limiter: a second instance on the same Redis with a low limit; its 429s are expected.
    const limited = await startApp({ ...env, RATE_LIMIT_PER_MINUTE: String(Math.round(RATE * PHASE_S * 0.5)) }, logFile);
    try {
      const running = load(limited.url, PHASE_S);
      const figures = await running.result;
      const limit = Math.round(RATE * PHASE_S * 0.5);
      phases.push({ phase: 'rate limit', fault: `second instance, RATE_LIMIT_PER_MINUTE=${limit}`, seconds: PHASE_S, ...figures });
      // (its BLS calls are not counted: the two instances share the stub)
      const other = Object.entries(figures.statuses)
        .filter(([s]) => !s.startsWith('2') && s !== '429')
        .reduce((n, [, c]) => n + c, 0);
      if (other > 0) problems.push(`rate limit: ${other} non-2xx answers other than 429`);
      if (!figures.statuses['429']) problems.push('rate limit: no 429 although the limit was passed');
      if (figures.dropped > 0) problems.push(`rate limit: ${figures.dropped} requests dropped`);
      console.log(
        `${'rate limit'.padEnd(24)} sent ${String(figures.sent).padStart(5)}  non-2xx ${String(figures.non_2xx).padStart(4)} (429: ${figures.statuses['429'] ?? 0})  dropped ${figures.dropped}  p99 ${String(figures.p99_ms).padStart(5)} ms`,
      );
    } finally {
      await kill(limited.child, 'SIGTERM');
    }

    await phase('sigterm', 'SIGTERM to the service 1 s into the load', {
      during: async () => {
        await sleep(1000);
        const t0 = Date.now();
        app.child.kill('SIGTERM');
        const exit = await app.exited;
        sigtermExit = exit;
        if (exit.code !== 0) problems.push(`sigterm: exit ${JSON.stringify(exit)}, expected code 0`);
        return { exit_code: exit.code, exit_signal: exit.signal, exit_after_ms: Date.now() - t0 };
      },
    });
  } finally {
    if (!sigtermExit) await kill(app.child);
    await kill(redis);
    await stub.close();
    await census.close();
    await proxy?.down();
    await database.drop?.();
  }
  // Whatever failed, the keys never reach the log.
  const logged = require('node:fs').readFileSync(logFile, 'utf8');
  for (const [name, key] of [['BLS', BLS_KEY], ['Census', CENSUS_KEY], ['admin', ADMIN_KEY], ['hashing secret', HASH_SECRET]])
    if (logged.includes(key)) problems.push(`the ${name} key appears in ${logFile}`);

  const result = {
    date: new Date().toISOString(),
    short: SHORT,
    phase_seconds: PHASE_S,
    rate_per_second: RATE,
    connections: CONNECTIONS,
    taskset: HAS_TASKSET,
    node: process.version,
    phases,
    problems,
  };
  writeFileSync(join(RESULTS, SHORT ? 'short.json' : 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log('\n| phase | fault | sent | non-2xx | dropped | p50 ms | p99 ms | BLS calls | Census calls | recovery |');
  console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const p of phases) {
    const recovery =
      p.cache_hits_after_ms !== undefined
        ? `cache up after ${p.cache_up_after_ms} ms, hits after ${p.cache_hits_after_ms} ms`
        : p.exit_code !== undefined
          ? `exit ${p.exit_code} after ${p.exit_after_ms} ms`
          : p.control_p99_ms !== undefined
            ? `ordinary client p99 ${p.p99_ms} ms beside ${p.hostile_sent} hostile bodies (${JSON.stringify(p.hostile_statuses)}); alone ${p.control_p99_ms} ms`
            : p.writes_2xx !== undefined
            ? `contribution writes ${p.writes_2xx} 2xx, ${p.writes_503} 503${p.contributions_stored !== undefined ? `; stored ${p.contributions_stored} of ${p.contributions_answered_2xx} answered 2xx` : ''}`
            : '';
    const non2xx = p.phase === 'rate limit' ? `${p.non_2xx} (all 429)` : p.non_2xx;
    console.log(
      `| ${p.phase} | ${p.fault} | ${p.sent} | ${non2xx} | ${p.dropped} | ${p.p50_ms} | ${p.p99_ms} | ${p.bls_requests ?? ''} | ${p.census_requests ?? ''} | ${recovery} |`,
    );
  }
  if (problems.length > 0) throw new Error(`chaos: promises broken:\n${problems.join('\n')}`);
  console.log('\nchaos: every phase kept its promises');
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
