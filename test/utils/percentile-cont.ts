/**
 * PostgreSQL's percentile_cont over sorted values (linear between the closest ranks, in double precision), rounded
 * as a publication rounds it: the double cast to numeric (15 significant digits), then half away from zero.
 */
export function percentileCont(
  sorted: readonly number[],
  fraction: number,
  decimals: number,
): number {
  const position = fraction * (sorted.length - 1);
  const low = Math.floor(position);
  const high = Math.ceil(position);
  const value = sorted[low] + (sorted[high] - sorted[low]) * (position - low);
  const shifted = Number(`${Math.abs(value).toPrecision(15)}e${decimals}`);
  return Math.sign(value) * Number(`${Math.round(shifted)}e-${decimals}`);
}
