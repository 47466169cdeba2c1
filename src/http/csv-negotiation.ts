/** Content negotiation of the endpoints that can answer CSV: what an Accept header asks for. */

interface MediaRange {
  readonly type: string;
  readonly subtype: string;
  readonly q: number;
}

function parseAccept(accept: string): MediaRange[] {
  return accept.split(',').flatMap((part) => {
    const [range, ...params] = part.trim().split(';');
    const [type, subtype] = range.trim().toLowerCase().split('/');
    if (!type || !subtype) return [];
    const qParam = params
      .map((p) => p.trim().toLowerCase())
      .find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    return Number.isFinite(q) ? [{ type, subtype, q }] : [];
  });
}

/** The q and specificity (3 exact, 2 type/*, 1 * /*, 0 none) of the most specific range matching `type/subtype`. */
function preference(
  ranges: readonly MediaRange[],
  type: string,
  subtype: string,
): { q: number; specificity: number } {
  let best = { q: 0, specificity: 0 };
  for (const r of ranges) {
    const specificity =
      r.type === type && r.subtype === subtype
        ? 3
        : r.type === type && r.subtype === '*'
          ? 2
          : r.type === '*' && r.subtype === '*'
            ? 1
            : 0;
    if (specificity > best.specificity) best = { q: r.q, specificity };
  }
  return best;
}

/**
 * Whether an Accept header asks for CSV rather than JSON: text/csv is acceptable (q > 0) and preferred to
 * application/json by q, or equally by q but named more specifically (`text/csv, *\/*`). Anything else, a missing
 * header and types the service does not produce included, gets JSON (never 406).
 */
export function prefersCsv(accept: string | undefined): boolean {
  if (!accept) return false;
  const ranges = parseAccept(accept);
  const csv = preference(ranges, 'text', 'csv');
  const json = preference(ranges, 'application', 'json');
  if (csv.q <= 0) return false;
  if (csv.q !== json.q) return csv.q > json.q;
  return csv.specificity > json.specificity;
}
