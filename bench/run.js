'use strict';
/**
 * npm run bench [-- --smoke] [-- --duration S] [-- --reps N] [-- --no-build] [-- --quiet] [-- --autocannon]
 *
 * Builds the service, then in one run on this machine: starts it (in-process cache, then Redis cache on a private
 * redis-server) and a bare-Fastify baseline (bench/baseline-server.js) answering the same routes with bodies of the
 * same size, and the design's floor (bench/nest-floor-server.js: Nest + class-validator on the service's DTOs,
 * answering the same bodies, for the warm in-process scenarios it can answer); pins servers to CPU 0 and this load generator to CPU 1 where taskset exists; warms up; drives
 * wrk where installed, else autocannon (100 connections, fixed duration, repeated and interleaved with the baseline, median reported) for
 * every scenario with a warm and a cold cache; measures single-connection latency and p99 at a fixed 1,000
 * requests/s; times the generator on the full synthetic dataset and its size in memory and in Redis; reads the
 * app's RSS. Prints a table and writes JSON to bench/results/. Timings are never asserted: --smoke (CI) only proves
 * the harness runs.
 */
const { sleep, HAS_TASKSET, freePort, cpuTimes, answers, onServerCpu, dataDir } = require('./lib');
const { HAS_WRK, runWrk } = require('./wrk');
const autocannon = require('autocannon');
const { spawn, spawnSync } = require('node:child_process');
const { closeSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
const RESULTS = join(__dirname, 'results');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const SMOKE = args.includes('--smoke');
/**
 * `deployed` (default): the service as users run it: LOG_LEVEL unset (info, a line per request) with the logs going to
 * a file, the rate limiter on with a limit the run never reaches, metrics on. `quiet`: the configuration earlier
 * issues measured (LOG_LEVEL=warn, RATE_LIMIT_PER_MINUTE=0), for a second column.
 */
const CONFIG = args.includes('--quiet') ? 'quiet' : 'deployed';
const LOAD_GENERATOR = HAS_WRK && !args.includes('--autocannon') ? 'wrk' : 'autocannon';
const DURATION = option('--duration', SMOKE ? 1 : 5);
const REPS = option('--reps', SMOKE ? 1 : 3);
const WARMUP = SMOKE ? 1 : 2;
const CONNECTIONS = 100;
const ADMIN_KEY = 'bench-admin-key-0123456789abcdef';
const B = '/api/benchmarks';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];


/** Starts a server process on CPU 0 (where taskset exists) and waits until `ready` answers; stdout to `logFile`. */
async function startServer(command, commandArgs, env, readyUrl, logFile) {
  const out = logFile ? openSync(logFile, 'w') : 'ignore';
  const child = spawn(...onServerCpu(command, commandArgs), { cwd: ROOT, env: { PATH: process.env.PATH, DATA_DIR: dataDir(), ...env }, stdio: ['ignore', out, 'pipe'] });
  if (logFile) closeSync(out);
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  if (await answers(readyUrl)) return child;
  child.kill('SIGKILL');
  throw new Error(`${command} did not start: ${stderr}`);
}

function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}

function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024);
}

async function startRedis() {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  const Redis = require('ioredis');
  const client = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0 });
  for (let i = 0; i < 100; i++) {
    try {
      await client.connect();
      break;
    } catch {
      await sleep(50);
    }
  }
  return { url: `redis://127.0.0.1:${port}`, client, stop: async () => (client.disconnect(), stop(child)) };
}

/** CPU time (user + system, microseconds) a process has used; undefined where /proc is missing. */
function cpuMicros(pid) {
  const times = cpuTimes(pid);
  return times && times.user + times.system;
}

/**
 * One load run: requests/s, p50 and p99 latency (ms), and when `pid` is given the server's CPU time per request
 * (microseconds): unlike requests/s, it does not depend on the load generator keeping up. Throughput runs use wrk
 * where it is installed (it saturates the baseline); a fixed rate (`overallRate`) and the single-connection latency
 * use autocannon.
 */
async function load(url, requests, { connections = CONNECTIONS, duration = DURATION, overallRate, pid } = {}) {
  const cpuBefore = pid && cpuMicros(pid);
  let result;
  if (LOAD_GENERATOR === 'wrk' && overallRate === undefined && connections > 1) {
    result = await runWrk(url, requests, { connections, duration });
  } else {
    const r = await autocannon({ url, requests, connections, duration, overallRate, pipelining: 1 });
    result = { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.timeouts + r.non2xx, total: r.requests.total };
  }
  const cpuAfter = pid && cpuMicros(pid);
  const cpuUs = cpuBefore !== undefined && cpuAfter !== undefined && result.total > 0 ? (cpuAfter - cpuBefore) / result.total : undefined;
  return { ...result, cpuUs };
}

