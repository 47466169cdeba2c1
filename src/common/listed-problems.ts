/** Most problems one 400 lists; the last line says how many more there were. */
export const MAX_LISTED_PROBLEMS = 20;

/**
 * The problems an answer lists: the first `max`, then "... and N more problems" when there were more, so that a body
 * with thousands of faults gets an answer of bounded size.
 */
export function listedProblems(
  problems: readonly string[],
  max: number = MAX_LISTED_PROBLEMS,
): string[] {
  if (problems.length <= max) return [...problems];
  return [
    ...problems.slice(0, max),
    `... and ${problems.length - max} more problems`,
  ];
}
