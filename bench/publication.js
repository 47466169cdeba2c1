'use strict';
/**
 * npm run bench:publication [-- --sizes 10000,100000,1000000] [-- --kinds postgres,embedded] [-- --no-build]
 *
 * How long a publication of contributed data takes, and the service's peak memory while it runs, at each size (in
 * business-months; 5 values each) on a PostgreSQL server (a private database of the machine's, BENCH_POSTGRES_URL)
 * and on the embedded database (PGlite, a fresh DATA_DIR). For each: seeds the data straight into the database (one
 * tenant, businesses spread over every industry, size and region, 12 months), starts the built service with its
 * default settings (DATABASE_TIMEOUT_MS 5 s, CONTRIBUTION_PUBLISH_TIMEOUT_MS 30 min), opens the database, resets the
 * process's peak RSS (/proc/<pid>/clear_refs), asks for a publication (POST: 202), erases one business through the API
 * while it runs, follows it to the end (GET every 200 ms) and reads the peak RSS (VmHWM). Prints a table and writes
 * bench/results/publication.json. Timings are measurements, never judged.
 */
const { spawn, spawnSync } = require('node:child_process');
const { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { sleep, freePort, answers, onServerCpu, privateDatabase } = require('./lib');

const ROOT = join(__dirname, '..');
const args = process.argv.slice(2);
const listOption = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1].split(',') : fallback;
};
const SIZES = listOption('--sizes', ['10000', '100000', '1000000']).map(Number);
const KINDS = listOption('--kinds', ['postgres', 'embedded']);
const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ADMIN_KEY = 'bench-admin-key-0123456789abcdef';
const HASH_SECRET = 'bench-contribution-hash-secret-0123456789ab';
const MONTHS = 12;
const VALUES_PER_MONTH = 5;
const B = '/api/benchmarks';

/** The peak and current resident memory of a process, in MB (Linux). */
function memoryOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { peakMb: Math.round(kb('VmHWM') / 1024), rssMb: Math.round(kb('VmRSS') / 1024) };
}

/**
 * Seeds `size` business-months of one tenant (businesses x 12 months, 5 values each), straight into the tables; the
 * business `bench-0` under its real keyed hash (so the API can erase it), the others under made-up hashes.
 */
async function seed(database, size, secret) {
  const { sql } = require('drizzle-orm');
  const { INDUSTRIES } = require(join(ROOT, 'dist/domain/catalog'));
  const { newTenantKey, tenantKeyHash } = require(join(ROOT, 'dist/tenants/tenant-keys'));
  const { BusinessRefHasher } = require(join(ROOT, 'dist/contributions/business-ref-hasher'));
  const tenantId = '00000000-0000-4000-8000-000000000001';
  const apiKey = newTenantKey();
  const erasedHash = new BusinessRefHasher(() => secret).hash(tenantId, 'bench-0');
  const industries = INDUSTRIES.map((i) => i.key);
  const metrics = JSON.stringify(Object.fromEntries(INDUSTRIES.map((i) => [i.key, i.metrics.slice(0, VALUES_PER_MONTH)])));
  const businesses = Math.max(1, Math.round(size / MONTHS));
  await database.run((db) =>
    db.execute(sql`insert into tenants (tenant_id, name, key_hash, created_at) values (${tenantId}::uuid, 'bench', ${tenantKeyHash(apiKey)}, now())`),
  );
  // A month at a time: one statement for 1M rows would hold everything at once.
  for (let m = 0; m < MONTHS; m++) {
    await database.transaction(async (tx) => {
      await tx.execute(sql`
        insert into business_months (tenant_id, business_hash, period, industry, company_size, region, received_at)
        select ${tenantId}::uuid,
          case when b = 0 then ${erasedHash} else md5(b::text) end,
          (date '2017-01-01' + make_interval(months => ${m}))::date,
          (${JSON.stringify(industries)}::jsonb ->> (b % ${industries.length})),
          (array['small', 'medium', 'large'])[1 + (b / ${industries.length}) % 3],
          (array['northeast', 'southeast', 'midwest', 'west', 'southwest'])[1 + (b / ${industries.length * 3}) % 5],
          now()
        from generate_series(0, ${businesses - 1}) b`);
      await tx.execute(sql`
        insert into contribution_values (tenant_id, business_hash, period, metric, value)
        select m.tenant_id, m.business_hash, m.period, metric, round((random() * 0.4 - 0.05)::numeric, 4)::float8
        from business_months m
        cross join lateral jsonb_array_elements_text(${metrics}::jsonb -> m.industry) metric
        where m.period = (date '2017-01-01' + make_interval(months => ${m}))::date`);
    });
  }
  return { apiKey, businessMonths: businesses * MONTHS };
}

