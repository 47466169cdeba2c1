/**
 * Resolves in the next turn of the event loop, after the I/O callbacks already queued.
 *
 * The service pauses at two points of a request, the validation of its body and its cache lookup, so that the
 * requests read in one turn go through each stage together (better use of the CPU's caches than running each
 * request from end to end): measured in BENCHMARKS.md, about half the CPU of a cached POST. Each pause costs one loop
 * turn of latency, microseconds on an idle server.
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
