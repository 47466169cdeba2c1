import { Inject, Injectable } from '@nestjs/common';
import { sql, type SQL } from 'drizzle-orm';
import {
  DATABASE,
  DatabaseStatementError,
  DatabaseTimeoutError,
  DatabaseUnavailableError,
  rowsOf,
  type Database,
  type Db,
  type Session,
} from '../../database/database';
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

/** A finished publication (the data source's {@link PublicationRef} and its counts). */
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

/** How many published publications are kept (readers of the one before the current may still be answering from it). */
const KEPT_PUBLICATIONS = 3;

/** Decimals each metric is published with: its unit's, as every source rounds. */
const DECIMALS = JSON.stringify(
  Object.fromEntries(
    Object.values(METRICS).map((m) => [m.name, UNIT_DECIMALS[m.unit]]),
  ),
);

/** Where a publication is: computing its cells, current or replaced, or failed (nothing of it is ever read). */
export type PublicationState = 'running' | 'published' | 'failed';

/** A publication as recorded, at any stage. */
export interface PublicationStatus {
  readonly publicationId: number;
  readonly state: PublicationState;
  /** Whether readers are served from it now. */
  readonly current: boolean;
  readonly startedAt: Date;
  /** When it became current (published) or failed. */
  readonly finishedAt?: Date;
  /** The industries and months of contributed data it computes, and how many it has computed. */
  readonly slicesTotal: number;
  readonly slicesDone: number;
  /** Cells published and withheld so far (all of them once published). */
  readonly publishedCells: number;
  readonly withheldCells: number;
  /** From start to finish, once finished. */
  readonly durationMs?: number;
  readonly minPeers: number;
  readonly minTenants: number;
  /** Why it failed. */
  readonly failure?: string;
}

/** A publication that ended without becoming current: it was recorded as failed, with why. */
export class PublicationFailedError extends Error {
  constructor(
    readonly publicationId: number,
    readonly reason: string,
  ) {
    super(`Publication ${publicationId} failed: ${reason}`);
    this.name = 'PublicationFailedError';
  }
}

/** What a publication job is given. */
export interface PublishOptions {
  readonly rules: PublicationRules;
  /** Wall-clock time, for the recorded timestamps. */
  readonly now: () => Date;
  /** Monotonic milliseconds, for the duration and the bound. */
  readonly elapsedMs: () => number;
  /** The job's bound (CONTRIBUTION_PUBLISH_TIMEOUT_MS): past it, it fails; each statement is held to what is left. */
  readonly timeoutMs: number;
  /** Called once the publication is recorded as running, before any cell is computed. */
  readonly started?: (publication: PublicationStatus) => void;
  /** Awaited before each batch of slices and before the publication becomes current (tests pause here). */
  readonly between?: (slicesDone: number) => Promise<void> | void;
  /** Stops the job before its next batch (shutdown): it fails, saying why. */
  readonly signal?: AbortSignal;
  /** Most business-months one batch computes (its transaction's size); default {@link BATCH_BUSINESS_MONTHS}. */
  readonly batchBusinessMonths?: number;
}

/**
 * Business-months per batch (an industry-month larger than this is a batch of its own): on PostgreSQL a transaction
 * of a few hundred milliseconds; on the embedded database, which computes in this process and holds its event loop
 * while it does, about a tenth of a second.
 */
export const BATCH_BUSINESS_MONTHS = { postgres: 10_000, embedded: 1_000 };

/** The failure recorded for a publication whose instance stopped while it ran. */
export const INTERRUPTED =
  'interrupted: the instance publishing it stopped before it finished';

/** An industry and month of contributed data: the unit a publication computes, and an erasure records. */
interface Slice {
  readonly industry: string;
  /** YYYY-MM-DD, the first of the month. */
  readonly period: string;
}

