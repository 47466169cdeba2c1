'use strict';
/** What the benchmark, the CPU-per-request tool and the chaos run share: ports, CPU pinning, CPU time. */
const net = require('node:net');
const { spawnSync } = require('node:child_process');
const { readFileSync } = require('node:fs');

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

module.exports = { sleep, HAS_TASKSET, freePort, cpuTimes };