async function startService(env, logFile) {
  const port = await freePort();
  const child = spawn(...onServerCpu(process.execPath, ['dist/main.js']), {
    cwd: ROOT,
    env: { PATH: process.env.PATH, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ADMIN_API_KEY: ADMIN_KEY, CONTRIBUTION_PUBLISH_INTERVAL: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = `http://127.0.0.1:${port}${B}`;
  if (!(await answers(`${url}/health`))) {
    child.kill('SIGKILL');
    throw new Error(`the service did not start:\n${log}`);
  }
  return { child, url, exited, log: () => { writeFileSync(logFile, log); } };
}

async function measure(kind, size) {
  const place =
    kind === 'postgres'
      ? await privateDatabase(POSTGRES_URL, `bench_publication_${process.pid}_${size}`)
      : { dir: mkdtempSync(join(tmpdir(), 'bench-publication-')) };
  if (place.error) throw new Error(`no PostgreSQL at ${new URL(POSTGRES_URL).host}: ${place.error}`);
  const { createDatabase } = require(join(ROOT, 'dist/database/open-database'));
  const { embeddedHashSecret } = require(join(ROOT, 'dist/contributions/business-ref-hasher'));
  const secret = kind === 'postgres' ? HASH_SECRET : embeddedHashSecret(place.dir);
  const seeding = Date.now();
  const database = createDatabase(kind === 'postgres' ? { url: place.url, dataDir: '/nonexistent', timeoutMs: 600_000 } : { dataDir: place.dir, timeoutMs: 600_000 });
  let seeded;
  try {
    seeded = await seed(database, size, secret);
  } finally {
    await database.close();
  }
  const seedSeconds = Math.round((Date.now() - seeding) / 100) / 10;
  const env = kind === 'postgres' ? { DATABASE_URL: place.url, CONTRIBUTION_HASH_SECRET: HASH_SECRET, DATA_DIR: mkdtempSync(join(tmpdir(), 'bench-publication-')) } : { DATA_DIR: place.dir };
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  const service = await startService(env, join(__dirname, 'results', `.publication-${kind}-${size}.log`));
  const admin = { authorization: `Bearer ${ADMIN_KEY}` };
  try {
    // Open the database (the embedded one opens on first use), then measure from here.
    await (await fetch(`${service.url}/admin/publications`, { headers: admin })).text();
    const before = memoryOf(service.child.pid);
    writeFileSync(`/proc/${service.child.pid}/clear_refs`, '5');
    const started = Date.now();
    const res = await fetch(`${service.url}/admin/publications`, { method: 'POST', headers: admin });
    const startedStatus = res.status;
    const location = res.headers.get('location');
    const { publication_id: id } = await res.json();
    let erasure;
    let status;
    for (;;) {
      status = await (await fetch(`http://127.0.0.1:${new URL(service.url).port}${location}`, { headers: admin })).json();
      if (!erasure && (status.slices_done > 0 || status.state !== 'running')) {
        const t0 = Date.now();
        const erased = await fetch(`${service.url}/contributions/bench-0`, { method: 'DELETE', headers: { authorization: `Bearer ${seeded.apiKey}` } });
        erasure = { status: erased.status, ms: Date.now() - t0, during: status.state === 'running', answer: await erased.json() };
      }
      if (status.state !== 'running') break;
      await sleep(200);
    }
    const after = memoryOf(service.child.pid);
    return {
      kind,
      business_months: seeded.businessMonths,
      values: seeded.businessMonths * VALUES_PER_MONTH,
      seed_seconds: seedSeconds,
      post_status: startedStatus,
      publication_id: id,
      state: status.state,
      failure: status.failure,
      duration_ms: status.duration_ms,
      wall_ms: Date.now() - started,
      slices: status.slices_total,
      published_cells: status.published_cells,
      withheld_cells: status.withheld_cells,
      rss_before_mb: before.rssMb,
      peak_rss_mb: after.peakMb,
      erasure_status: erasure?.status,
      erasure_ms: erasure?.ms,
      erasure_during_publication: erasure?.during,
      erasure_effective_from: erasure?.answer?.effective_from_publication_id,
      erasure_running: erasure?.answer?.running_publication_id,
    };
  } finally {
    service.child.kill('SIGTERM');
    await service.exited;
    service.log();
    if (kind === 'postgres') {
      await place.drop();
      rmSync(env.DATA_DIR, { recursive: true, force: true });
    } else rmSync(place.dir, { recursive: true, force: true });
  }
}

async function main() {
  if (!args.includes('--no-build')) {
    const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('npm run build failed');
  }
  const rows = [];
  for (const kind of KINDS)
    for (const size of SIZES) {
      console.log(`publication: ${kind}, ${size} business-months ...`);
      const row = await measure(kind, size);
      console.log(JSON.stringify(row));
      rows.push(row);
    }
  const result = { date: new Date().toISOString(), node: process.version, rows };
  writeFileSync(join(__dirname, 'results', 'publication.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log('\n| database | business-months | values | state | publication s | peak RSS MB (before) | cells published / withheld | erasure during it |');
  console.log('|---|---:|---:|---|---:|---:|---|---|');
  for (const r of rows)
    console.log(
      `| ${r.kind} | ${r.business_months.toLocaleString('en-US')} | ${r.values.toLocaleString('en-US')} | ${r.state}${r.failure ? ` (${r.failure})` : ''} | ${(r.duration_ms / 1000).toFixed(1)} | ${r.peak_rss_mb} (${r.rss_before_mb}) | ${r.published_cells} / ${r.withheld_cells} | ${r.erasure_status} in ${r.erasure_ms} ms${r.erasure_during_publication ? `, effective from ${r.erasure_effective_from} (running ${r.erasure_running})` : ' (after it)'} |`,
    );
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
