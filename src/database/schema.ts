import {
  bigint,
  boolean,
  date,
  doublePrecision,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

/**
 * The tables, as the migrations in `migrations.ts` create them (the migrations are the truth; this is their typed
 * view for queries). Hashes are lower-case hex.
 */

/** An app that contributes: its key is stored only as its SHA-256. */
export const tenants = pgTable('tenants', {
  tenantId: uuid('tenant_id').primaryKey(),
  name: text('name').notNull(),
  keyHash: text('key_hash').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  keyRotatedAt: timestamp('key_rotated_at', { withTimezone: true }),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
});

/** One business's peer group in one month, under the keyed hash of its tenant's reference. */
export const businessMonths = pgTable(
  'business_months',
  {
    tenantId: uuid('tenant_id').notNull(),
    businessHash: text('business_hash').notNull(),
    period: date('period', { mode: 'string' }).notNull(),
    industry: text('industry').notNull(),
    companySize: text('company_size').notNull(),
    region: text('region').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.businessHash, t.period] })],
);

/** One business's value of one metric in one month: the latest sent wins. */
export const contributionValues = pgTable(
  'contribution_values',
  {
    tenantId: uuid('tenant_id').notNull(),
    businessHash: text('business_hash').notNull(),
    period: date('period', { mode: 'string' }).notNull(),
    metric: text('metric').notNull(),
    value: doublePrecision('value').notNull(),
  },
  (t) => [
    primaryKey({
      columns: [t.tenantId, t.businessHash, t.period, t.metric],
    }),
  ],
);

/** A publication: a job (running, then published or failed) making a numbered, immutable set of published cells. */
export const publications = pgTable('publications', {
  publicationId: integer('publication_id').primaryKey(),
  state: text('state').notNull(),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
  publishedAt: timestamp('published_at', { withTimezone: true }),
  slicesTotal: integer('slices_total').notNull(),
  publishedCells: integer('published_cells').notNull(),
  withheldCells: integer('withheld_cells').notNull(),
  durationMs: integer('duration_ms').notNull(),
  minPeers: integer('min_peers').notNull(),
  minTenants: integer('min_tenants').notNull(),
  failure: text('failure'),
});

/** An industry and month a publication has computed, with its cell counts. */
export const publicationSlices = pgTable(
  'publication_slices',
  {
    publicationId: integer('publication_id').notNull(),
    industry: text('industry').notNull(),
    period: date('period', { mode: 'string' }).notNull(),
    publishedCells: integer('published_cells').notNull(),
    withheldCells: integer('withheld_cells').notNull(),
  },
  (t) => [primaryKey({ columns: [t.publicationId, t.industry, t.period] })],
);

/** The industry and month of an erased business (never who), for the publication from which the erasure shows. */
export const erasedSlices = pgTable('erased_slices', {
  erasureId: bigint('erasure_id', { mode: 'number' }).primaryKey(),
  effectiveFrom: integer('effective_from').notNull(),
  industry: text('industry').notNull(),
  period: date('period', { mode: 'string' }).notNull(),
});

/** A peer cell's percentiles in one publication; `company_size` `all` pools the sizes. */
export const publishedCells = pgTable(
  'published_cells',
  {
    publicationId: integer('publication_id').notNull(),
    industry: text('industry').notNull(),
    companySize: text('company_size').notNull(),
    region: text('region').notNull(),
    metric: text('metric').notNull(),
    period: date('period', { mode: 'string' }).notNull(),
    n: integer('n').notNull(),
    p10: doublePrecision('p10').notNull(),
    p25: doublePrecision('p25').notNull(),
    p50: doublePrecision('p50').notNull(),
    p75: doublePrecision('p75').notNull(),
    p90: doublePrecision('p90').notNull(),
  },
  (t) => [
    primaryKey({
      columns: [
        t.publicationId,
        t.industry,
        t.metric,
        t.companySize,
        t.region,
        t.period,
      ],
    }),
  ],
);

/** The one current publication (a single row, replaced atomically). */
export const currentPublication = pgTable('current_publication', {
  singleton: boolean('singleton').primaryKey().default(true),
  publicationId: integer('publication_id').notNull(),
});

export const schema = {
  tenants,
  businessMonths,
  contributionValues,
  publications,
  publishedCells,
  publicationSlices,
  erasedSlices,
  currentPublication,
};
