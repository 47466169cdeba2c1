import { Inject, Injectable } from '@nestjs/common';
import { sql } from 'drizzle-orm';
import { DATABASE, rowsOf, type Database } from '../../database/database';
import { METRICS } from '../../domain/catalog';
import { UNIT_DECIMALS } from '../../domain/format';
import type {
  PublicationRef,
  PublishedCells,
  PublishedCellValues,
} from '../../data-sources/contributed/contributed-data-source';
import { PUBLISHER_LOCK, SNAPSHOT_LOCK } from '../locks';

/** The thresholds a publication applies. */
export interface PublicationRules {
  /** Fewest businesses in a published cell (k-anonymity). */
  readonly minPeers: number;
  /** Fewest tenants in a published cell. */
  readonly minTenants: number;
}

/** A publication as recorded (the data source's {@link PublicationRef} and its counts). */
export interface Publication extends PublicationRef {
  readonly publishedCells: number;
  readonly withheldCells: number;
  readonly durationMs: number;
}

/** A published cell: one metric and month of a peer group (`all` sizes pooled, `national`). */
export interface PublishedCell extends PublishedCellValues {
  readonly industry: string;
  readonly companySize: string;
  readonly region: string;
}

/** How many publications are kept (readers of the one before the current may still be answering from it). */
const KEPT_PUBLICATIONS = 3;

/** Decimals each metric is published with: its unit's, as every source rounds. */
const DECIMALS = JSON.stringify(
  Object.fromEntries(
    Object.values(METRICS).map((m) => [m.name, UNIT_DECIMALS[m.unit]]),
  ),
);

/**
 * Publications of contributed data, in the database: the whole job in one transaction, so a publication becomes
 * current atomically and a crash leaves the previous one current.
 */
@Injectable()
export class PublicationRepository implements PublishedCells {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  /**
   * Publishes now, unless another instance is publishing (then undefined). Every cell of industry x size x region x
   * metric x month, and its broader cells (the size nationally, every size pooled nationally), with at least
   * `minPeers` businesses of at least `minTenants` tenants: n, and p10-p90 by `percentile_cont` over the distinct
   * businesses after trimming floor(n / 100) of them at each end, rounded to the metric's unit. Cells under the
   * thresholds are withheld (so a cell that fell under them is withdrawn).
   */
  async publish(
    rules: PublicationRules,
    publishedAt: Date,
    started: number,
    now: () => number,
  ): Promise<Publication | undefined> {
    return this.database.transaction(async (tx) => {
      const [lock] = await rowsOf<{ locked: boolean }>(
        tx,
        sql`select pg_try_advisory_xact_lock(${PUBLISHER_LOCK}) as locked`,
      );
      if (!lock.locked) return undefined;
      // Erasures hold this shared: the contributions read below are those of every erasure committed before.
      await tx.execute(sql`select pg_advisory_xact_lock(${SNAPSHOT_LOCK})`);
      const [next] = await rowsOf<{ id: number }>(
        tx,
        sql`select coalesce(max(publication_id), 0) + 1 as id from publications`,
      );
      const publicationId = Number(next.id);
      await tx.execute(sql`
          create temporary table publication_cells on commit drop as
          with base as (
            select v.tenant_id, v.business_hash, v.metric, v.period, v.value, m.industry, m.company_size, m.region
            from contribution_values v
            join business_months m
              on m.tenant_id = v.tenant_id and m.business_hash = v.business_hash and m.period = v.period
          )
          select industry, company_size, region, metric, period, tenant_id, business_hash, value from base
          union all
          select industry, company_size, 'national', metric, period, tenant_id, business_hash, value from base
          union all
          select industry, 'all', 'national', metric, period, tenant_id, business_hash, value from base`);
      const [counts] = await rowsOf<{
        published: number | string;
        withheld: number | string;
      }>(
        tx,
        sql`
          with cells as (
            select count(*) as n, count(distinct tenant_id) as tenants
            from publication_cells group by industry, company_size, region, metric, period
          )
          select count(*) filter (where n >= ${rules.minPeers} and tenants >= ${rules.minTenants}) as published,
                 count(*) filter (where not (n >= ${rules.minPeers} and tenants >= ${rules.minTenants})) as withheld
          from cells`,
      );
      await tx.execute(sql`
          insert into publications (publication_id, published_at, published_cells, withheld_cells, duration_ms, min_peers, min_tenants)
          values (${publicationId}, ${publishedAt.toISOString()}::timestamptz, ${Number(counts.published)},
                  ${Number(counts.withheld)}, 0, ${rules.minPeers}, ${rules.minTenants})`);
      await tx.execute(sql`
          insert into published_cells (publication_id, industry, company_size, region, metric, period, n, p10, p25, p50, p75, p90)
          with cells as (
            select industry, company_size, region, metric, period, count(*) as n, count(distinct tenant_id) as tenants
            from publication_cells group by industry, company_size, region, metric, period
          ),
          ranked as (
            select c.industry, c.company_size, c.region, c.metric, c.period, c.n, p.value,
              row_number() over (
                partition by c.industry, c.company_size, c.region, c.metric, c.period
                order by p.value, p.tenant_id, p.business_hash) as rank
            from publication_cells p
            join cells c using (industry, company_size, region, metric, period)
            where c.n >= ${rules.minPeers} and c.tenants >= ${rules.minTenants}
          ),
          kept as (
            select * from ranked where rank > floor(n / 100) and rank <= n - floor(n / 100)
          ),
          computed as (
            select industry, company_size, region, metric, period, n,
              percentile_cont(array[0.1, 0.25, 0.5, 0.75, 0.9]) within group (order by value) as p
            from kept group by industry, company_size, region, metric, period, n
          )
          select ${publicationId}, industry, company_size, region, metric, period, n,
            round(p[1]::numeric, d.decimals)::float8, round(p[2]::numeric, d.decimals)::float8,
            round(p[3]::numeric, d.decimals)::float8, round(p[4]::numeric, d.decimals)::float8,
            round(p[5]::numeric, d.decimals)::float8
          from computed
          cross join lateral (select coalesce((${DECIMALS}::jsonb ->> metric)::int, 4) as decimals) d`);
      const durationMs = Math.round(now() - started);
      await tx.execute(sql`
          update publications set duration_ms = ${durationMs} where publication_id = ${publicationId}`);
      await tx.execute(sql`
          insert into current_publication (singleton, publication_id) values (true, ${publicationId})
          on conflict (singleton) do update set publication_id = excluded.publication_id`);
      await tx.execute(sql`
          delete from publications where publication_id <= ${publicationId - KEPT_PUBLICATIONS}`);
      return {
        publicationId,
        publishedAt,
        publishedCells: Number(counts.published),
        withheldCells: Number(counts.withheld),
        durationMs,
      };
    });
  }

