'use strict';
/**
 * Peak memory (VmHWM, from /proc: Linux) of the built service (dist/main.js: `npm run build` first) up to the moment
 * it listens: without the embedded database (DATA_SOURCE=synthetic), when it creates the embedded database in a
 * fresh DATA_DIR, and when it reopens it. DATA_SOURCE=contributed makes main.ts open the database before listening.
 *
 *   node bench/embedded-db-memory.js [--runs 3] [--node /path/to/node]
 *
 * Prints each run and the medians as JSON lines.
 */
const { spawn } = require('node:child_process');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { freePort, sleep, dataDir } = require('./lib');

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const RUNS = Number(option('--runs', '3'));
const NODE = option('--node', process.execPath);
const MAIN = join(__dirname, '..', 'dist', 'main.js');

const mb = (pid, field) =>
  Math.round(Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`${field}:\\s+(\\d+)`))[1]) / 1024);

/** Starts the service on `dir`, waits (up to 2 minutes) until it answers, notes its peak and stops it. */
async function measure(source, dir) {
  const port = await freePort();
  const started = Date.now();
  const child = spawn(NODE, [MAIN], {
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      DATA_DIR: dir,
      DATA_SOURCE: source,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    for (let i = 0; ; i++) {
      if (child.exitCode !== null || i > 2400) throw new Error(`the service did not start (${source}, ${dir})`);
      const up = await fetch(`http://127.0.0.1:${port}/api/benchmarks/health`).then(
        () => true,
        () => false,
      );
      if (up) break;
      await sleep(50);
    }
    return { listenMs: Date.now() - started, peakMB: mb(child.pid, 'VmHWM'), rssMB: mb(child.pid, 'VmRSS') };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
  const version = await new Promise((resolve) => {
    const child = spawn(NODE, ['-v']);
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.once('exit', () => resolve(out.trim()));
  });
  const results = { service: [], create: [], reopen: [] };
  for (let run = 0; run < RUNS; run++) {
    results.service.push(await measure('synthetic', dataDir()));
    const dir = dataDir();
    results.create.push(await measure('contributed', dir));
    results.reopen.push(await measure('contributed', dir));
    for (const [what, runs] of Object.entries(results))
      console.log(JSON.stringify({ node: version, run: run + 1, what, ...runs[run] }));
  }
  for (const [what, runs] of Object.entries(results))
    console.log(
      JSON.stringify({
        node: version,
        runs: RUNS,
        what,
        medianPeakMB: median(runs.map((r) => r.peakMB)),
        medianListenMs: median(runs.map((r) => r.listenMs)),
      }),
    );
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