const json = (path, body) => ({
  method: 'POST',
  path,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});
const RETAIL_ALL = {
  revenue_per_employee: 180000,
  profit_margin: 0.1,
  gross_margin: 0.3,
  inventory_turnover: 8,
  customer_acquisition_cost: 150,
  customer_retention_rate: 0.6,
};
const SCENARIOS = [
  { name: 'GET /industries', key: 'GET /api/benchmarks/industries', request: { method: 'GET', path: `${B}/industries` }, cache: false, floor: true },
  {
    name: 'POST /data 1 metric x 12 months',
    key: 'POST /api/benchmarks/data one',
    floor: true,
    request: json(`${B}/data`, { industry: 'retail', metrics: ['revenue_per_employee'], start_date: '2024-01-01', end_date: '2024-12-31' }),
    cache: true,
  },
  {
    name: 'POST /data all metrics x 24 months',
    key: 'POST /api/benchmarks/data all',
    request: json(`${B}/data`, { industry: 'retail', start_date: '2023-01-01', end_date: '2024-12-31' }),
    cache: true,
  },
  {
    name: 'POST /compare 2 metrics',
    key: 'POST /api/benchmarks/compare two',
    floor: true,
    request: json(`${B}/compare`, {
      industry: 'retail',
      period: '2024-12-01',
      user_values: { revenue_per_employee: 180000, profit_margin: 0.1 },
    }),
    cache: true,
  },
  {
    name: 'POST /compare all metrics',
    key: 'POST /api/benchmarks/compare all',
    request: json(`${B}/compare`, { industry: 'retail', period: '2024-12-01', user_values: RETAIL_ALL }),
    cache: true,
  },
];
const CLEAR = { method: 'DELETE', path: `${B}/cache`, headers: { authorization: `Bearer ${ADMIN_KEY}` } };

/** The service's answer to every scenario, for the baseline to send back (same sizes). */
async function captureBodies(url) {
  const bodies = {};
  for (const s of [...SCENARIOS, { key: 'DELETE /api/benchmarks/cache', request: CLEAR }]) {
    const res = await fetch(url + s.request.path, {
      method: s.request.method,
      headers: s.request.headers,
      body: s.request.body,
    });
    bodies[s.key] = await res.text();
  }
  return bodies;
}

/** Full synthetic dataset: generation time, and its size as the cache stores it (JSON, and in Redis). */
async function generatorFigures(redis) {
  const { SyntheticGenerator } = require(join(ROOT, 'dist/data-sources/synthetic/synthetic-generator'));
  const { INDUSTRIES, industryMetrics } = require(join(ROOT, 'dist/domain/catalog'));
  const { COMPANY_SIZES, REGIONS } = require(join(ROOT, 'dist/domain/enums'));
  const { monthOf } = require(join(ROOT, 'dist/domain/months'));
  const { encodeYearBlock } = require(join(ROOT, 'dist/benchmarks/year-block.codec'));
  const generator = new SyntheticGenerator(20240101);
  const cells = [];
  for (const industry of INDUSTRIES)
    for (const companySize of COMPANY_SIZES)
      for (const region of REGIONS) cells.push({ industry: industry.key, companySize, region, metrics: industryMetrics(industry) });
  const generate = () => {
    const out = [];
    for (const cell of cells)
      for (const metric of cell.metrics) out.push(generator.series(cell, metric, monthOf(2024, 1), monthOf(2024, 12)));
    return out;
  };
  generate(); // warm the JIT
  const started = process.hrtime.bigint();
  const series = generate();
  const generationMs = Number(process.hrtime.bigint() - started) / 1e6;
  const entries = series.map((s) => [`bench:${s.industry}:${s.companySize}:${s.region}:${s.metricName}:2024`, JSON.stringify(encodeYearBlock({ ...s, notes: [] }))]);
  const jsonBytes = entries.reduce((sum, [, v]) => sum + Buffer.byteLength(v), 0);
  const usedMemory = async () => Number(/used_memory:(\d+)/.exec(await redis.client.info('memory'))[1]);
  const before = await usedMemory();
  const pipeline = redis.client.pipeline();
  for (const [k, v] of entries) pipeline.set(k, v, 'EX', 600);
  await pipeline.exec();
  const redisBytes = (await usedMemory()) - before;
  return {
    series: series.length,
    points: series.reduce((n, s) => n + s.points.length, 0),
    generation_ms: Math.round(generationMs * 10) / 10,
    json_mb: Math.round((jsonBytes / 1048576) * 100) / 100,
    redis_mb: Math.round((redisBytes / 1048576) * 100) / 100,
  };
}

