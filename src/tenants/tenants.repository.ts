import { Inject, Injectable } from '@nestjs/common';
import { asc, eq } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { Clock } from '../common/clock';
import { DATABASE, type Database } from '../database/database';
import { tenants } from '../database/schema';
import { newTenantKey, sameKeyHash, tenantKeyHash } from './tenant-keys';

/** A tenant as stored, without its key (which is never stored, only its hash). */
export interface Tenant {
  readonly tenantId: string;
  readonly name: string;
  readonly createdAt: Date;
  readonly keyRotatedAt: Date | null;
  readonly revokedAt: Date | null;
}

/** A tenant with its new key, shown this once. */
export interface TenantWithKey extends Tenant {
  readonly apiKey: string;
}

/** Thrown to rotate the key of a revoked tenant. */
export class TenantRevokedError extends Error {}

const COLUMNS = {
  tenantId: tenants.tenantId,
  name: tenants.name,
  createdAt: tenants.createdAt,
  keyRotatedAt: tenants.keyRotatedAt,
  revokedAt: tenants.revokedAt,
};

/**
 * Tenants in the database: created with a random key of which only the SHA-256 is kept, listed, rotated (the old
 * key stops working with the commit), revoked. Keys are checked against the database on every request, so a rotation
 * or revocation holds at once on every instance.
 */
@Injectable()
export class TenantsRepository {
  constructor(
    @Inject(DATABASE) private readonly database: Database,
    private readonly clock: Clock,
  ) {}

  async create(name: string): Promise<TenantWithKey> {
    const apiKey = newTenantKey();
    const tenant: Tenant = {
      tenantId: randomUUID(),
      name,
      createdAt: this.clock.now(),
      keyRotatedAt: null,
      revokedAt: null,
    };
    // The name as the database stored it, so that the answer shows what the list will.
    const [stored] = await this.database.run((db) =>
      db
        .insert(tenants)
        .values({ ...tenant, keyHash: tenantKeyHash(apiKey) })
        .returning({ name: tenants.name }),
    );
    return { ...tenant, name: stored.name, apiKey };
  }

  list(): Promise<Tenant[]> {
    return this.database.run((db) =>
      db
        .select(COLUMNS)
        .from(tenants)
        .orderBy(
          asc(tenants.createdAt),
          asc(tenants.name),
          asc(tenants.tenantId),
        ),
    );
  }

  async find(tenantId: string): Promise<Tenant | undefined> {
    const rows = await this.database.run((db) =>
      db.select(COLUMNS).from(tenants).where(eq(tenants.tenantId, tenantId)),
    );
    return rows[0];
  }

  /** A new key for an active tenant; undefined when there is no such tenant. */
  async rotateKey(tenantId: string): Promise<TenantWithKey | undefined> {
    const apiKey = newTenantKey();
    return this.database.transaction(async (tx) => {
      const [tenant] = await tx
        .select(COLUMNS)
        .from(tenants)
        .where(eq(tenants.tenantId, tenantId))
        .for('update');
      if (!tenant) return undefined;
      if (tenant.revokedAt) throw new TenantRevokedError();
      const keyRotatedAt = this.clock.now();
      await tx
        .update(tenants)
        .set({ keyHash: tenantKeyHash(apiKey), keyRotatedAt })
        .where(eq(tenants.tenantId, tenantId));
      return { ...tenant, keyRotatedAt, apiKey };
    });
  }

  /** Revokes the tenant's key (once: a second call answers the first revocation); undefined when there is none. */
  async revoke(tenantId: string): Promise<Tenant | undefined> {
    return this.database.transaction(async (tx) => {
      const [tenant] = await tx
        .select(COLUMNS)
        .from(tenants)
        .where(eq(tenants.tenantId, tenantId))
        .for('update');
      if (!tenant || tenant.revokedAt) return tenant;
      const revokedAt = this.clock.now();
      await tx
        .update(tenants)
        .set({ revokedAt })
        .where(eq(tenants.tenantId, tenantId));
      return { ...tenant, revokedAt };
    });
  }

  /** The active tenant whose key this is, or undefined (unknown, rotated away or revoked). */
  async authenticate(apiKey: string): Promise<Tenant | undefined> {
    const hash = tenantKeyHash(apiKey);
    const rows = await this.database.run((db) =>
      db
        .select({ ...COLUMNS, keyHash: tenants.keyHash })
        .from(tenants)
        .where(eq(tenants.keyHash, hash)),
    );
    const row = rows[0];
    if (!row || !sameKeyHash(row.keyHash, hash) || row.revokedAt)
      return undefined;
    return {
      tenantId: row.tenantId,
      name: row.name,
      createdAt: row.createdAt,
      keyRotatedAt: row.keyRotatedAt,
      revokedAt: row.revokedAt,
    };
  }
}
