/**
 * `npm run fidelity`: each published figure the synthetic generator is held against (FIDELITY_FIGURES, from
 * ../shared/reference/metrics-and-magnitudes.md §4) beside what the generator serves for it, in or out of its range.
 * Prints a Markdown table (FIDELITY.md holds the last one, with the sources). `--seed N` measures another seed
 * (default SYNTHETIC_SEED's default). Exits 0 whatever the figures: the test in src/ judges them.
 */
import {
  formatFidelity,
  measureFidelity,
} from '../../src/data-sources/synthetic/fidelity';
import {
  GENERATOR_VERSION,
  SyntheticGenerator,
} from '../../src/data-sources/synthetic/synthetic-generator';

const args = process.argv.slice(2);
const seedAt = args.indexOf('--seed');
const seed = seedAt >= 0 ? Number(args[seedAt + 1]) : 20240101;
if (!Number.isInteger(seed) || seed < 0)
  throw new Error(
    `--seed must be a non-negative integer, got ${args[seedAt + 1]}`,
  );

const results = measureFidelity(new SyntheticGenerator(seed));
console.log(
  `Fidelity of ${GENERATOR_VERSION} (seed ${seed}): medium firms, national, unless said\n`,
);
console.log('| figure | served | range | | published |');
console.log('|---|---:|---|---|---|');
for (const { figure, served, inRange } of results)
  console.log(
    `| ${figure.what} | ${formatFidelity(served, figure.format)} | ${formatFidelity(figure.range[0], figure.format)} to ${formatFidelity(figure.range[1], figure.format)} | ${inRange ? 'in' : '**out**'} | ${figure.published} |`,
  );
const inRange = results.filter((r) => r.inRange).length;
console.log(`\n${inRange} of ${results.length} figures in range.`);
