import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * helmet's defaults, except: no HSTS (TLS is the proxy's business), and a CSP without upgrade-insecure-requests,
 * which would send Swagger UI's "Try it out" calls to https:// on a plain-HTTP deployment. The default CSP suits
 * Swagger UI otherwise (same-origin scripts and styles, inline styles allowed).
 */
export const HELMET_OPTIONS: Readonly<HelmetOptions> = {
  hsts: false,
  contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
};

/**
 * The headers helmet sets for these options, computed once: they depend only on the options (no nonces), and
 * building them per request, as @fastify/helmet does, cost CPU (BENCHMARKS.md, change 2). Names are lower-case, as
 * Fastify keeps them.
 */
export function securityHeaders(
  options: Readonly<HelmetOptions> = HELMET_OPTIONS,
): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
    getHeader: (name: string) => headers[name.toLowerCase()],
  };
  helmet(options)(
    {} as IncomingMessage,
    recorder as unknown as ServerResponse,
    (error?: unknown) => {
      if (error)
        throw new Error('helmet refused its options', { cause: error });
    },
  );
  return Object.freeze(headers);
}
