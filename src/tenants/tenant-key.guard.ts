import {
  createParamDecorator,
  Inject,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { API_PREFIX } from '../common/api-prefix';
import {
  contributionsConfig,
  type ContributionsConfig,
} from '../config/contributions.config';
import { DatabaseUnavailableError } from '../database/database';
import { TenantAuthenticator } from './tenant-authenticator';
import type { Tenant } from './tenants.repository';

/** A request a tenant key has been checked for. */
export type TenantRequest = FastifyRequest & { tenant?: Tenant };

/**
 * Lets a request through only with `Authorization: Bearer <tenant key>` of an active tenant, checked against the
 * database on every request (a rotated or revoked key is refused at once on every instance); the tenant is then the
 * handler's {@link CurrentTenant}. 401 otherwise; 503 with Retry-After when the database cannot answer. Neither the
 * key nor what the client sent appears in an answer or a log.
 */
@Injectable()
export class TenantKeyGuard implements CanActivate {
  constructor(private readonly authenticator: TenantAuthenticator) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<TenantRequest>();
    const auth = await this.authenticator.authenticate(request);
    // A write needs the database: a key remembered through an outage does not make it available.
    if (auth.kind === 'unavailable') throw auth.error;
    if (auth.kind === 'tenant' && auth.degraded)
      throw new DatabaseUnavailableError('The database is unavailable');
    if (auth.kind !== 'tenant')
      throw unauthorized(http, auth.kind === 'invalid');
    request.tenant = auth.tenant;
    return true;
  }
}

/** The 401 of a missing or invalid tenant key, with its WWW-Authenticate challenge. */
function unauthorized(
  http: ReturnType<ExecutionContext['switchToHttp']>,
  sent: boolean,
): UnauthorizedException {
  return unauthorizedReply(http.getResponse<FastifyReply>(), sent);
}

function unauthorizedReply(
  reply: FastifyReply,
  sent: boolean,
): UnauthorizedException {
  void reply.header('WWW-Authenticate', 'Bearer realm="benchmark-api"');
  return new UnauthorizedException(
    sent
      ? 'The tenant key in the Authorization header is not valid: unknown, replaced by a rotation, or revoked'
      : 'Send your tenant key as Authorization: Bearer <api_key> (an admin creates tenants: POST /api/benchmarks/admin/tenants)',
  );
}

/**
 * A route hook that refuses a request without a valid tenant key before its body is read (the guard would, after the
 * body parser had read and parsed it): for a route whose body may be far larger than the service's limit, so that
 * only tenants can make the service read and parse one. The key is checked once: the guard reuses the outcome. A
 * database that cannot answer is left to the guard (503 with Retry-After).
 */
export function tenantKeyBeforeBody(
  authenticator: TenantAuthenticator,
): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  return async (request, reply) => {
    const auth = await authenticator.authenticate(request);
    if (auth.kind === 'none' || auth.kind === 'invalid')
      throw unauthorizedReply(reply, auth.kind === 'invalid');
  };
}

/** Routes under the API prefix that REQUIRE_API_KEY leaves to their own keys (or to nobody: the health probes). */
const OWN_ACCESS = ['health', 'admin', 'contributions', 'cache'].map(
  (route) => `/${API_PREFIX}/${route}`,
);

/**
 * REQUIRE_API_KEY=true: the read endpoints need a tenant key too (401 without a valid one). A key this instance
 * verified in the last ten minutes is honoured while the database cannot answer; another key then gets 503 (it cannot
 * be checked). The health probes, /metrics, /docs and the endpoints with their own keys are left alone.
 */
@Injectable()
export class ReadAccessGuard implements CanActivate {
  private readonly required: boolean;

  constructor(
    private readonly authenticator: TenantAuthenticator,
    @Inject(contributionsConfig.KEY)
    config: Pick<ContributionsConfig, 'requireApiKey'>,
  ) {
    this.required = config.requireApiKey;
  }

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (!this.required) return true;
    const http = context.switchToHttp();
    const request = http.getRequest<TenantRequest>();
    const route = request.routeOptions?.url ?? request.url;
    if (
      !route.startsWith(`/${API_PREFIX}/`) ||
      OWN_ACCESS.some((prefix) => route.startsWith(prefix))
    )
      return true;
    return this.authenticator.authenticate(request).then((auth) => {
      if (auth.kind === 'unavailable') throw auth.error;
      if (auth.kind !== 'tenant')
        throw unauthorized(http, auth.kind === 'invalid');
      request.tenant = auth.tenant;
      return true;
    });
  }
}

/** The tenant {@link TenantKeyGuard} authenticated. */
export const CurrentTenant = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Tenant => {
    const tenant = context.switchToHttp().getRequest<TenantRequest>().tenant;
    if (!tenant) throw new Error('CurrentTenant used without TenantKeyGuard');
    return tenant;
  },
);
