'use strict';
/**
 * npm test: the unit suite, then the e2e suite whatever the unit suite's outcome, and one verdict for both (exit 1 if
 * either failed). Arguments are passed to both runs (e.g. `npm test -- --runInBand`).
 */
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
// PGlite imports Node modules dynamically: jest needs the VM's module support for it.
const JEST = [
  '--experimental-vm-modules',
  join(ROOT, 'node_modules/jest/bin/jest.js'),
];
const SUITES = [
  ['unit', []],
  ['e2e', ['--config', './test/jest-e2e.json']],
];

const results = SUITES.map(([name, config]) => {
  const started = Date.now();
  const run = spawnSync(
    process.execPath,
    [...JEST, ...config, ...process.argv.slice(2)],
    { cwd: ROOT, stdio: 'inherit' },
  );
  return {
    name,
    passed: run.status === 0,
    seconds: Math.round((Date.now() - started) / 1000),
  };
});
const verdict = results
  .map((r) => `${r.name} ${r.passed ? 'passed' : 'FAILED'} (${r.seconds} s)`)
  .join(', ');
const passed = results.every((r) => r.passed);
console.log(`\nnpm test: ${passed ? 'passed' : 'FAILED'}: ${verdict}`);
process.exit(passed ? 0 : 1);
