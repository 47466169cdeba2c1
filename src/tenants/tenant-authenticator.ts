import { Injectable } from '@nestjs/common';
import { DatabaseUnavailableError } from '../database/database';
import { bearerToken } from '../http/bearer-token';
import { TENANT_KEY_PREFIX, tenantKeyHash } from './tenant-keys';
import { TenantsRepository, type Tenant } from './tenants.repository';

/** How long a key this instance has verified may still be honoured on reads while the database cannot answer. */
export const VERIFIED_KEY_GRACE_MS = 10 * 60_000;
const MAX_REMEMBERED_KEYS = 10_000;

/** What a request's tenant key turned out to be. */
export type Authentication =
  | { readonly kind: 'none' }
  | { readonly kind: 'invalid' }
  | {
      readonly kind: 'tenant';
      readonly tenant: Tenant;
      readonly degraded?: true;
    }
  | { readonly kind: 'unavailable'; readonly error: DatabaseUnavailableError };

type Request = { headers: Record<string, string | string[] | undefined> };

/**
 * Authenticates a request's `Authorization: Bearer <tenant key>` once per request, however many guards ask (the
 * rate limiter's tracker, the tenant guard, the read guard), against the database every time (a rotated or revoked
 * key is refused at once). When the database cannot answer, a key this instance verified in the last
 * {@link VERIFIED_KEY_GRACE_MS} is reported as `degraded`, for reads to honour; anything else is `unavailable`.
 */
@Injectable()
export class TenantAuthenticator {
  private readonly perRequest = new WeakMap<object, Promise<Authentication>>();
  /** Key hash -> the tenant and when this instance last verified it. */
  private readonly verified = new Map<string, { tenant: Tenant; at: number }>();

  constructor(private readonly tenants: TenantsRepository) {}

  authenticate(request: Request): Promise<Authentication> {
    let known = this.perRequest.get(request);
    if (!known) {
      known = this.check(bearerToken(request.headers.authorization));
      this.perRequest.set(request, known);
    }
    return known;
  }

  /** Whether the request carries something that looks like a tenant key (not an admin key or another token). */
  static carriesTenantKey(request: Request): boolean {
    return (
      bearerToken(request.headers.authorization)?.startsWith(
        TENANT_KEY_PREFIX,
      ) ?? false
    );
  }

  private async check(key: string | undefined): Promise<Authentication> {
    if (!key) return { kind: 'none' };
    const hash = tenantKeyHash(key);
    try {
      const tenant = await this.tenants.authenticate(key);
      if (!tenant) {
        this.verified.delete(hash);
        return { kind: 'invalid' };
      }
      this.remember(hash, tenant);
      return { kind: 'tenant', tenant };
    } catch (error) {
      if (!(error instanceof DatabaseUnavailableError)) throw error;
      const known = this.verified.get(hash);
      if (known && Date.now() - known.at <= VERIFIED_KEY_GRACE_MS)
        return { kind: 'tenant', tenant: known.tenant, degraded: true };
      return { kind: 'unavailable', error };
    }
  }

  private remember(hash: string, tenant: Tenant): void {
    this.verified.delete(hash);
    this.verified.set(hash, { tenant, at: Date.now() });
    if (this.verified.size > MAX_REMEMBERED_KEYS)
      this.verified.delete(this.verified.keys().next().value!);
  }
}