async function measureMode(mode, redis, baselineUrl, baselinePid, floor) {
  const port = await freePort();
  const env = {
    PORT: String(port),
    HOST: '127.0.0.1',
    ...(CONFIG === 'quiet' ? { LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '0' } : { RATE_LIMIT_PER_MINUTE: '1000000' }),
    ADMIN_API_KEY: ADMIN_KEY,
    ...(mode === 'redis' ? { REDIS_URL: redis.url, CACHE_PREFIX: 'bench:' } : {}),
  };
  const url = `http://127.0.0.1:${port}`;
  const logFile = join(RESULTS, `.app-${mode}.log`);
  const app = await startServer(process.execPath, ['dist/main.js'], env, `${url}${B}/health`, logFile);
  const rows = [];
  try {
    for (const scenario of SCENARIOS) {
      for (const cold of scenario.cache ? [false, true] : [false]) {
        if (mode === 'redis' && !scenario.cache) continue;
        // Cold: every request follows a clear of the cache, so each one recomputes (reported per pair).
        const requests = cold ? [CLEAR, scenario.request] : [scenario.request];
        const name = `${scenario.name}${scenario.cache ? (cold ? ' (cold)' : ' (warm)') : ''}`;
        // The Nest floor answers the warm scenarios of the in-process run (it has no cache to clear).
        const withFloor = floor && mode === 'memory' && !cold && scenario.floor;
        await load(url, requests, { duration: WARMUP });
        await load(baselineUrl, requests, { duration: WARMUP });
        if (withFloor) await load(floor.url, requests, { duration: WARMUP });
        const appRuns = [];
        const baseRuns = [];
        const floorRuns = [];
        for (let i = 0; i < REPS; i++) {
          appRuns.push(await load(url, requests, { pid: app.pid }));
          baseRuns.push(await load(baselineUrl, requests, { pid: baselinePid }));
          if (withFloor) floorRuns.push(await load(floor.url, requests, { pid: floor.pid }));
        }
        const pairs = requests.length;
        const single = await load(url, requests, { connections: 1 });
        const singleBase = await load(baselineUrl, requests, { connections: 1 });
        const fixed = cold ? undefined : await load(url, requests, { connections: 10, overallRate: 1000 });
        const row = {
          mode,
          scenario: name,
          app_rps: Math.round(median(appRuns.map((r) => r.rps)) / pairs),
          baseline_rps: Math.round(median(baseRuns.map((r) => r.rps)) / pairs),
          app_p50_ms: median(appRuns.map((r) => r.p50)),
          app_p99_ms: median(appRuns.map((r) => r.p99)),
          single_p50_ms: single.p50,
          single_p99_ms: single.p99,
          baseline_single_p99_ms: singleBase.p99,
          p99_at_1000_rps_ms: fixed ? fixed.p99 : null,
          errors: appRuns.reduce((n, r) => n + r.errors, 0) + single.errors + (fixed ? fixed.errors : 0),
        };
        row.ratio = Math.round((row.app_rps / row.baseline_rps) * 100) / 100;
        // CPU per request, per pair like req/s; the ratio baseline / app reads like the req/s ratio (1 = as cheap).
        const cpu = (runs) => (runs.every((r) => r.cpuUs !== undefined) ? Math.round(median(runs.map((r) => r.cpuUs)) * pairs) : null);
        row.app_cpu_us = cpu(appRuns);
        row.baseline_cpu_us = cpu(baseRuns);
        row.cpu_ratio = row.app_cpu_us && row.baseline_cpu_us ? Math.round((row.baseline_cpu_us / row.app_cpu_us) * 100) / 100 : null;
        if (withFloor) {
          // The design's floor (bench/nest-floor-server.js): Nest + class-validator with no work of the service's own.
          row.floor_rps = Math.round(median(floorRuns.map((r) => r.rps)));
          row.floor_ratio = Math.round((row.floor_rps / row.baseline_rps) * 100) / 100;
          row.floor_cpu_us = cpu(floorRuns);
          row.floor_cpu_ratio = row.floor_cpu_us && row.baseline_cpu_us ? Math.round((row.baseline_cpu_us / row.floor_cpu_us) * 100) / 100 : null;
        }
        rows.push(row);
        console.log(
          `${mode.padEnd(6)} ${name.padEnd(44)} app ${String(row.app_rps).padStart(6)}/s  base ${String(row.baseline_rps).padStart(6)}/s  ratio ${row.ratio}  cpu/req ${row.app_cpu_us} vs ${row.baseline_cpu_us} us (${row.cpu_ratio})  p99 ${row.app_p99_ms} ms  1-conn p99 ${row.single_p99_ms} ms${fixed ? `  p99@1000/s ${fixed.p99} ms` : ''}${withFloor ? `  nest floor ${row.floor_rps}/s ratio ${row.floor_ratio} cpu/req ${row.floor_cpu_us} us (${row.floor_cpu_ratio})` : ''}`,
        );
      }
    }
    return { rows, rss_mb: rssMb(app.pid), logFile };
  } finally {
    await stop(app);
  }
}