/** Slices in batches of at most `limit` business-months (a larger slice is a batch of its own). */
function batches<T extends Slice & { readonly n: number }>(
  slices: readonly T[],
  limit: number,
): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let size = 0;
  for (const slice of slices) {
    if (current.length > 0 && size + slice.n > limit) {
      out.push(current);
      current = [];
      size = 0;
    }
    current.push(slice);
    size += slice.n;
  }
  if (current.length > 0) out.push(current);
  return out;
}

class PublicationTimeout extends Error {}

/** What a failure is recorded as: never a statement's parameters (database errors come classified). */
function failureOf(error: unknown, timeoutMs: number): string {
  if (
    error instanceof PublicationTimeout ||
    error instanceof DatabaseTimeoutError
  )
    return `timed out: not finished within CONTRIBUTION_PUBLISH_TIMEOUT_MS (${timeoutMs} ms)`;
  if (error instanceof DatabaseUnavailableError)
    return `the database became unavailable (${error.message})`;
  if (error instanceof DatabaseStatementError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

interface StatusRow {
  publication_id: number;
  state: PublicationState;
  current: boolean;
  started_at: string | Date;
  finished_at: string | Date | null;
  slices_total: number;
  slices_done: number | string;
  published_cells: number | string;
  withheld_cells: number | string;
  duration_ms: number;
  min_peers: number;
  min_tenants: number;
  failure: string | null;
}

/**
 * Publications of contributed data, in the database. A publication is a job that holds the publisher lock: recorded
 * as running, it computes its cells industry-month by industry-month in batches (each a transaction of its own, so
 * writes and erasures never wait for it and its cost grows with the data linearly), then, in one short transaction,
 * computes again the industries and months of erasures that came meanwhile and becomes current. A failure or a crash
 * leaves the previous publication current.
 */
@Injectable()
export class PublicationRepository implements PublishedCells {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  /**
   * Publishes now, unless another instance is publishing (then undefined, and nothing recorded). Every cell of
   * industry x size x region x metric x month, and its broader cells (the size nationally, every size pooled
   * nationally), with at least `minPeers` businesses of at least `minTenants` tenants: n, and p10-p90 by
   * `percentile_cont` over the distinct businesses after trimming floor(n / 100) of them at each end, rounded to the
   * metric's unit. Cells under the thresholds are withheld (so a cell that fell under them is withdrawn). Fails with a
   * {@link PublicationFailedError} (recorded) past its bound or when the database fails it; errors before it is
   * recorded (the database unavailable) pass as they are.
   */
  async publish(options: PublishOptions): Promise<Publication | undefined> {
    return this.database.withLock(PUBLISHER_LOCK, async (session) => {
      const begun = options.elapsedMs();
      const left = () => {
        const ms = options.timeoutMs - (options.elapsedMs() - begun);
        if (ms <= 0) throw new PublicationTimeout();
        return ms;
      };
      const { publicationId, slices, startedAt } = await session.transaction(
        (tx) => this.record(tx, options),
        left(),
      );
      options.started?.({
        publicationId,
        state: 'running',
        current: false,
        startedAt,
        slicesTotal: slices.length,
        slicesDone: 0,
        publishedCells: 0,
        withheldCells: 0,
        minPeers: options.rules.minPeers,
        minTenants: options.rules.minTenants,
      });
      try {
        let done = 0;
        for (const batch of batches(
          slices,
          options.batchBusinessMonths ??
            BATCH_BUSINESS_MONTHS[this.database.kind],
        )) {
          await this.checkpoint(options, done);
          await session.transaction(
            (tx) => this.compute(tx, publicationId, batch, options.rules),
            left(),
          );
          done += batch.length;
        }
        await this.checkpoint(options, done);
        const publication = await session.transaction(
          (tx) => this.complete(tx, publicationId, begun, options),
          left(),
        );
        await this.prune(session, left).catch(() => undefined);
        return publication;
      } catch (error) {
        const reason = failureOf(error, options.timeoutMs);
        // Recorded if the database lets it; otherwise a reader finds it running with no publisher: interrupted.
        await this.database
          .run((db) =>
            db.execute(sql`
              update publications
              set state = 'failed', failure = ${reason}, finished_at = ${options.now().toISOString()}::timestamptz,
                  duration_ms = ${Math.round(options.elapsedMs() - begun)}
              where publication_id = ${publicationId} and state = 'running'`),
          )
          .catch(() => undefined);
        throw new PublicationFailedError(publicationId, reason);
      }
    });
  }

  private async checkpoint(
    options: PublishOptions,
    done: number,
  ): Promise<void> {
    // Requests that came in meanwhile go first (the embedded database's work runs in this process: without a turn of
    // the event loop, one batch would follow another with nothing served between them).
    await new Promise((resolve) => setImmediate(resolve));
    if (options.signal?.aborted)
      throw new Error('stopped: the instance publishing it shut down');
    await options.between?.(done);
  }

  /**
   * Records a new publication as running (any other still recorded as running was left by an instance that stopped:
   * the lock is ours) and lists the slices it will compute, with their business-months.
   */
  private async record(
    tx: Db,
    options: PublishOptions,
  ): Promise<{
    publicationId: number;
    startedAt: Date;
    slices: Array<Slice & { n: number }>;
  }> {
    const startedAt = options.now();
    await tx.execute(sql`
      update publications set state = 'failed', failure = ${INTERRUPTED}, finished_at = ${startedAt.toISOString()}::timestamptz
      where state = 'running'`);
    const slices = await rowsOf<{
      industry: string;
      period: string;
      n: number | string;
    }>(
      tx,
      sql`select industry, to_char(period, 'YYYY-MM-DD') as period, count(*) as n
          from business_months group by industry, period order by industry, period`,
    );
    const [next] = await rowsOf<{ id: number }>(
      tx,
      sql`select coalesce(max(publication_id), 0) + 1 as id from publications`,
    );
    const publicationId = Number(next.id);
    await tx.execute(sql`
      insert into publications (publication_id, state, started_at, slices_total, published_cells, withheld_cells,
                                duration_ms, min_peers, min_tenants)
      values (${publicationId}, 'running', ${startedAt.toISOString()}::timestamptz, ${slices.length}, 0, 0, 0,
              ${options.rules.minPeers}, ${options.rules.minTenants})`);
    return {
      publicationId,
      startedAt,
      slices: slices.map((s) => ({
        industry: s.industry,
        period: s.period,
        n: Number(s.n),
      })),
    };
  }

  /**
   * Computes the cells of the slices (every size, region and metric of each industry and month, and the broader
   * cells) from the contributions stored now, into the publication, with each slice's counts.
   */
  private async compute(
    tx: Db,
    publicationId: number,
    slices: readonly Slice[],
    rules: PublicationRules,
  ): Promise<void> {
    const list = JSON.stringify(
      slices.map((s) => ({ industry: s.industry, period: s.period })),
    );
    const kept = sql`c.n >= ${rules.minPeers} and c.tenants >= ${rules.minTenants}`;
    await tx.execute(sql`
      with slices as (
        select * from jsonb_to_recordset(${list}::jsonb) as s(industry text, period date)
      ),
      base as (
        select m.tenant_id, m.business_hash, m.industry, m.company_size, m.region, v.metric, v.period, v.value
        from slices s
        join business_months m on m.industry = s.industry and m.period = s.period
        join contribution_values v
          on v.tenant_id = m.tenant_id and v.business_hash = m.business_hash and v.period = m.period
      ),
      expanded as (
        select industry, company_size, region, metric, period, tenant_id, business_hash, value from base
        union all
        select industry, company_size, 'national', metric, period, tenant_id, business_hash, value from base
        union all
        select industry, 'all', 'national', metric, period, tenant_id, business_hash, value from base
      ),
      cells as (
        select industry, company_size, region, metric, period, count(*) as n, floor(count(*) / 100) as k,
          count(distinct tenant_id) as tenants
        from expanded group by industry, company_size, region, metric, period
      ),
      -- The percentiles of the n values without the k = floor(n / 100) lowest and highest: percentile_cont at
      -- fraction f of the m = n - 2k kept ones interpolates at position k + f(m - 1) of all n, which is percentile_cont
      -- over all of them at (k + f(m - 1)) / (n - 1). One sort per cell, no ranking.
      computed as (
        select e.industry, e.company_size, e.region, e.metric, e.period, c.n,
          percentile_cont(array[
            (c.k + 0.1 * (c.n - 2 * c.k - 1)) / (c.n - 1),
            (c.k + 0.25 * (c.n - 2 * c.k - 1)) / (c.n - 1),
            (c.k + 0.5 * (c.n - 2 * c.k - 1)) / (c.n - 1),
            (c.k + 0.75 * (c.n - 2 * c.k - 1)) / (c.n - 1),
            (c.k + 0.9 * (c.n - 2 * c.k - 1)) / (c.n - 1)
          ]::float8[]) within group (order by e.value) as p
        from expanded e
        join cells c using (industry, company_size, region, metric, period)
        where c.n >= ${rules.minPeers} and c.tenants >= ${rules.minTenants}
        group by e.industry, e.company_size, e.region, e.metric, e.period, c.n, c.k
      ),
      published as (
        insert into published_cells (publication_id, industry, company_size, region, metric, period, n, p10, p25, p50, p75, p90)
        select ${publicationId}, industry, company_size, region, metric, period, n,
          round(p[1]::numeric, d.decimals)::float8, round(p[2]::numeric, d.decimals)::float8,
          round(p[3]::numeric, d.decimals)::float8, round(p[4]::numeric, d.decimals)::float8,
          round(p[5]::numeric, d.decimals)::float8
        from computed
        cross join lateral (select coalesce((${DECIMALS}::jsonb ->> metric)::int, 4) as decimals) d
      )
      insert into publication_slices (publication_id, industry, period, published_cells, withheld_cells)
      select ${publicationId}, s.industry, s.period,
        count(c.metric) filter (where ${kept}), count(c.metric) filter (where not (${kept}))
      from slices s
      left join cells c on c.industry = s.industry and c.period = s.period
      group by s.industry, s.period`);
  }

  /**
   * Makes the publication current, in one transaction holding the snapshot lock (an erasure that finds it taken
   * records itself for the next publication): the slices of erasures recorded for this publication or an earlier one
   * are computed again without the erased businesses, the erasures' records go, and the counts are summed.
   */
  private async complete(
    tx: Db,
    publicationId: number,
    begun: number,
    options: PublishOptions,
  ): Promise<Publication> {
    await tx.execute(sql`select pg_advisory_xact_lock(${SNAPSHOT_LOCK})`);
    const erased = await rowsOf<Slice>(
      tx,
      sql`select distinct industry, to_char(period, 'YYYY-MM-DD') as period
          from erased_slices where effective_from <= ${publicationId}`,
    );
    if (erased.length > 0) {
      const list = JSON.stringify(erased);
      for (const table of [sql`published_cells`, sql`publication_slices`])
        await tx.execute(sql`
          delete from ${table} t
          using jsonb_to_recordset(${list}::jsonb) as e(industry text, period date)
          where t.publication_id = ${publicationId} and t.industry = e.industry and t.period = e.period`);
      await this.compute(tx, publicationId, erased, options.rules);
    }
    await tx.execute(
      sql`delete from erased_slices where effective_from <= ${publicationId}`,
    );
    const [counts] = await rowsOf<{
      published: number | string;
      withheld: number | string;
    }>(
      tx,
      sql`select coalesce(sum(published_cells), 0) as published, coalesce(sum(withheld_cells), 0) as withheld
          from publication_slices where publication_id = ${publicationId}`,
    );
    const publishedAt = options.now();
    const durationMs = Math.round(options.elapsedMs() - begun);
    await tx.execute(sql`
      update publications
      set state = 'published', published_at = ${publishedAt.toISOString()}::timestamptz,
          finished_at = ${publishedAt.toISOString()}::timestamptz, duration_ms = ${durationMs},
          published_cells = ${Number(counts.published)}, withheld_cells = ${Number(counts.withheld)}
      where publication_id = ${publicationId}`);
    await tx.execute(sql`
      insert into current_publication (singleton, publication_id) values (true, ${publicationId})
      on conflict (singleton) do update set publication_id = excluded.publication_id`);
    return {
      publicationId,
      publishedAt,
      publishedCells: Number(counts.published),
      withheldCells: Number(counts.withheld),
      durationMs,
    };
  }

  /**
   * Removes publications older than the last {@link KEPT_PUBLICATIONS} published ones (failed ones among them too),
   * with their cells: after the new one is current, in a transaction of its own.
   */
  private async prune(session: Session, left: () => number): Promise<void> {
    await session.transaction(
      (tx) =>
        tx.execute(sql`
          delete from publications where publication_id < (
            select min(publication_id) from (
              select publication_id from publications where state = 'published'
              order by publication_id desc limit ${KEPT_PUBLICATIONS}) kept)`),
      left(),
    );
  }

  /**
   * The publication `publicationId` as recorded, or undefined. One recorded as running while no instance holds the
   * publisher lock was left by an instance that stopped: it is reported failed, interrupted.
   */
  async status(publicationId: number): Promise<PublicationStatus | undefined> {
    const [row] = await this.statusRows(
      sql`where p.publication_id = ${publicationId}`,
    );
    if (!row) return undefined;
    return this.statusOf(
      row,
      row.state === 'running' &&
        !(await this.database.lockHeld(PUBLISHER_LOCK)),
    );
  }

  /** The publications kept, newest first (running and failed ones included). */
  async statuses(): Promise<PublicationStatus[]> {
    const rows = await this.statusRows(sql``);
    const orphaned =
      rows.some((r) => r.state === 'running') &&
      !(await this.database.lockHeld(PUBLISHER_LOCK));
    return rows.map((row) =>
      this.statusOf(row, orphaned && row.state === 'running'),
    );
  }

  private statusRows(where: SQL): Promise<StatusRow[]> {
    return this.database.run((db) =>
      rowsOf<StatusRow>(
        db,
        sql`select p.publication_id, p.state, c.publication_id is not null as current, p.started_at, p.finished_at,
              p.slices_total, p.duration_ms, p.min_peers, p.min_tenants, p.failure,
              (select count(*) from publication_slices s where s.publication_id = p.publication_id) as slices_done,
              case when p.state = 'published' then p.published_cells
                   else (select coalesce(sum(s.published_cells), 0) from publication_slices s
                         where s.publication_id = p.publication_id) end as published_cells,
              case when p.state = 'published' then p.withheld_cells
                   else (select coalesce(sum(s.withheld_cells), 0) from publication_slices s
                         where s.publication_id = p.publication_id) end as withheld_cells
            from publications p left join current_publication c using (publication_id)
            ${where}
            order by p.publication_id desc`,
      ),
    );
  }

  private statusOf(row: StatusRow, interrupted: boolean): PublicationStatus {
    const state = interrupted ? 'failed' : row.state;
    const finished = row.finished_at ?? undefined;
    return {
      publicationId: Number(row.publication_id),
      state,
      current: Boolean(row.current),
      startedAt: new Date(row.started_at),
      ...(finished ? { finishedAt: new Date(finished) } : {}),
      slicesTotal: Number(row.slices_total),
      // Publications from before the job kept no slices: a published one has done them all.
      slicesDone:
        row.state === 'published'
          ? Number(row.slices_total)
          : Number(row.slices_done),
      publishedCells: Number(row.published_cells),
      withheldCells: Number(row.withheld_cells),
      ...(row.state !== 'running'
        ? { durationMs: Number(row.duration_ms) }
        : {}),
      minPeers: Number(row.min_peers),
      minTenants: Number(row.min_tenants),
      ...(interrupted
        ? { failure: INTERRUPTED }
        : row.failure
          ? { failure: row.failure }
          : {}),
    };
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
