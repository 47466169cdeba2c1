import { register } from 'prom-client';

/**
 * Registers a metric in prom-client's default registry (the one GET /metrics serves), replacing one of the same name:
 * the e2e tests build several apps in one process.
 */
export function registered<T>(name: string, create: () => T): T {
  register.removeSingleMetric(name);
  return create();
}
