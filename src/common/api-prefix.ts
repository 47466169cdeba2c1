/** Every route is served under this prefix, as in the prototype's contract. */
export const API_PREFIX = 'api/benchmarks';
