import { Inject, Injectable } from '@nestjs/common';
import { sql, type SQL } from 'drizzle-orm';
import { DATABASE, rowsOf, type Database } from '../database/database';
import { PUBLISHER_LOCK, SNAPSHOT_LOCK } from './locks';

/** One business's month to store: its peer group and values, under the business's keyed hash. */
export interface MonthToStore {
  readonly businessHash: string;
  /** The first day of the month, YYYY-MM-DD. */
  readonly period: string;
  readonly industry: string;
  readonly companySize: string;
  readonly region: string;
  readonly values: Readonly<Record<string, number>>;
}

/** A month as stored. */
export interface StoredMonth {
  readonly period: string;
  readonly industry: string;
  readonly companySize: string;
  readonly region: string;
  readonly values: Record<string, number>;
  readonly receivedAt: Date;
}

/** What an erasure removed, and the publications it concerns. */
export interface Erasure {
  /** Businesses erased (for one business: 1, or 0 when nothing was stored). */
  readonly businesses: number;
  readonly months: number;
  readonly values: number;
  /** The publication served when it committed (it still holds the business until replaced). */
  readonly currentPublicationId: number | null;
  /** The publication running when it committed, if any. */
  readonly runningPublicationId: number | null;
  /** The first publication without the business: the running one, when it can still leave it out; else the next. */
  readonly effectiveFromPublicationId: number;
}

/** Businesses erased per transaction when a whole tenant is erased. */
export const TENANT_ERASURE_BATCH = 500;

/** Months of one request, one per business and month: a later one for the same month merges over an earlier one. */
export function mergeMonths(months: readonly MonthToStore[]): MonthToStore[] {
  const merged = new Map<string, MonthToStore>();
  for (const month of months) {
    const key = `${month.businessHash}|${month.period}`;
    const earlier = merged.get(key);
    merged.set(
      key,
      earlier && earlier.industry === month.industry
        ? { ...month, values: { ...earlier.values, ...month.values } }
        : month,
    );
  }
  return [...merged.values()];
}

/**
 * Contributions in the database. Everything a request stores goes in one transaction (a 2xx means committed; a
 * failure stores nothing). Only keyed hashes of business references reach the database.
 */
