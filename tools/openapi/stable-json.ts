/** Sorts object keys at every depth (arrays keep their order), so the written document diffs readably. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
  );
}

/** The document as openapi.json holds it: sorted keys, two-space indent, a final newline. */
export function stableJson(document: unknown): string {
  return `${JSON.stringify(sortKeys(document), null, 2)}\n`;
}
