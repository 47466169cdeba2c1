'use strict';
/**
 * A/B of two builds, interleaved so both see the same machine: CPU time per request of each, per scenario.
 *
 *   npm run bench:ab -- .ab/before/dist .ab/after/dist [--requests N] [--rounds N] [--redis] [--env NAME=VALUE ...]
 *
 * Each directory holds a build, made with `npx tsc -p tsconfig.build.json --outDir .ab/<name>/dist` and
 * `cp package.json .ab/<name>/` (the app reads ../package.json; .ab is git-ignored): its main.js is started with the
 * in-process cache (with --redis, both on one private redis-server under their own prefixes), pinned to CPU 0 where
 * taskset exists. Round by round, each scenario of bench/cpu-per-request.js is sent N requests on 50 connections, to
 * A then to B; the medians of user + system microseconds per request are printed with B / A. Use it to decide
 * whether a change pays: on a shared machine, runs minutes apart differ more than most changes do.
 */
const autocannon = require('autocannon');
const { spawn, spawnSync } = require('node:child_process');
const { join, resolve } = require('node:path');
const { sleep, HAS_TASKSET, freePort, cpuTimes, answers, onServerCpu, envArgs, dataDir } = require('./lib');
const { SCENARIOS } = require('./cpu-per-request');

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const [dirA, dirB] = args.filter((a, i) => !a.startsWith('--') && !['--requests', '--rounds', '--env'].includes(args[i - 1]));
/** Settings over the defaults (LOG_LEVEL=warn, the rate limiter off), e.g. the deployed ones: LOG_LEVEL=info RATE_LIMIT_PER_MINUTE=1000000. */
const ENV = envArgs(args);
const REQUESTS = option('--requests', 20000);
const ROUNDS = option('--rounds', 5);
const WITH_REDIS = args.includes('--redis');

async function start(dir, redisUrl, prefix) {
  const port = await freePort();
  const env = { PATH: process.env.PATH, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '0', DATA_DIR: dataDir(), ...ENV };
  if (redisUrl) Object.assign(env, { REDIS_URL: redisUrl, CACHE_PREFIX: prefix });
  const main = join(resolve(dir), 'main.js');
  const child = spawn(...onServerCpu(process.execPath, [main]), { cwd: join(__dirname, '..'), env, stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  if (await answers(`${url}/api/benchmarks/health`)) return { child, url };
  child.kill('SIGKILL');
  throw new Error(`${main} did not start`);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function cpuPerRequest(server, request, amount) {
  const before = cpuTimes(server.child.pid);
  await autocannon({ url: server.url, requests: [request], connections: 50, amount });
  const after = cpuTimes(server.child.pid);
  return (after.user + after.system - before.user - before.system) / amount;
}

async function main() {
  if (!dirA || !dirB) throw new Error('usage: node bench/ab.js <dir-a> <dir-b> [--requests N] [--rounds N]');
  if (HAS_TASKSET) spawnSync('taskset', ['-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
  let redis;
  let redisUrl;
  if (WITH_REDIS) {
    const redisPort = await freePort();
    redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    redisUrl = `redis://127.0.0.1:${redisPort}`;
    await sleep(300);
  }
  const a = await start(dirA, redisUrl, 'ab-a:');
  const b = await start(dirB, redisUrl, 'ab-b:');
  try {
    const figures = {};
    for (const [name, request] of Object.entries(SCENARIOS)) {
      await cpuPerRequest(a, request, 5000);
      await cpuPerRequest(b, request, 5000);
      figures[name] = { a: [], b: [] };
    }
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, request] of Object.entries(SCENARIOS)) {
        figures[name].a.push(await cpuPerRequest(a, request, REQUESTS));
        figures[name].b.push(await cpuPerRequest(b, request, REQUESTS));
      }
    }
    console.log(`A = ${dirA}, B = ${dirB}${WITH_REDIS ? ' (Redis cache, a private redis-server)' : ''}: median user + system us/request over ${ROUNDS} interleaved rounds of ${REQUESTS}`);
    for (const [name, { a: xa, b: xb }] of Object.entries(figures)) {
      const ma = median(xa);
      const mb = median(xb);
      console.log(`${name.padEnd(34)} A ${ma.toFixed(0).padStart(4)}  B ${mb.toFixed(0).padStart(4)}  B/A ${(mb / ma).toFixed(2)}   (A ${xa.map((x) => x.toFixed(0)).join(' ')}; B ${xb.map((x) => x.toFixed(0)).join(' ')})`);
    }
  } finally {
    a.child.kill();
    b.child.kill();
    redis?.kill();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
