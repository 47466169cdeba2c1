'use strict';
/**
 * CPU time per request of the built service, for quick A/B comparisons of a change (build, run, change, build, run):
 *
 *   node bench/cpu-per-request.js [--redis] [--requests N] [--runs N] [--env NAME=VALUE ...]
 *
 * Starts dist/main.js (in-process cache, or with --redis a private redis-server) pinned to CPU 0 where taskset
 * exists, warms up, then for GET /industries, warm POST /compare (2 metrics) and warm POST /data (1 metric x 12
 * months; all metrics x 24 months) sends N requests on 50 connections from this process (CPU 1) and prints the
 * server's user and system CPU microseconds per request (from /proc), once per run. The service runs with
 * LOG_LEVEL=warn and the rate limiter off unless `--env` says otherwise (`--env LOG_LEVEL=info --env
 * RATE_LIMIT_PER_MINUTE=1000000` is the deployed configuration); its stdout goes to a file, as a deployment's would. CPU per request does not depend on the load generator keeping
 * up, so it is steadier than requests/s on a shared machine; `npm run bench` reports it beside requests/s.
 */
const autocannon = require('autocannon');
const { sleep, HAS_TASKSET, freePort, cpuTimes, answers, onServerCpu, envArgs, dataDir } = require('./lib');
const { spawn, spawnSync } = require('node:child_process');
const { closeSync, mkdtempSync, openSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const REQUESTS = option('--requests', 30000);
const RUNS = option('--runs', 3);
const WITH_REDIS = args.includes('--redis');
const ENV = envArgs(args);



const json = (path, body) => ({ method: 'POST', path, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const SCENARIOS = {
  'GET /industries': { method: 'GET', path: '/api/benchmarks/industries' },
  'POST /compare 2 metrics': json('/api/benchmarks/compare', {
    industry: 'retail',
    period: '2024-12-01',
    user_values: { revenue_per_employee: 180000, profit_margin: 0.1 },
  }),
  'POST /data 1 metric x 12 months': json('/api/benchmarks/data', {
    industry: 'retail',
    metrics: ['revenue_per_employee'],
    start_date: '2024-01-01',
    end_date: '2024-12-31',
  }),
  'POST /data all metrics x 24 months': json('/api/benchmarks/data', {
    industry: 'retail',
    start_date: '2023-01-01',
    end_date: '2024-12-31',
  }),
};

async function main() {
  if (HAS_TASKSET) spawnSync('taskset', ['-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
  const children = [];
  try {
    const env = { PATH: process.env.PATH, HOST: '127.0.0.1', LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '0', ...ENV };
    if (WITH_REDIS) {
      const redisPort = await freePort();
      children.push(spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' }));
      Object.assign(env, { REDIS_URL: `redis://127.0.0.1:${redisPort}`, CACHE_PREFIX: 'cpu-per-request:' });
      await sleep(300);
    }
    const port = await freePort();
    env.PORT = String(port);
    env.DATA_DIR = dataDir();
    const log = openSync(join(mkdtempSync(join(tmpdir(), 'cpu-per-request-')), 'app.log'), 'w');
    const app = spawn(...onServerCpu(process.execPath, ['dist/main.js']), { cwd: ROOT, env, stdio: ['ignore', log, 'ignore'] });
    closeSync(log);
    children.push(app);
    const url = `http://127.0.0.1:${port}`;
    if (!(await answers(`${url}/api/benchmarks/health`))) throw new Error('the service did not start');
    console.log(
      `cpu per request: ${WITH_REDIS ? 'Redis' : 'in-process'} cache, LOG_LEVEL=${env.LOG_LEVEL} RATE_LIMIT_PER_MINUTE=${env.RATE_LIMIT_PER_MINUTE}, ${REQUESTS} requests x ${RUNS} runs, taskset ${HAS_TASKSET ? 'yes' : 'no'}`,
    );
    for (const [name, request] of Object.entries(SCENARIOS)) {
      await autocannon({ url, requests: [request], connections: 50, amount: 5000 });
      const runs = [];
      for (let i = 0; i < RUNS; i++) {
        const before = cpuTimes(app.pid);
        const result = await autocannon({ url, requests: [request], connections: 50, amount: REQUESTS });
        const after = cpuTimes(app.pid);
        if (result.non2xx + result.errors > 0) throw new Error(`${name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
        const n = result.requests.total;
        runs.push(`${Math.round((after.user - before.user) / n)} + ${Math.round((after.system - before.system) / n)}`);
      }
      console.log(`${name.padEnd(34)} user + system us/request: ${runs.join(', ')}`);
    }
  } finally {
    for (const child of children) child.kill('SIGTERM');
  }
}

module.exports = { SCENARIOS };

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
