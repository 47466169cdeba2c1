'use strict';
/**
 * npm run soak [-- --minutes M] [-- --rate R] [-- --no-build]
 *
 * A long steady load on the built service with contributed data on PostgreSQL (a private database of the machine's
 * server, CHAOS_POSTGRES_URL), pinned to CPU 0 where taskset exists: autocannon at R requests a second (default 200)
 * for M minutes (default 10) over comparisons, series and industry lookups, while a tenant writes a contribution
 * every 50 ms and erases one every 2 s, and a publication is asked for every minute. The rate limiter is off (one
 * load generator, one address). Samples the service's RSS every 10 s. Judged: no non-2xx answer (a 409 to a
 * publication asked while one runs is expected), no dropped request, every write and erasure 2xx, every publication
 * published, and RSS at the end within 100 MB of its value after the first minute. Prints a table and writes
 * chaos/results/soak.json.
 */
const autocannon = require('autocannon');
const { spawn, spawnSync } = require('node:child_process');
const { mkdirSync, readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { sleep, HAS_TASKSET, freePort, answers, onServerCpu, dataDir, privateDatabase } = require('../bench/lib');

const ROOT = join(__dirname, '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const MINUTES = option('--minutes', 10);
const RATE = option('--rate', 200);
const POSTGRES_URL = process.env.CHAOS_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ADMIN_KEY = 'soak-admin-key-0123456789abcdef';
const B = '/api/benchmarks';

const rssMb = (pid) => Math.round(Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024);

async function main() {
  if (HAS_TASKSET) spawnSync('taskset', ['-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
  if (!args.includes('--no-build')) {
    const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('npm run build failed');
  }
  const database = await privateDatabase(POSTGRES_URL, `soak_${process.pid}`);
  if (database.error) throw new Error(`no PostgreSQL at ${new URL(POSTGRES_URL).host}: ${database.error}`);
  const port = await freePort();
  const child = spawn(...onServerCpu(process.execPath, ['dist/main.js']), {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      DATA_DIR: dataDir(),
      DATABASE_URL: database.url,
      CONTRIBUTION_HASH_SECRET: 'soak-contribution-hash-secret-0123456789ab',
      CONTRIBUTION_PUBLISH_INTERVAL: '0',
      DATA_SOURCE: 'contributed',
      ADMIN_API_KEY: ADMIN_KEY,
      RATE_LIMIT_PER_MINUTE: '0',
    },
    stdio: 'ignore',
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const base = `http://127.0.0.1:${port}`;
  const problems = [];
  const samples = [];
  const tally = { writes: {}, erasures: {}, publications: {} };
  const count = (bucket, status) => (bucket[status] = (bucket[status] ?? 0) + 1);
  let stopping = false;
  try {
    if (!(await answers(`${base}${B}/health`))) throw new Error('the service did not start');
    const created = await fetch(`${base}${B}/admin/tenants`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'soak' }),
    });
    const { api_key: key } = await created.json();
    const tenant = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    const json = (path, body) => ({ method: 'POST', path, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const requests = [];
    for (const industry of ['retail', 'restaurant', 'manufacturing', 'technology']) {
      for (const region of ['national', 'midwest', 'west']) {
        requests.push(json(`${B}/compare`, { industry, region, period: '2024-12-01', user_values: { profit_margin: 0.08, revenue_per_employee: 180000 } }));
        requests.push(json(`${B}/data`, { industry, region, metrics: ['profit_margin'], start_date: '2024-01-01', end_date: '2024-12-31' }));
      }
      requests.push({ method: 'GET', path: `${B}/industries/${industry}` });
    }
    const started = Date.now();
    const minutes = MINUTES * 60_000;
    const sampler = (async () => {
      while (!stopping) {
        samples.push({ s: Math.round((Date.now() - started) / 1000), rss_mb: rssMb(child.pid) });
        await sleep(10_000);
      }
    })();
    const writer = (async () => {
      for (let i = 0; !stopping; i++) {
        const res = await fetch(`${base}${B}/contributions/soak-${i}/2024-12-01`, {
          method: 'PUT',
          headers: tenant,
          body: JSON.stringify({ industry: 'retail', company_size: 'small', region: 'midwest', values: { profit_margin: (i % 97) / 1000 } }),
        });
        await res.arrayBuffer();
        count(tally.writes, res.status);
        if (i % 40 === 39) {
          const erased = await fetch(`${base}${B}/contributions/soak-${i - 20}`, { method: 'DELETE', headers: tenant });
          await erased.arrayBuffer();
          count(tally.erasures, erased.status);
        }
        await sleep(50);
      }
    })();
    const publisher = (async () => {
      while (!stopping) {
        await sleep(60_000);
        if (stopping) break;
        const res = await fetch(`${base}${B}/admin/publications`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_KEY}` } });
        const location = res.headers.get('location');
        await res.arrayBuffer();
        count(tally.publications, res.status);
        for (let state = 'running'; location && state === 'running'; await sleep(500))
          state = (await (await fetch(`${base}${location}`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } })).json()).state;
      }
    })();
    const result = await new Promise((resolve, reject) =>
      autocannon({ url: base, requests, connections: 10, overallRate: RATE, duration: minutes / 1000, timeout: 20 }, (error, r) => (error ? reject(error) : resolve(r))),
    );
    stopping = true;
    await Promise.all([sampler, writer, publisher]);
    const statuses = Object.fromEntries(Object.entries(result.statusCodeStats).map(([k, v]) => [k, v.count]));
    const firstMinute = samples.find((s) => s.s >= 60)?.rss_mb ?? samples[0].rss_mb;
    const last = rssMb(child.pid);
    const figures = {
      date: new Date().toISOString(),
      node: process.version,
      minutes: MINUTES,
      rate_per_second: RATE,
      requests: result.requests.total,
      statuses,
      non_2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      p50_ms: result.latency.p50,
      p99_ms: result.latency.p99,
      max_ms: result.latency.max,
      writes: tally.writes,
      erasures: tally.erasures,
      publications: tally.publications,
      rss_mb: { start: samples[0].rss_mb, after_first_minute: firstMinute, max: Math.max(...samples.map((s) => s.rss_mb), last), end: last },
      samples,
    };
    if (result.non2xx > 0) problems.push(`${result.non2xx} non-2xx answers ${JSON.stringify(statuses)}`);
    if (result.errors > 0 || result.timeouts > 0) problems.push(`${result.errors} errors, ${result.timeouts} timeouts`);
    for (const [what, bucket, allowed] of [['writes', tally.writes, ['200']], ['erasures', tally.erasures, ['200']], ['publications', tally.publications, ['202', '409']]])
      for (const status of Object.keys(bucket)) if (!allowed.includes(status)) problems.push(`${what} answered ${status}: ${JSON.stringify(bucket)}`);
    if (last - firstMinute > 100) problems.push(`RSS grew from ${firstMinute} MB after the first minute to ${last} MB`);
    mkdirSync(join(__dirname, 'results'), { recursive: true });
    writeFileSync(join(__dirname, 'results', 'soak.json'), `${JSON.stringify({ ...figures, problems }, null, 2)}\n`);
    console.log(
      `soak: ${figures.requests} requests in ${MINUTES} min at ${RATE}/s: ${JSON.stringify(statuses)}, p50 ${figures.p50_ms} ms, p99 ${figures.p99_ms} ms; ` +
        `writes ${JSON.stringify(tally.writes)}, erasures ${JSON.stringify(tally.erasures)}, publications ${JSON.stringify(tally.publications)}; ` +
        `RSS ${figures.rss_mb.start} -> ${figures.rss_mb.after_first_minute} (after 1 min) -> max ${figures.rss_mb.max} -> ${figures.rss_mb.end} MB`,
    );
  } finally {
    stopping = true;
    child.kill('SIGTERM');
    await exited;
    await database.drop();
  }
  if (problems.length > 0) throw new Error(`soak: promises broken:\n${problems.join('\n')}`);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
