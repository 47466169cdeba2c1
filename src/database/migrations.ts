/**
 * The database's migrations, in order; checked in and never edited once released (add a new one instead). Each is
 * a list of statements run in one transaction with the others still missing, under an advisory lock, so instances
 * starting together migrate once. PostgreSQL's DDL is transactional: a failed migration leaves nothing.
 */
export interface Migration {
  /** Sortable and unique: `NNNN-what`. */
  readonly id: string;
  readonly statements: readonly string[];
}

export const MIGRATIONS: readonly Migration[] = [
  {
    id: '0001-contributions',
    statements: [
      `create table tenants (
        tenant_id uuid primary key,
        name text not null check (length(name) between 1 and 200),
        key_hash text not null,
        created_at timestamptz not null,
        key_rotated_at timestamptz,
        revoked_at timestamptz
      )`,
      `create unique index tenants_key_hash on tenants (key_hash)`,
      `create table business_months (
        tenant_id uuid not null references tenants (tenant_id),
        business_hash text not null,
        period date not null check (extract(day from period) = 1),
        industry text not null,
        company_size text not null,
        region text not null,
        received_at timestamptz not null,
        primary key (tenant_id, business_hash, period)
      )`,
      `create index business_months_cell on business_months (industry, period)`,
      `create table contribution_values (
        tenant_id uuid not null,
        business_hash text not null,
        period date not null,
        metric text not null,
        value double precision not null,
        primary key (tenant_id, business_hash, period, metric),
        foreign key (tenant_id, business_hash, period)
          references business_months (tenant_id, business_hash, period) on delete cascade
      )`,
      `create table publications (
        publication_id integer primary key,
        published_at timestamptz not null,
        published_cells integer not null,
        withheld_cells integer not null,
        duration_ms integer not null,
        min_peers integer not null,
        min_tenants integer not null
      )`,
      `create table published_cells (
        publication_id integer not null references publications (publication_id) on delete cascade,
        industry text not null,
        company_size text not null,
        region text not null,
        metric text not null,
        period date not null,
        n integer not null,
        p10 double precision not null,
        p25 double precision not null,
        p50 double precision not null,
        p75 double precision not null,
        p90 double precision not null,
        primary key (publication_id, industry, metric, company_size, region, period)
      )`,
      `create table current_publication (
        singleton boolean primary key default true check (singleton),
        publication_id integer not null references publications (publication_id)
      )`,
    ],
  },
  {
    id: '0002-publication-jobs',
    statements: [
      // A publication is a job now: running, then published or failed; its counts grow slice by slice.
      `alter table publications
        add column state text not null default 'published' check (state in ('running', 'published', 'failed')),
        add column started_at timestamptz,
        add column finished_at timestamptz,
        add column slices_total integer not null default 0,
        add column failure text`,
      `alter table publications alter column published_at drop not null`,
      `update publications set started_at = published_at, finished_at = published_at`,
      `alter table publications alter column started_at set not null`,
      // One row per industry and month a publication has computed: its progress, and its cell counts.
      `create table publication_slices (
        publication_id integer not null references publications (publication_id) on delete cascade,
        industry text not null,
        period date not null,
        published_cells integer not null,
        withheld_cells integer not null,
        primary key (publication_id, industry, period)
      )`,
      // The industries and months of erased businesses (never who), for the publication from which the erasure shows:
      // it computes them again before it becomes current.
      `create table erased_slices (
        erasure_id bigint generated always as identity primary key,
        effective_from integer not null,
        industry text not null,
        period date not null
      )`,
      `create index erased_slices_effective on erased_slices (effective_from)`,
    ],
  },
];
