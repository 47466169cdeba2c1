'use strict';
/**
 * wrk (Debian's `wrk` package) as the benchmark's load generator: a C event loop that saturates a bare-Fastify
 * baseline where autocannon, itself a Node process, could not (issue 18: about 31,000 /compare a second with wrk
 * against 21,000 with autocannon). One thread, `connections` connections, the requests sent in turn (a cold scenario
 * is a cache clear then the request). Parses wrk's report: requests, requests/s, p50/p99 latency, errors.
 */
const { spawn, spawnSync } = require('node:child_process');
const { mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const HAS_WRK = spawnSync('wrk', ['--version'], { stdio: 'ignore' }).error === undefined;

const lua = (s) => JSON.stringify(s); // a JSON string is a valid Lua string literal for these bodies and paths

/** The Lua script that sends `requests` in turn. */
function script(requests) {
  const formatted = requests.map((r) => {
    const headers = Object.entries(r.headers ?? {})
      .map(([k, v]) => `[${lua(k)}] = ${lua(v)}`)
      .join(', ');
    return `wrk.format(${lua(r.method)}, ${lua(r.path)}, { ${headers} }, ${r.body === undefined ? 'nil' : lua(r.body)})`;
  });
  return `local requests = {}
local i = 0
init = function(args)
  requests = { ${formatted.join(',\n    ')} }
end
request = function()
  i = i % #requests + 1
  return requests[i]
end
`;
}

/** A duration of wrk's report (`812.00us`, `1.20ms`, `2.00s`) in milliseconds. */
function toMs(text) {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(text);
  if (!m) return NaN;
  const scale = { us: 0.001, ms: 1, s: 1000, m: 60000 }[m[2]];
  return Number(m[1]) * scale;
}

/** Reads wrk's report (with --latency). */
function parseReport(out) {
  const number = (re) => {
    const m = re.exec(out);
    return m ? Number(m[1]) : 0;
  };
  const percentile = (p) => {
    const m = new RegExp(`^\\s+${p}%\\s+(\\S+)`, 'm').exec(out);
    return m ? toMs(m[1]) : NaN;
  };
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  return {
    total: number(/(\d+) requests in /),
    rps: number(/Requests\/sec:\s+([\d.]+)/),
    p50: percentile(50),
    p99: percentile(99),
    errors: number(/Non-2xx or 3xx responses: (\d+)/) + (socket ? socket.slice(1).reduce((n, x) => n + Number(x), 0) : 0),
  };
}

/** One wrk run against `url` (origin) sending `requests` in turn for `duration` seconds. */
function runWrk(url, requests, { connections, duration }) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-wrk-'));
  const file = join(dir, 'requests.lua');
  writeFileSync(file, script(requests));
  return new Promise((resolve, reject) => {
    // --timeout 30s: at saturation a slow answer is still an answer (wrk's default 2 s counted some as socket errors).
    const child = spawn('wrk', ['-t1', `-c${connections}`, `-d${duration}s`, '--timeout', '30s', '--latency', '-s', file, url], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      rmSync(dir, { recursive: true, force: true });
      if (code !== 0) return reject(new Error(`wrk exited ${code}: ${out}`));
      resolve(parseReport(out));
    });
  });
}

module.exports = { HAS_WRK, runWrk, parseReport, script };