async function main() {
  if (HAS_TASKSET) spawnSync('taskset', ['-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
  if (!args.includes('--no-build')) {
    const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('build failed');
  }
  const redis = await startRedis();
  const bodiesFile = join(RESULTS, '.bodies.tmp');
  mkdirSync(RESULTS, { recursive: true });
  let baseline;
  let floor;
  try {
    // Bodies from a throwaway instance, so the baseline sends exactly what the service sends.
    const probePort = await freePort();
    const probe = await startServer(
      process.execPath,
      ['dist/main.js'],
      { PORT: String(probePort), HOST: '127.0.0.1', LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '0', ADMIN_API_KEY: ADMIN_KEY },
      `http://127.0.0.1:${probePort}${B}/health`,
    );
    writeFileSync(bodiesFile, JSON.stringify(await captureBodies(`http://127.0.0.1:${probePort}`)));
    await stop(probe);
    const basePort = await freePort();
    const baselineUrl = `http://127.0.0.1:${basePort}`;
    baseline = await startServer(process.execPath, ['bench/baseline-server.js', String(basePort), bodiesFile], {}, `${baselineUrl}${B}/industries`);
    const floorPort = await freePort();
    const floorUrl = `http://127.0.0.1:${floorPort}`;
    floor = await startServer(process.execPath, ['bench/nest-floor-server.js', String(floorPort), bodiesFile], {}, `${floorUrl}${B}/industries`);

    console.log(
      `benchmark: ${SMOKE ? 'smoke' : 'full'} run, ${CONFIG} configuration, ${LOAD_GENERATOR}, ${DURATION} s x ${REPS} per scenario, ${CONNECTIONS} connections, taskset ${HAS_TASKSET ? 'yes' : 'no'}`,
    );
    const memory = await measureMode('memory', redis, baselineUrl, baseline.pid, { url: floorUrl, pid: floor.pid });
    const withRedis = await measureMode('redis', redis, baselineUrl, baseline.pid);
    const generator = await generatorFigures(redis);
    const result = {
      date: new Date().toISOString(),
      smoke: SMOKE,
      duration_s: DURATION,
      reps: REPS,
      connections: CONNECTIONS,
      taskset: HAS_TASKSET,
      node: process.version,
      config: CONFIG,
      load_generator: LOAD_GENERATOR,
      log_mb: {
        memory: Math.round((statSync(memory.logFile).size / 1048576) * 10) / 10,
        redis: Math.round((statSync(withRedis.logFile).size / 1048576) * 10) / 10,
      },
      rows: [...memory.rows, ...withRedis.rows],
      rss_mb: { memory: memory.rss_mb, redis: withRedis.rss_mb },
      generator,
    };
    console.log(
      `generator: ${generator.series} series, ${generator.points} points in ${generator.generation_ms} ms; ${generator.json_mb} MB as JSON, ${generator.redis_mb} MB in Redis`,
    );
    console.log(`app RSS after the run: ${memory.rss_mb} MB (memory cache), ${withRedis.rss_mb} MB (Redis cache)`);
    const errors = result.rows.reduce((n, r) => n + r.errors, 0);
    console.log(`app logs: ${result.log_mb.memory} MB (memory cache), ${result.log_mb.redis} MB (Redis cache)`);
    if (CONFIG === 'deployed' && result.log_mb.memory === 0) throw new Error('the deployed configuration wrote no request log');
    writeFileSync(join(RESULTS, SMOKE ? 'smoke.json' : CONFIG === 'quiet' ? 'latest-quiet.json' : 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
    if (errors > 0) throw new Error(`${errors} requests failed or answered non-2xx during the benchmark`);
  } finally {
    if (baseline) await stop(baseline);
    if (floor) await stop(floor);
    await redis.stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