  /**
   * Whether the database is in use: a server always; the embedded one once something has opened it (opening it costs
   * hundreds of MB of memory, so neither the schedule nor readers do it for an instance that stores nothing).
   */
  inUse(): boolean {
    return this.database.kind === 'postgres' || this.database.isOpen();
  }

  /**
   * The current publication, or undefined before the first. An embedded database that nothing has opened yet is not
   * opened for this (the service opens it at start; an app that never does, such as a test's, has published nothing).
   */
  async current(): Promise<Publication | undefined> {
    if (!this.inUse()) return undefined;
    const [row] = await this.database.run((db) =>
      rowsOf<{
        publication_id: number;
        published_at: string | Date;
        published_cells: number;
        withheld_cells: number;
        duration_ms: number;
      }>(
        db,
        sql`select p.publication_id, p.published_at, p.published_cells, p.withheld_cells, p.duration_ms
            from current_publication c join publications p using (publication_id)`,
      ),
    );
    return row
      ? {
          publicationId: Number(row.publication_id),
          publishedAt: new Date(row.published_at),
          publishedCells: Number(row.published_cells),
          withheldCells: Number(row.withheld_cells),
          durationMs: Number(row.duration_ms),
        }
      : undefined;
  }

  /** The publication's cells of one peer group, for the metrics, over an inclusive range of months (YYYY-MM-01). */
  async cells(
    publicationId: number,
    peers: { industry: string; companySize: string; region: string },
    metrics: readonly string[],
    firstPeriod: string,
    lastPeriod: string,
  ): Promise<PublishedCell[]> {
    const rows = await this.database.run((db) =>
      rowsOf<{
        industry: string;
        company_size: string;
        region: string;
        metric: string;
        period: string;
        n: number;
        p10: number;
        p25: number;
        p50: number;
        p75: number;
        p90: number;
      }>(
        db,
        sql`select industry, company_size, region, metric, to_char(period, 'YYYY-MM-DD') as period, n, p10, p25, p50, p75, p90
            from published_cells
            where publication_id = ${publicationId} and industry = ${peers.industry}
              and company_size = ${peers.companySize} and region = ${peers.region}
              and metric in (select jsonb_array_elements_text(${JSON.stringify(metrics)}::jsonb))
              and period between ${firstPeriod}::date and ${lastPeriod}::date
            order by metric, period`,
      ),
    );
    return rows.map((r) => ({
      industry: r.industry,
      companySize: r.company_size,
      region: r.region,
      metric: r.metric,
      period: r.period,
      n: Number(r.n),
      p10: Number(r.p10),
      p25: Number(r.p25),
      p50: Number(r.p50),
      p75: Number(r.p75),
      p90: Number(r.p90),
    }));
  }

  /** Businesses per published cell of the current publication (for the metrics' histogram). */
  async cellSizes(publicationId: number): Promise<number[]> {
    const rows = await this.database.run((db) =>
      rowsOf<{ n: number }>(
        db,
        sql`select n from published_cells where publication_id = ${publicationId}`,
      ),
    );
    return rows.map((r) => Number(r.n));
  }
}