@Injectable()
export class ContributionsRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  /**
   * Stores the months (merged per business and month, see {@link mergeMonths}): each month's peer group is replaced,
   * each value sent replaces that metric's, other metrics of the month stay, unless the month changes industry,
   * which replaces all of them. Returns how many values were written.
   */
  async store(
    tenantId: string,
    months: readonly MonthToStore[],
    receivedAt: Date,
  ): Promise<number> {
    const merged = mergeMonths(months);
    const monthRows = JSON.stringify(
      merged.map((m) => ({
        business_hash: m.businessHash,
        period: m.period,
        industry: m.industry,
        company_size: m.companySize,
        region: m.region,
      })),
    );
    const valueRows = merged.flatMap((m) =>
      Object.entries(m.values).map(([metric, value]) => ({
        business_hash: m.businessHash,
        period: m.period,
        metric,
        value,
      })),
    );
    const received = receivedAt.toISOString();
    await this.database.transaction(async (tx) => {
      await tx.execute(sql`
          delete from contribution_values v
          using business_months m,
            jsonb_to_recordset(${monthRows}::jsonb) as n(business_hash text, period date, industry text)
          where m.tenant_id = ${tenantId}::uuid and m.business_hash = n.business_hash and m.period = n.period
            and m.industry <> n.industry
            and v.tenant_id = m.tenant_id and v.business_hash = m.business_hash and v.period = m.period`);
      await tx.execute(sql`
          insert into business_months (tenant_id, business_hash, period, industry, company_size, region, received_at)
          select ${tenantId}::uuid, n.business_hash, n.period, n.industry, n.company_size, n.region, ${received}::timestamptz
          from jsonb_to_recordset(${monthRows}::jsonb)
            as n(business_hash text, period date, industry text, company_size text, region text)
          on conflict (tenant_id, business_hash, period) do update
            set industry = excluded.industry, company_size = excluded.company_size, region = excluded.region,
                received_at = excluded.received_at`);
      await tx.execute(sql`
          insert into contribution_values (tenant_id, business_hash, period, metric, value)
          select ${tenantId}::uuid, n.business_hash, n.period, n.metric, n.value
          from jsonb_to_recordset(${JSON.stringify(valueRows)}::jsonb)
            as n(business_hash text, period date, metric text, value double precision)
          on conflict (tenant_id, business_hash, period, metric) do update set value = excluded.value`);
    });
    return valueRows.length;
  }

  /** Every month stored for the business under this tenant (or only `period`'s), oldest first; empty when none. */
  async months(
    tenantId: string,
    businessHash: string,
    period?: string,
  ): Promise<StoredMonth[]> {
    const rows = await this.database.run((db) =>
      rowsOf<{
        period: string | Date;
        industry: string;
        company_size: string;
        region: string;
        received_at: string | Date;
        values: Record<string, number> | string;
      }>(
        db,
        sql`
          select to_char(m.period, 'YYYY-MM-DD') as period, m.industry, m.company_size, m.region, m.received_at,
            coalesce(jsonb_object_agg(v.metric, v.value) filter (where v.metric is not null), '{}'::jsonb) as values
          from business_months m
          left join contribution_values v
            on v.tenant_id = m.tenant_id and v.business_hash = m.business_hash and v.period = m.period
          where m.tenant_id = ${tenantId}::uuid and m.business_hash = ${businessHash}
            ${period === undefined ? sql`` : sql`and m.period = ${period}::date`}
          group by m.period, m.industry, m.company_size, m.region, m.received_at
          order by m.period`,
      ),
    );
    return rows.map((row) => ({
      period: String(row.period),
      industry: row.industry,
      companySize: row.company_size,
      region: row.region,
      values:
        typeof row.values === 'string'
          ? (JSON.parse(row.values) as Record<string, number>)
          : row.values,
      receivedAt: new Date(row.received_at),
    }));
  }

  /**
   * Erases everything stored for the business under this tenant, at once (never waiting for a publication), and
   * records its industries and months (not who it was) for the publication from which it shows: a running publication
   * computes them again before it becomes current, unless it is becoming current right now (its final transaction
   * holds the snapshot lock); then the next one. A publication that starts later never reads the business.
   */
  erase(tenantId: string, businessHash: string): Promise<Erasure> {
    return this.eraseBusinesses(
      tenantId,
      sql`select ${businessHash}::text as business_hash`,
    );
  }

  /**
   * Erases every business of the tenant, as {@link erase} erases one, {@link TENANT_ERASURE_BATCH} businesses a
   * transaction (each within DATABASE_TIMEOUT_MS, whatever the tenant's size; a failure leaves the batches before it
   * erased, and erasing again goes on). The publications named are those of the last batch: the first without any of
   * the tenant's businesses.
   */
  async eraseTenant(tenantId: string): Promise<Erasure> {
    let total: Erasure | undefined;
    for (;;) {
      const batch = await this.eraseBusinesses(
        tenantId,
        sql`select distinct business_hash from business_months
            where tenant_id = ${tenantId}::uuid limit ${TENANT_ERASURE_BATCH}`,
      );
      if (batch.businesses === 0) return total ?? batch;
      total = {
        ...batch,
        businesses: (total?.businesses ?? 0) + batch.businesses,
        months: (total?.months ?? 0) + batch.months,
        values: (total?.values ?? 0) + batch.values,
      };
    }
  }

  /** One transaction of an erasure: the tenant's businesses that `hashes` selects (a column business_hash). */
  private async eraseBusinesses(
    tenantId: string,
    hashes: SQL,
  ): Promise<Erasure> {
    const publishing = await this.database.lockHeld(PUBLISHER_LOCK);
    return this.database.transaction(async (tx) => {
      const [state] = await rowsOf<{
        free: boolean;
        running: number | null;
        last: number | string;
        current: number | null;
      }>(
        tx,
        sql`select pg_try_advisory_xact_lock_shared(${SNAPSHOT_LOCK}) as free,
              (select max(publication_id) from publications where state = 'running') as running,
              (select coalesce(max(publication_id), 0) from publications) as last,
              (select publication_id from current_publication) as current`,
      );
      // A running row nobody publishes was left by an instance that stopped: the next publication replaces it.
      const running =
        publishing && state.running !== null ? Number(state.running) : null;
      const effectiveFrom =
        running === null
          ? Number(state.last) + 1
          : state.free
            ? running
            : running + 1;
      const [erased] = await rowsOf<{
        businesses: number | string;
        months: number | string;
        values: number | string;
      }>(
        tx,
        sql`with chosen as (${hashes}),
            slices as (
              insert into erased_slices (effective_from, industry, period)
              select distinct ${effectiveFrom}::int, m.industry, m.period from business_months m
              where m.tenant_id = ${tenantId}::uuid and m.business_hash in (select business_hash from chosen)
              returning 1),
            values_gone as (
              delete from contribution_values v
              where v.tenant_id = ${tenantId}::uuid and v.business_hash in (select business_hash from chosen)
              returning 1),
            months_gone as (
              delete from business_months m
              where m.tenant_id = ${tenantId}::uuid and m.business_hash in (select business_hash from chosen)
              returning m.business_hash)
            select (select count(distinct business_hash) from months_gone) as businesses,
                   (select count(*) from months_gone) as months,
                   (select count(*) from values_gone) as values`,
      );
      return {
        businesses: Number(erased.businesses),
        months: Number(erased.months),
        values: Number(erased.values),
        currentPublicationId:
          state.current === null ? null : Number(state.current),
        runningPublicationId: running,
        effectiveFromPublicationId: effectiveFrom,
      };
    });
  }
}
