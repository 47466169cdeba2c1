/** Most metrics one request may send values of (a map of metric name -> number). */
export const MAX_USER_VALUES = 50;
const MAX_METRIC_NAME_LENGTH = 100;

/**
 * Why `value` is not a valid map of metric name -> finite number under the field `field` (`user_values` of /compare,
 * `values` of a contribution): every problem, or none.
 */
export function valuesMapProblems(field: string, value: unknown): string[] {
  if (value === undefined) {
    return [
      `${field} is required: an object mapping metric names to numbers, e.g. {"profit_margin": 0.1}`,
    ];
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [
      `${field} must be an object mapping metric names to numbers, e.g. {"profit_margin": 0.1}`,
    ];
  }
  const entries = Object.entries(value);
  if (entries.length === 0)
    return [`${field} must contain at least one metric`];
  if (entries.length > MAX_USER_VALUES) {
    return [
      `${field} may contain at most ${MAX_USER_VALUES} metrics (got ${entries.length})`,
    ];
  }
  const problems: string[] = [];
  for (const [name, v] of entries) {
    if (name.length === 0 || name.length > MAX_METRIC_NAME_LENGTH) {
      problems.push(
        `${field} keys must be metric names of 1 to ${MAX_METRIC_NAME_LENGTH} characters`,
      );
    } else if (typeof v !== 'number' || !Number.isFinite(v)) {
      const shown =
        typeof v === 'number' ? String(v) : v === null ? 'null' : typeof v;
      problems.push(
        `${field}.${name.slice(0, 40)} must be a finite number (got ${shown})`,
      );
    }
  }
  return problems;
}
