import {
  createParamDecorator,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { bearerToken } from './tenant-keys';
import { TenantsRepository, type Tenant } from './tenants.repository';

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
  constructor(private readonly tenants: TenantsRepository) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<TenantRequest>();
    const key = bearerToken(request.headers.authorization);
    const tenant = key ? await this.tenants.authenticate(key) : undefined;
    if (!tenant) {
      void http
        .getResponse<FastifyReply>()
        .header('WWW-Authenticate', 'Bearer realm="benchmark-api"');
      throw new UnauthorizedException(
        key
          ? 'The tenant key in the Authorization header is not valid: unknown, replaced by a rotation, or revoked'
          : 'Send your tenant key as Authorization: Bearer <api_key> (an admin creates tenants: POST /api/benchmarks/admin/tenants)',
      );
    }
    request.tenant = tenant;
    return true;
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
