'use strict';
/** What the benchmark, the CPU-per-request and A/B tools and the chaos run share: ports, CPU pinning, CPU time, readiness. */
const net = require('node:net');
const { spawnSync } = require('node:child_process');
const { mkdtempSync, readFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Whether `taskset` exists (servers go to CPU 0, load generators to CPU 1). */
const HAS_TASKSET = spawnSync('taskset', ['-V'], { stdio: 'ignore' }).status === 0;

/** A TCP port free on 127.0.0.1 right now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;

/** CPU time a process has used, user and system, in microseconds (from /proc: Linux); undefined elsewhere. */
function cpuTimes(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return { user: (Number(fields[11]) * 1e6) / CLOCK_TICKS, system: (Number(fields[12]) * 1e6) / CLOCK_TICKS };
  } catch {
    return undefined;
  }
}

/**
 * Whether `url` answers 2xx within about 60 s, asking every 50 ms: a cold start that creates the embedded database
 * took 7-8.5 s beside two busy CPU loops (2026-12-08); this is several times that.
 */
async function answers(url) {
  for (let i = 0; i < 1200; i++) {
    try {
      if ((await fetch(url)).ok) return true;
    } catch {
      // not yet
    }
    await sleep(50);
  }
  return false;
}

/** A command and its arguments, run under `taskset -c 0` (the servers' CPU) where taskset exists. */
function onServerCpu(command, commandArgs) {
  return HAS_TASKSET ? ['taskset', ['-c', '0', command, ...commandArgs]] : [command, commandArgs];
}

/** The settings given as `--env NAME=VALUE` (any number of times) among a tool's arguments. */
function envArgs(args) {
  return Object.fromEntries(args.flatMap((a, i) => (a === '--env' ? [args[i + 1].split(/=(.*)/s).slice(0, 2)] : [])));
}

/**
 * A fresh DATA_DIR for one service process (its embedded database: one process per directory), removed when this
 * process exits.
 */
function dataDir() {
  const dir = mkdtempSync(join(tmpdir(), 'benchmark-api-run-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * A private database `name` of the PostgreSQL server at `serverUrl` (dropped first if a run left it): its URL, a
 * one-number query, and how to drop it. Undefined, with the error, when no server answers.
 */
async function privateDatabase(serverUrl, name) {
  const { Client } = require('pg');
  const admin = new Client({ connectionString: serverUrl, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
  } catch (error) {
    return { error: error.message };
  }
  try {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const withClient = async (connectionString, work) => {
    const client = new Client({ connectionString });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  return {
    url: url.toString(),
    count: (query) => withClient(url.toString(), async (c) => Number((await c.query(query)).rows[0].n)),
    drop: () => withClient(serverUrl, (c) => c.query(`drop database if exists ${name} with (force)`)),
  };
}

module.exports = { sleep, HAS_TASKSET, freePort, cpuTimes, answers, onServerCpu, envArgs, dataDir, privateDatabase };
