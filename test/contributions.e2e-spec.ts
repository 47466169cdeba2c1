import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { join } from 'node:path';
import type { ContributedDataSource } from '../src/data-sources/contributed/contributed-data-source';
import { DATA_SOURCE } from '../src/data-sources/data-source.interface';
import { PUBLICATION_CHECKPOINT } from '../src/contributions/publication/publication.service';
import { createTestApp } from './utils/create-test-app';
import { expectErrorAnswer, messageOf, type ErrorBody } from './utils/http';
import {
  createPrivateDatabase,
  describeWithPostgres,
  temporaryDataDir,
  type PrivateDatabase,
} from './utils/postgres-test-env';
import { TcpProxy } from '../tools/tcp-proxy/tcp-proxy';
import { percentileCont } from './utils/percentile-cont';
import {
  describeEachDatabase,
  TEST_HASH_SECRET,
  type TestDatabase,
} from './utils/test-databases';

const ADMIN_API_KEY = 'test-admin-key-0123456789';
const ADMIN = { authorization: `Bearer ${ADMIN_API_KEY}` };
const BASE = '/api/benchmarks';

interface CreatedTenant {
  tenant_id: string;
  name: string;
  status: string;
  api_key: string;
}

function appFor(database: TestDatabase, env: Record<string, string> = {}) {
  return createTestApp({ env: { ADMIN_API_KEY, ...database.env, ...env } });
}

async function createTenant(
  app: NestFastifyApplication,
  name: string,
): Promise<CreatedTenant> {
  const res = await app.inject({
    method: 'POST',
    url: `${BASE}/admin/tenants`,
    headers: { ...ADMIN, 'content-type': 'application/json' },
    payload: JSON.stringify({ name }),
  });
  expect(res.statusCode).toBe(201);
  return res.json<CreatedTenant>();
}

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

/** A publication as GET /admin/publications/{id} answers it. */
interface PublicationAnswer {
  publication_id: number;
  state: 'running' | 'published' | 'failed';
  current: boolean;
  slices_total: number;
  slices_done: number;
  published_cells: number;
  withheld_cells: number;
  failure: string | null;
}

/** Follows a publication at its Location until it is no longer running (polling: it runs in the background). */
async function followed(
  app: NestFastifyApplication,
  location: string,
): Promise<PublicationAnswer> {
  for (;;) {
    const res = await app.inject({
      method: 'GET',
      url: location,
      headers: ADMIN,
    });
    expect(res.statusCode).toBe(200);
    const answer = res.json<PublicationAnswer>();
    if (answer.state !== 'running') return answer;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** POST /admin/publications (202, a Location), then the publication once it has ended. */
async function published(
  app: NestFastifyApplication,
): Promise<PublicationAnswer> {
  const res = await app.inject({
    method: 'POST',
    url: `${BASE}/admin/publications`,
    headers: ADMIN,
  });
  expect(res.statusCode).toBe(202);
  const started = res.json<PublicationAnswer>();
  expect(started.state).toBe('running');
  expect(res.headers.location).toBe(
    `${BASE}/admin/publications/${started.publication_id}`,
  );
  const ended = await followed(app, res.headers.location as string);
  expect(ended).toMatchObject({
    state: 'published',
    current: true,
    failure: null,
  });
  return ended;
}

function put(
  app: NestFastifyApplication,
  key: string,
  ref: string,
  period: string,
  body: unknown,
) {
  return app.inject({
    method: 'PUT',
    url: `${BASE}/contributions/${ref}/${period}`,
    headers: { ...bearer(key), 'content-type': 'application/json' },
    payload: JSON.stringify(body),
  });
}

function batch(app: NestFastifyApplication, key: string, records: unknown[]) {
  return app.inject({
    method: 'POST',
    url: `${BASE}/contributions/batch`,
    headers: { ...bearer(key), 'content-type': 'application/json' },
    payload: JSON.stringify({ records }),
  });
}

const exportOf = (app: NestFastifyApplication, key: string, ref: string) =>
  app.inject({
    method: 'GET',
    url: `${BASE}/contributions/${ref}`,
    headers: bearer(key),
  });

const erase = (app: NestFastifyApplication, key: string, ref: string) =>
  app.inject({
    method: 'DELETE',
    url: `${BASE}/contributions/${ref}`,
    headers: bearer(key),
  });

const RETAIL = { industry: 'retail', company_size: 'small', region: 'midwest' };

/** Every text column of the contribution tables, to show what is (and is not) stored. */
async function storedText(database: TestDatabase): Promise<string> {
  const query = `select coalesce(string_agg(t::text, ' '), '') as text from (
      select business_hash || ' ' || industry as t from business_months
      union all select business_hash || ' ' || metric || ' ' || value from contribution_values
      union all select name || ' ' || key_hash from tenants) rows`;
  if (database.kind === 'postgres') {
    const client = new Client({ connectionString: database.env.DATABASE_URL });
    await client.connect();
    try {
      return (await client.query<{ text: string }>(query)).rows[0].text;
    } finally {
      await client.end();
    }
  }
  // The app holds the embedded directory: the tests read it after closing the app (see below).
  const pg = new PGlite(join(database.env.DATA_DIR, 'pglite'));
  try {
    return (await pg.query<{ text: string }>(query)).rows[0].text;
  } finally {
    await pg.close();
  }
}

describeEachDatabase('tenants and contributions (e2e)', (database) => {
  let app: NestFastifyApplication;
  let tenantA: CreatedTenant;
  let tenantB: CreatedTenant;

  beforeAll(async () => {
    app = await appFor(database());
    tenantA = await createTenant(app, ' Acme Books ');
    tenantB = await createTenant(app, 'Ledgerly');
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  describe('tenants (admin)', () => {
    it('should create a tenant with a key shown once and list tenants without keys', async () => {
      expect(tenantA).toMatchObject({ name: 'Acme Books', status: 'active' });
      expect(tenantA.api_key).toMatch(/^bmk_[A-Za-z0-9_-]{43}$/);
      const list = await app.inject({
        method: 'GET',
        url: `${BASE}/admin/tenants`,
        headers: ADMIN,
      });
      expect(list.statusCode).toBe(200);
      const body = list.json<{
        tenants: Array<Record<string, unknown>>;
        count: number;
      }>();
      expect(body.tenants.map((t) => t.name)).toEqual([
        'Acme Books',
        'Ledgerly',
      ]);
      expect(body.count).toBe(2);
      expect(list.body).not.toContain(tenantA.api_key);
      expect(list.body).not.toContain('api_key');
    });

    it('should refuse the admin endpoints without the admin key, or with a tenant key', async () => {
      const none = await app.inject({
        method: 'GET',
        url: `${BASE}/admin/tenants`,
      });
      expectErrorAnswer(none, 401, 'Send the admin key');
      const tenantKey = await app.inject({
        method: 'GET',
        url: `${BASE}/admin/tenants`,
        headers: bearer(tenantA.api_key),
      });
      expectErrorAnswer(
        tenantKey,
        401,
        'The admin key in the Authorization header is not valid',
      );
    });

    it('should refuse a nameless tenant, a malformed id and an unknown one, naming the field', async () => {
      const nameless = await app.inject({
        method: 'POST',
        url: `${BASE}/admin/tenants`,
        headers: { ...ADMIN, 'content-type': 'application/json' },
        payload: JSON.stringify({ name: '   ' }),
      });
      expectErrorAnswer(nameless, 400, 'name should not be empty');
      // PostgreSQL text cannot hold a NUL: refused as input, not failed as a statement.
      const nul = await app.inject({
        method: 'POST',
        url: `${BASE}/admin/tenants`,
        headers: { ...ADMIN, 'content-type': 'application/json' },
        payload: JSON.stringify({ name: 'Acme\u0000Books' }),
      });
      expectErrorAnswer(nul, 400, 'name must not contain control characters');
      const malformed = await app.inject({
        method: 'POST',
        url: `${BASE}/admin/tenants/not-a-uuid/rotate-key`,
        headers: ADMIN,
      });
      expectErrorAnswer(malformed, 400, 'tenant_id must be a UUID');
      const unknown = await app.inject({
        method: 'DELETE',
        url: `${BASE}/admin/tenants/00000000-0000-4000-8000-000000000000`,
        headers: ADMIN,
      });
      expectErrorAnswer(
        unknown,
        404,
        'No tenant 00000000-0000-4000-8000-000000000000',
      );
    });

    it('should refuse a name with a lone surrogate or a bidirectional control, and store and echo it NFC-normalised (review, issue 24)', async () => {
      const create = (payload: string) =>
        app.inject({
          method: 'POST',
          url: `${BASE}/admin/tenants`,
          headers: { ...ADMIN, 'content-type': 'application/json' },
          payload,
        });
      // Sent as JSON escapes: a lone surrogate cannot be encoded in UTF-8 at all.
      for (const name of ['\\ud800x', 'x\\udfff', '\\udc00\\ud800'])
        expectErrorAnswer(
          await create(`{"name": "${name}"}`),
          400,
          'name must be well-formed Unicode (no lone surrogate)',
        );
      for (const control of [
        '\u202a',
        '\u202b',
        '\u202c',
        '\u202d',
        '\u202e',
        '\u2066',
        '\u2067',
        '\u2068',
        '\u2069',
        '\u200e',
        '\u200f',
        '\u061c',
      ])
        expectErrorAnswer(
          await create(JSON.stringify({ name: `Acme${control}skooB` })),
          400,
          'name must not contain bidirectional control characters',
        );
      // "Café Lune" with combining accents (e + U+0301): stored, answered and listed precomposed (U+00E9).
      const created = await createTenant(app, '  Cafe\u0301 Lune\u0301  ');
      expect(created.name).toBe('Caf\u00e9 Lun\u00e9');
      const listed = (
        await app.inject({
          method: 'GET',
          url: `${BASE}/admin/tenants`,
          headers: ADMIN,
        })
      ).json<{ tenants: Array<{ tenant_id: string; name: string }> }>();
      expect(
        listed.tenants.find((t) => t.tenant_id === created.tenant_id)?.name,
      ).toBe(created.name);
      // A well-formed pair (an emoji) is no lone surrogate.
      expect((await createTenant(app, 'Books \u{1f4da}')).name).toBe(
        'Books \u{1f4da}',
      );
    });

    it('should refuse a rotated key and a revoked one at once, on another instance of a shared server', async () => {
      // The embedded database belongs to one instance (a second one on its directory is refused, see below).
      const shared = database().kind === 'postgres';
      const other = shared ? await appFor(database()) : app;
      try {
        const tenant = await createTenant(app, 'Rotating');
        const ok = await exportOf(other, tenant.api_key, 'nobody');
        expect(ok.statusCode).toBe(404); // authenticated: nothing stored
        const rotated = await app.inject({
          method: 'POST',
          url: `${BASE}/admin/tenants/${tenant.tenant_id}/rotate-key`,
          headers: ADMIN,
        });
        expect(rotated.statusCode).toBe(200);
        const newKey = rotated.json<CreatedTenant>().api_key;
        expect(newKey).not.toBe(tenant.api_key);
        const old = await exportOf(other, tenant.api_key, 'nobody');
        expectErrorAnswer(
          old,
          401,
          'not valid: unknown, replaced by a rotation, or revoked',
        );
        expect(old.headers['www-authenticate']).toBe(
          'Bearer realm="benchmark-api"',
        );
        expect((await exportOf(other, newKey, 'nobody')).statusCode).toBe(404);

        const revoked = await app.inject({
          method: 'DELETE',
          url: `${BASE}/admin/tenants/${tenant.tenant_id}`,
          headers: ADMIN,
        });
        expect(revoked.statusCode).toBe(200);
        expect(revoked.json()).toMatchObject({
          status: 'revoked',
          tenant_id: tenant.tenant_id,
        });
        expectErrorAnswer(
          await exportOf(other, newKey, 'nobody'),
          401,
          'not valid',
        );
        const again = await app.inject({
          method: 'DELETE',
          url: `${BASE}/admin/tenants/${tenant.tenant_id}`,
          headers: ADMIN,
        });
        expect(again.json()).toEqual(revoked.json());
        const rotateRevoked = await app.inject({
          method: 'POST',
          url: `${BASE}/admin/tenants/${tenant.tenant_id}/rotate-key`,
          headers: ADMIN,
        });
        expectErrorAnswer(rotateRevoked, 409, 'is revoked');
      } finally {
        if (shared) await other.close();
      }
    }, 60_000);

    it("should let the admin export and erase a revoked tenant's businesses, one or all", async () => {
      const tenant = await createTenant(app, 'Leaving');
      const staying = await createTenant(app, 'Staying');
      expect(
        (
          await put(app, staying.api_key, 'gone-1', '2024-12-01', {
            ...RETAIL,
            values: { profit_margin: 0.01 },
          })
        ).statusCode,
      ).toBe(200);
      for (const ref of ['gone-1', 'gone-2', 'gone-3'])
        expect(
          (
            await put(app, tenant.api_key, ref, '2024-12-01', {
              ...RETAIL,
              values: { profit_margin: 0.07, gross_margin: 0.3 },
            })
          ).statusCode,
        ).toBe(200);
      await app.inject({
        method: 'DELETE',
        url: `${BASE}/admin/tenants/${tenant.tenant_id}`,
        headers: ADMIN,
      });
      expect((await exportOf(app, tenant.api_key, 'gone-1')).statusCode).toBe(
        401,
      );
      const admin = (method: 'GET' | 'DELETE', path: string) =>
        app.inject({
          method,
          url: `${BASE}/admin/tenants/${tenant.tenant_id}/contributions${path}`,
          headers: ADMIN,
        });
      const exported = await admin('GET', '/gone-1');
      expect(exported.statusCode).toBe(200);
      expect(exported.json()).toMatchObject({
        business_ref: 'gone-1',
        count: 1,
        contributions: [
          {
            period: '2024-12-01',
            values: { profit_margin: 0.07, gross_margin: 0.3 },
          },
        ],
      });
      const erased = await admin('DELETE', '/gone-1');
      expect(erased.statusCode).toBe(200);
      expect(erased.json()).toMatchObject({
        business_ref: 'gone-1',
        erased_months: 1,
        erased_values: 2,
      });
      expectErrorAnswer(
        await admin('GET', '/gone-1'),
        404,
        `No contributions stored for business_ref "gone-1" under tenant ${tenant.tenant_id}`,
      );
      const all = await admin('DELETE', '');
      expect(all.statusCode).toBe(200);
      expect(all.json()).toMatchObject({
        tenant_id: tenant.tenant_id,
        erased_businesses: 2,
        erased_months: 2,
        erased_values: 4,
      });
      expect((await admin('GET', '/gone-2')).statusCode).toBe(404);
      expect((await admin('DELETE', '')).json()).toMatchObject({
        erased_businesses: 0,
      });
      // Another tenant's businesses are untouched; an unknown tenant, a bad id, no admin key: refused.
      expect((await exportOf(app, staying.api_key, 'gone-1')).statusCode).toBe(
        200,
      );
      expectErrorAnswer(
        await app.inject({
          method: 'DELETE',
          url: `${BASE}/admin/tenants/0b7e3c1e-6a55-4c8e-9d43-2f0e8f1c9a10/contributions`,
          headers: ADMIN,
        }),
        404,
        'No tenant 0b7e3c1e-6a55-4c8e-9d43-2f0e8f1c9a10',
      );
      expectErrorAnswer(
        await app.inject({
          method: 'GET',
          url: `${BASE}/admin/tenants/not-a-uuid/contributions/gone-2`,
          headers: ADMIN,
        }),
        400,
        'tenant_id must be a UUID',
      );
      expect(
        (
          await app.inject({
            method: 'DELETE',
            url: `${BASE}/admin/tenants/${tenant.tenant_id}/contributions`,
            headers: bearer(tenantB.api_key),
          })
        ).statusCode,
      ).toBe(401);
    });
  });

  describe('contributions', () => {
    it('should refuse every contribution endpoint without a tenant key', async () => {
      const res = await put(app, 'bmk_wrong', 'acct-1', '2024-12-01', {
        ...RETAIL,
        values: { profit_margin: 0.1 },
      });
      expectErrorAnswer(res, 401, 'not valid');
      const none = await app.inject({
        method: 'GET',
        url: `${BASE}/contributions/acct-1`,
      });
      expectErrorAnswer(none, 401, 'Send your tenant key');
    });

    it('should refuse a batch without a valid tenant key before reading its body (only tenants get 4 MiB)', async () => {
      // Not JSON at all: parsed, it would be a 400. The 401 says the body was never parsed.
      const notJson = '{"records": [' + '{"x": 1} '.repeat(1000);
      for (const [key, expected] of [
        [undefined, 'Send your tenant key'],
        ['bmk_made_up_0123456789', 'not valid'],
      ] as const) {
        const res = await app.inject({
          method: 'POST',
          url: `${BASE}/contributions/batch`,
          headers: {
            ...(key ? bearer(key) : {}),
            'content-type': 'application/json',
          },
          payload: notJson,
        });
        expectErrorAnswer(res, 401, expected);
        expect(res.headers['www-authenticate']).toBe(
          'Bearer realm="benchmark-api"',
        );
      }
      const tenants = await app.inject({
        method: 'POST',
        url: `${BASE}/contributions/batch`,
        headers: {
          ...bearer(tenantA.api_key),
          'content-type': 'application/json',
        },
        payload: notJson,
      });
      expectErrorAnswer(tenants, 400, 'not valid JSON');
    });

    it('should store a month, merge later metrics into it, let the latest value win, and export it', async () => {
      const first = await put(app, tenantA.api_key, 'acct-1', '2024-12-17', {
        ...RETAIL,
        values: { profit_margin: 0.05, revenue_per_employee: 150000 },
      });
      expect(first.statusCode).toBe(200);
      expect(first.json()).toMatchObject({
        business_ref: 'acct-1',
        period: '2024-12-01',
        ...RETAIL,
        values: { profit_margin: 0.05, revenue_per_employee: 150000 },
      });
      const second = await put(app, tenantA.api_key, 'acct-1', '2024-12-01', {
        ...RETAIL,
        company_size: 'medium',
        values: { profit_margin: 0.061, gross_margin: 0.4 },
      });
      expect(second.json()).toMatchObject({
        company_size: 'medium',
        values: {
          profit_margin: 0.061,
          revenue_per_employee: 150000,
          gross_margin: 0.4,
        },
      });
      await put(app, tenantA.api_key, 'acct-1', '2025-01-05', {
        ...RETAIL,
        values: { profit_margin: 0.02 },
      });
      const exported = await exportOf(app, tenantA.api_key, 'acct-1');
      expect(exported.statusCode).toBe(200);
      const body = exported.json<{
        contributions: Array<{ period: string; values: object }>;
        count: number;
      }>();
      expect(body.count).toBe(2);
      expect(body.contributions.map((c) => c.period)).toEqual([
        '2024-12-01',
        '2025-01-01',
      ]);
      expect(body.contributions[0].values).toEqual({
        profit_margin: 0.061,
        revenue_per_employee: 150000,
        gross_margin: 0.4,
      });
    });

    it('should replace every value of a month whose industry changes', async () => {
      await put(app, tenantA.api_key, 'acct-switch', '2024-11-01', {
        ...RETAIL,
        values: { gross_margin: 0.3 },
      });
      const switched = await put(
        app,
        tenantA.api_key,
        'acct-switch',
        '2024-11-01',
        {
          ...RETAIL,
          industry: 'restaurant',
          values: { profit_margin: 0.04 },
        },
      );
      expect(switched.json()).toMatchObject({
        industry: 'restaurant',
        values: { profit_margin: 0.04 },
      });
      expect(Object.keys(switched.json<{ values: object }>().values)).toEqual([
        'profit_margin',
      ]);
    });

    it('should validate as /compare does, naming the field and what is allowed', async () => {
      const key = tenantA.api_key;
      expectErrorAnswer(
        await put(app, key, 'acct-2', '2024-12-01', {
          ...RETAIL,
          industry: 'bakery',
          values: { profit_margin: 0.1 },
        }),
        404,
        'industry "bakery" is unknown. Available industries: retail',
      );
      expectErrorAnswer(
        await put(app, key, 'acct-2', '2024-12-01', {
          ...RETAIL,
          values: { table_turns: 3 },
        }),
        404,
        'unknown metric "table_turns" for industry retail',
      );
      expectErrorAnswer(
        await put(app, key, 'acct-2', '2024-12-01', {
          ...RETAIL,
          values: { profit_margin: 12 },
        }),
        400,
        'values.profit_margin must be between -10 and 1 (got 12)',
      );
      expectErrorAnswer(
        await put(app, key, 'acct-2', '2024-12-01', {
          ...RETAIL,
          region: 'national',
          values: { profit_margin: 0.1 },
        }),
        400,
        "region must be the business's own region",
      );
      expectErrorAnswer(
        await put(app, key, 'acct-2', '2025-03-01', {
          ...RETAIL,
          values: { profit_margin: 0.1 },
        }),
        400,
        'period must not be after 2025-02-01',
      );
      expectErrorAnswer(
        await put(app, key, 'acct-2', '2024-02-30', {
          ...RETAIL,
          values: { profit_margin: 0.1 },
        }),
        400,
        'period must be a real calendar date in the form YYYY-MM-DD',
      );
      expectErrorAnswer(
        await put(app, key, 'acct%202', '2024-12-01', {
          ...RETAIL,
          values: { profit_margin: 0.1 },
        }),
        400,
        'business_ref must be 1-100 characters',
      );
      expectErrorAnswer(
        await put(app, key, 'acct-2', '2024-12-01', {
          ...RETAIL,
          company_size: 'huge',
          values: { profit_margin: 0.1 },
        }),
        400,
        'company_size must be one of the following values: small, medium, large',
      );
      expectErrorAnswer(
        await put(app, key, 'acct-2', '2024-12-01', {
          ...RETAIL,
          values: { profit_margin: 0.1 },
          extra: 1,
        }),
        400,
        'property extra should not exist',
      );
      expectErrorAnswer(
        await exportOf(app, key, 'acct-2'),
        404,
        'No contributions stored for business_ref "acct-2"',
      );
    });

    it('should store a batch of 40 businesses in one answer', async () => {
      const records = Array.from({ length: 40 }, (_, i) => ({
        business_ref: `batch-${i}`,
        period: '2025-02-10',
        ...RETAIL,
        values: { profit_margin: -0.05 + i * 0.005, gross_margin: 0.3 },
      }));
      const res = await batch(app, tenantA.api_key, records);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        stored: 40,
        businesses: 40,
        values: 80,
      });
      const one = await exportOf(app, tenantA.api_key, 'batch-39');
      expect(
        one.json<{ contributions: Array<{ values: object }> }>()
          .contributions[0].values,
      ).toEqual({
        profit_margin: -0.05 + 39 * 0.005,
        gross_margin: 0.3,
      });
    });

    it("should refuse a batch with any bad record, listing each record's problems, and store none of it", async () => {
      const records: unknown[] = Array.from({ length: 10 }, (_, i) => ({
        business_ref: `refused-${i}`,
        period: '2025-01-01',
        ...RETAIL,
        values: { profit_margin: 0.1 },
      }));
      records[3] = { ...(records[3] as object), values: { profit_margin: 5 } };
      records[7] = { ...(records[7] as object), industry: 'bakery' };
      records[8] = 'not an object';
      records[9] = { ...(records[9] as object), surprise: true };
      const res = await batch(app, tenantA.api_key, records);
      const body = expectErrorAnswer(
        res,
        400,
        'records[3].values.profit_margin must be between -10 and 1 (got 5)',
      );
      expect(messageOf(body)).toContain(
        'records[7].industry "bakery" is unknown',
      );
      expect(messageOf(body)).toContain('records[8] must be an object');
      expect(messageOf(body)).toContain('records[9].surprise should not exist');
      expect(body.message).toHaveLength(4);
      expect(
        (await exportOf(app, tenantA.api_key, 'refused-0')).statusCode,
      ).toBe(404);
      expectErrorAnswer(
        await batch(app, tenantA.api_key, []),
        400,
        'records must hold at least one contribution',
      );
      const tooMany = Array.from({ length: 1001 }, () => records[0]);
      expectErrorAnswer(
        await batch(app, tenantA.api_key, tooMany),
        400,
        'records has more than 1000 items: an array in a request body may have at most 1000',
      );
    });

    it("should keep each tenant to its own businesses: B can neither see nor erase A's", async () => {
      const seen = await exportOf(app, tenantB.api_key, 'acct-1');
      const missing = await exportOf(app, tenantB.api_key, 'acct-never');
      expectErrorAnswer(
        seen,
        404,
        'No contributions stored for business_ref "acct-1" under your tenant',
      );
      // The same answer as for a business nobody has: nothing tells B that A has one.
      expect(messageOf(seen.json<ErrorBody>()).replace('acct-1', 'x')).toBe(
        messageOf(missing.json<ErrorBody>()).replace('acct-never', 'x'),
      );
      expectErrorAnswer(
        await erase(app, tenantB.api_key, 'acct-1'),
        404,
        'under your tenant',
      );
      expect((await exportOf(app, tenantA.api_key, 'acct-1')).statusCode).toBe(
        200,
      );
      // B's own business under the same reference is a different business.
      await put(app, tenantB.api_key, 'acct-1', '2024-12-01', {
        ...RETAIL,
        values: { profit_margin: 0.3 },
      });
      const a = await exportOf(app, tenantA.api_key, 'acct-1');
      expect(
        a.json<{
          contributions: Array<{ values: { profit_margin: number } }>;
        }>().contributions[0].values.profit_margin,
      ).toBe(0.061);
    });

    it('should erase a business, saying from which publication the erasure shows', async () => {
      const res = await erase(app, tenantA.api_key, 'acct-1');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({
        business_ref: 'acct-1',
        erased_months: 2,
        erased_values: 4,
        current_publication_id: null,
        running_publication_id: null,
        effective_from_publication_id: 1,
      });
      expect((await exportOf(app, tenantA.api_key, 'acct-1')).statusCode).toBe(
        404,
      );
      expectErrorAnswer(
        await erase(app, tenantA.api_key, 'acct-1'),
        404,
        'No contributions stored',
      );
      // As many HTTP clients send it: a JSON content type and no body. No body is no body (it was a 400).
      const withType = await app.inject({
        method: 'DELETE',
        url: `${BASE}/contributions/acct-1`,
        headers: {
          ...bearer(tenantA.api_key),
          'content-type': 'application/json',
        },
      });
      expectErrorAnswer(withType, 404, 'No contributions stored');
      expect((await exportOf(app, tenantB.api_key, 'acct-1')).statusCode).toBe(
        200,
      );
    });

    it('should store keyed hashes only: no business reference, tenant key or name-to-business link in clear', async () => {
      await put(app, tenantA.api_key, 'visible-ref-417', '2024-12-01', {
        ...RETAIL,
        values: { profit_margin: 0.1 },
      });
      if (database().kind === 'embedded') {
        await app.close();
        app = await appFor(database()).then(async (reopened) => {
          await reopened.close();
          return reopened;
        });
      }
      const text = await storedText(database());
      expect(text).toContain('retail');
      expect(text).not.toContain('visible-ref-417');
      expect(text).not.toContain(tenantA.api_key);
      expect(text).not.toContain(tenantA.api_key.slice(4));
      if (database().kind === 'embedded') app = await appFor(database());
    }, 60_000);
  });
});

describe('contributions with PostgreSQL unreachable (e2e)', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await createTestApp({
      env: {
        ADMIN_API_KEY,
        DATABASE_URL:
          'postgres://benchmarks:s3cret-password@127.0.0.1:1/benchmarks',
        CONTRIBUTION_HASH_SECRET:
          'test-contribution-hash-secret-0123456789abcdef',
        DATABASE_TIMEOUT_MS: '500',
      },
    });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('should answer 503 with Retry-After on writes and admin calls, never the URL or a stack', async () => {
    const writes = [
      put(app, 'bmk_anything', 'acct-1', '2024-12-01', {
        ...RETAIL,
        values: { profit_margin: 0.1 },
      }),
      app.inject({
        method: 'POST',
        url: `${BASE}/admin/tenants`,
        headers: { ...ADMIN, 'content-type': 'application/json' },
        payload: JSON.stringify({ name: 'x' }),
      }),
    ];
    for (const res of await Promise.all(writes)) {
      expectErrorAnswer(res, 503, 'The contribution store is unavailable');
      expect(res.headers['retry-after']).toBe('5');
      expect(res.body).not.toContain('s3cret');
      expect(res.body).not.toContain('127.0.0.1');
    }
  });

  it('should keep serving reads', async () => {
    const res = await app.inject({ method: 'GET', url: `${BASE}/industries` });
    expect(res.statusCode).toBe(200);
  });
});

interface CompareResult {
  source: string;
  sample_size: number;
  percentile_10: number;
  percentile_25: number;
  percentile_50: number;
  percentile_75: number;
  percentile_90: number;
  peer_group: { company_size: string; region: string; fallback: boolean };
}

describeEachDatabase(
  'publication of contributed benchmarks (e2e)',
  (database) => {
    let app: NestFastifyApplication;
    let tenant: CreatedTenant;
    // 40 distinct margins of small midwest retailers in February 2025, in a shuffled order.
    const margins = Array.from({ length: 40 }, (_, i) =>
      Number((-0.08 + ((i * 17) % 40) * 0.0043).toFixed(4)),
    );

    const publish = async () => {
      const publication = await published(app);
      // Every instance learns of a new publication within PUBLICATION_REFRESH_MS; the test does not wait for it.
      await app.get<ContributedDataSource>(DATA_SOURCE).refresh();
      return publication;
    };
    const compare = async (body: Record<string, unknown>) => {
      const res = await app.inject({
        method: 'POST',
        url: `${BASE}/compare`,
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ period: '2025-02-01', ...body }),
      });
      expect(res.statusCode).toBe(200);
      return res.json<CompareResult[]>()[0];
    };
    const expectPublishedFrom = (
      result: CompareResult,
      values: readonly number[],
    ) => {
      const sorted = [...values].sort((a, b) => a - b);
      expect(result).toMatchObject({
        source: 'user_contributed',
        sample_size: values.length,
        percentile_10: percentileCont(sorted, 0.1, 4),
        percentile_25: percentileCont(sorted, 0.25, 4),
        percentile_50: percentileCont(sorted, 0.5, 4),
        percentile_75: percentileCont(sorted, 0.75, 4),
        percentile_90: percentileCont(sorted, 0.9, 4),
      });
    };

    beforeAll(async () => {
      app = await appFor(database(), {
        DATA_SOURCE: 'contributed',
        CONTRIBUTION_PUBLISH_INTERVAL: '0',
      });
      tenant = await createTenant(app, 'Acme Books');
      const retail = margins.map((margin, i) => ({
        business_ref: `shop-${i}`,
        period: '2025-02-14',
        industry: 'retail',
        company_size: 'small',
        region: 'midwest',
        values: { profit_margin: margin },
      }));
      // 29 restaurants: one short of CONTRIBUTION_MIN_PEERS.
      const restaurants = Array.from({ length: 29 }, (_, i) => ({
        business_ref: `diner-${i}`,
        period: '2025-02-01',
        industry: 'restaurant',
        company_size: 'small',
        region: 'west',
        values: { profit_margin: 0.01 * i },
      }));
      expect(
        (await batch(app, tenant.api_key, [...retail, ...restaurants]))
          .statusCode,
      ).toBe(200);
    }, 60_000);
    afterAll(async () => {
      await app?.close();
    });

    it('should serve modelled numbers before any publication', async () => {
      const result = await compare({
        industry: 'retail',
        company_size: 'small',
        region: 'midwest',
        user_values: { profit_margin: 0.05 },
      });
      expect(result.source).toBe('synthetic');
    });

    it("should publish 40 businesses' cell and compare against the percentiles computed from what was sent", async () => {
      const publication = await publish();
      expect(publication.publication_id).toBe(1);
      // Retail: its own cell, small nationally, every size nationally. Restaurants' three cells are withheld.
      expect(publication).toMatchObject({
        published_cells: 3,
        withheld_cells: 3,
      });
      const own = await compare({
        industry: 'retail',
        company_size: 'small',
        region: 'midwest',
        user_values: { profit_margin: 0.05 },
      });
      expectPublishedFrom(own, margins);
      expect(own.peer_group).toEqual({
        company_size: 'small',
        region: 'midwest',
        fallback: false,
      });
      const national = await compare({
        industry: 'retail',
        company_size: 'small',
        user_values: { profit_margin: 0.05 },
      });
      expectPublishedFrom(national, margins);
    });

    it('should leave a cell of 29 businesses unpublished, the next source answering', async () => {
      const result = await compare({
        industry: 'restaurant',
        company_size: 'small',
        region: 'west',
        user_values: { profit_margin: 0.05 },
      });
      expect(result.source).toBe('synthetic');
      const data = await app.inject({
        method: 'POST',
        url: `${BASE}/data`,
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({
          industry: 'retail',
          company_size: 'small',
          region: 'midwest',
          metrics: ['profit_margin'],
          start_date: '2025-01-01',
          end_date: '2025-02-28',
        }),
      });
      expect(data.statusCode).toBe(200);
      const [series] = data.json<
        Array<{
          source: string;
          metadata: { contributed?: { publication_id: number } };
          data_points: Array<{
            period: string;
            source: string;
            sample_size: number;
          }>;
        }>
      >();
      expect(series.data_points.map((p) => [p.period, p.source])).toEqual([
        ['2025-01-01', 'synthetic'],
        ['2025-02-01', 'user_contributed'],
      ]);
      expect(series.source).toBe('mixed');
      expect(series.metadata.contributed?.publication_id).toBe(1);
    });

    it('should leave an erased business out of the next publication', async () => {
      const erased = await erase(app, tenant.api_key, 'shop-7');
      expect(erased.json()).toMatchObject({
        current_publication_id: 1,
        effective_from_publication_id: 2,
      });
      // Until then the current publication still holds it.
      const before = await compare({
        industry: 'retail',
        company_size: 'small',
        region: 'midwest',
        user_values: { profit_margin: 0.05 },
      });
      expect(before.sample_size).toBe(40);
      const next = await publish();
      expect(next.publication_id).toBe(2);
      const after = await compare({
        industry: 'retail',
        company_size: 'small',
        region: 'midwest',
        user_values: { profit_margin: 0.05 },
      });
      expectPublishedFrom(
        after,
        margins.filter((_m, i) => i !== 7),
      );
    });
  },
);

describeEachDatabase('publication as a background job (e2e)', (database) => {
  let app: NestFastifyApplication;
  let tenant: CreatedTenant;
  /** Set by a test to act while the publication runs, before its slices are computed. */
  let checkpoint: ((slicesDone: number) => Promise<void>) | undefined;
  const cell = { industry: 'retail', company_size: 'small', region: 'midwest' };

  beforeAll(async () => {
    app = await createTestApp({
      env: {
        ADMIN_API_KEY,
        ...database().env,
        DATA_SOURCE: 'contributed',
        CONTRIBUTION_PUBLISH_INTERVAL: '0',
      },
      overrides: [
        {
          provide: PUBLICATION_CHECKPOINT,
          useValue: (done: number) => checkpoint?.(done),
        },
      ],
    });
    tenant = await createTenant(app, 'Acme Books');
    // 31 businesses: one over CONTRIBUTION_MIN_PEERS (30), so that one can be erased and the cell stay published.
    const records = Array.from({ length: 31 }, (_, i) => ({
      business_ref: `job-${i}`,
      period: '2025-01-01',
      ...cell,
      values: { profit_margin: 0.01 * i },
    }));
    expect((await batch(app, tenant.api_key, records)).statusCode).toBe(200);
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  it('should start a publication (202 and a Location), list it, and follow it until it is current', async () => {
    const publication = await published(app);
    expect(publication).toMatchObject({
      slices_done: publication.slices_total,
      published_cells: 3,
    });
    const list = await app.inject({
      method: 'GET',
      url: `${BASE}/admin/publications`,
      headers: ADMIN,
    });
    expect(list.statusCode).toBe(200);
    expect(list.json()).toMatchObject({
      count: 1,
      publications: [
        { publication_id: publication.publication_id, current: true },
      ],
    });
    expectErrorAnswer(
      await app.inject({
        method: 'GET',
        url: `${BASE}/admin/publications/999`,
        headers: ADMIN,
      }),
      404,
      'No publication 999 is kept',
    );
    expectErrorAnswer(
      await app.inject({
        method: 'GET',
        url: `${BASE}/admin/publications/0x1`,
        headers: ADMIN,
      }),
      400,
      'publication_id must be a publication number',
    );
    expect(
      (await app.inject({ method: 'GET', url: `${BASE}/admin/publications/1` }))
        .statusCode,
    ).toBe(401);
  });

  it('should erase a business at once while a publication runs, the running publication leaving it out, and refuse a second publication meanwhile', async () => {
    let resume!: () => void;
    const paused = new Promise<void>((resolve) => (resume = resolve));
    let reached!: () => void;
    const atCheckpoint = new Promise<void>((resolve) => (reached = resolve));
    checkpoint = async () => {
      reached();
      await paused;
    };
    try {
      const start = await app.inject({
        method: 'POST',
        url: `${BASE}/admin/publications`,
        headers: ADMIN,
      });
      expect(start.statusCode).toBe(202);
      const { publication_id: running } = start.json<PublicationAnswer>();
      await atCheckpoint;
      const again = await app.inject({
        method: 'POST',
        url: `${BASE}/admin/publications`,
        headers: ADMIN,
      });
      expectErrorAnswer(again, 409, `Publication ${running} is running`);
      expect(messageOf(again.json())).toContain(
        `GET ${BASE}/admin/publications/${running}`,
      );
      const erased = await erase(app, tenant.api_key, 'job-30');
      expect(erased.statusCode).toBe(200);
      expect(erased.json()).toMatchObject({
        current_publication_id: running - 1,
        running_publication_id: running,
        effective_from_publication_id: running,
      });
      const status = await app.inject({
        method: 'GET',
        url: start.headers.location as string,
        headers: ADMIN,
      });
      expect(status.json()).toMatchObject({ state: 'running', current: false });
      resume();
      const ended = await followed(app, start.headers.location as string);
      expect(ended.state).toBe('published');
      await app.get<ContributedDataSource>(DATA_SOURCE).refresh();
      const res = await app.inject({
        method: 'POST',
        url: `${BASE}/compare`,
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({
          ...cell,
          period: '2025-01-01',
          user_values: { profit_margin: 0.05 },
        }),
      });
      expect(res.json<CompareResult[]>()[0]).toMatchObject({
        source: 'user_contributed',
        sample_size: 30,
      });
    } finally {
      checkpoint = undefined;
      resume();
    }
  });
});

describeWithPostgres('a statement past DATABASE_TIMEOUT_MS (e2e)', () => {
  it('should answer 504 with Retry-After, store nothing, and answer again once the database is quick', async () => {
    const database = await createPrivateDatabase();
    const app = await createTestApp({
      env: {
        ADMIN_API_KEY,
        DATABASE_URL: database.url,
        CONTRIBUTION_HASH_SECRET: TEST_HASH_SECRET,
        DATABASE_TIMEOUT_MS: '500',
      },
    });
    const blocker = new Client({ connectionString: database.url });
    await blocker.connect();
    try {
      const tenant = await createTenant(app, 'Slow');
      // Another session holds the table: the write waits on its lock until statement_timeout cancels it (57014).
      await blocker.query('begin');
      await blocker.query(
        'lock table business_months in access exclusive mode',
      );
      const slow = await put(app, tenant.api_key, 'acct-1', '2024-12-01', {
        ...RETAIL,
        values: { profit_margin: 0.1 },
      });
      expectErrorAnswer(
        slow,
        504,
        'did not answer within DATABASE_TIMEOUT_MS: nothing was stored',
      );
      expect(slow.headers['retry-after']).toBe('5');
      await blocker.query('rollback');
      expect((await exportOf(app, tenant.api_key, 'acct-1')).statusCode).toBe(
        404,
      );
      const quick = await put(app, tenant.api_key, 'acct-1', '2024-12-01', {
        ...RETAIL,
        values: { profit_margin: 0.1 },
      });
      expect(quick.statusCode).toBe(200);
    } finally {
      await blocker.end();
      await app.close();
      await database.drop();
    }
  }, 60_000);
});

describeWithPostgres(
  'contributions while PostgreSQL goes away and comes back (e2e)',
  () => {
    let app: NestFastifyApplication;
    let proxy: TcpProxy;
    let database: PrivateDatabase;
    let tenant: CreatedTenant;
    const cell = {
      industry: 'retail',
      company_size: 'small',
      region: 'midwest',
    };
    const compareCell = (body: Record<string, unknown> = {}) =>
      app.inject({
        method: 'POST',
        url: `${BASE}/compare`,
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({
          ...cell,
          period: '2025-02-01',
          user_values: { profit_margin: 0.05 },
          ...body,
        }),
      });

    beforeAll(async () => {
      database = await createPrivateDatabase();
      const target = new URL(database.url);
      proxy = await TcpProxy.start({
        host: target.hostname,
        port: Number(target.port || 5432),
      });
      app = await createTestApp({
        env: {
          ADMIN_API_KEY,
          DATA_SOURCE: 'contributed',
          DATABASE_URL: proxy.through(database.url),
          CONTRIBUTION_HASH_SECRET: TEST_HASH_SECRET,
          CONTRIBUTION_PUBLISH_INTERVAL: '0',
          DATABASE_TIMEOUT_MS: '1000',
        },
      });
      tenant = await createTenant(app, 'Acme Books');
      const records = Array.from({ length: 30 }, (_, i) => ({
        business_ref: `shop-${i}`,
        period: '2025-02-01',
        ...cell,
        values: { profit_margin: 0.002 * i },
      }));
      expect((await batch(app, tenant.api_key, records)).statusCode).toBe(200);
      await published(app);
      await app.get<ContributedDataSource>(DATA_SOURCE).refresh();
      // Read once while the database answers: the cell is then in the cache.
      expect((await compareCell()).json<CompareResult[]>()[0].source).toBe(
        'user_contributed',
      );
    }, 60_000);
    afterAll(async () => {
      await app?.close();
      await proxy?.down();
      await database?.drop();
    }, 30_000);

    it('should answer 503 with Retry-After on every write, keep every read 2xx, and recover when PostgreSQL is back', async () => {
      await proxy.down();
      const writes = await Promise.all([
        put(app, tenant.api_key, 'shop-99', '2025-02-01', {
          ...cell,
          values: { profit_margin: 0.1 },
        }),
        batch(app, tenant.api_key, [
          {
            business_ref: 'shop-98',
            period: '2025-02-01',
            ...cell,
            values: { profit_margin: 0.1 },
          },
        ]),
        app.inject({
          method: 'POST',
          url: `${BASE}/admin/publications`,
          headers: ADMIN,
        }),
        exportOf(app, tenant.api_key, 'shop-1'),
      ]);
      for (const res of writes) {
        expectErrorAnswer(res, 503, 'The contribution store is unavailable');
        expect(res.headers['retry-after']).toBe('5');
      }
      // The publication last known keeps serving: its cached cell, and its identity after a failed refresh.
      await app.get<ContributedDataSource>(DATA_SOURCE).refresh();
      const cached = await compareCell();
      expect(cached.statusCode).toBe(200);
      expect(cached.json<CompareResult[]>()[0]).toMatchObject({
        source: 'user_contributed',
        sample_size: 30,
      });
      // A cell not cached: the modelled number, saying why.
      const uncached = await compareCell({ period: '2024-06-01' });
      expect(uncached.statusCode).toBe(200);
      const [result] =
        uncached.json<Array<CompareResult & { warnings: string[] }>>();
      expect(result.source).toBe('synthetic');
      expect(result.warnings.join(' ')).toContain(
        'Contributed benchmarks could not be read',
      );
      expect(
        (await app.inject({ method: 'GET', url: `${BASE}/industries` }))
          .statusCode,
      ).toBe(200);
      const health = await app.inject({ method: 'GET', url: `${BASE}/health` });
      expect(health.statusCode).toBe(200);
      expect(health.json()).toMatchObject({
        database: { kind: 'postgres', status: 'down' },
      });

      await proxy.up();
      const back = await put(app, tenant.api_key, 'shop-99', '2025-02-01', {
        ...cell,
        values: { profit_margin: 0.1 },
      });
      expect(back.statusCode).toBe(200);
      expect((await exportOf(app, tenant.api_key, 'shop-99')).statusCode).toBe(
        200,
      );
      // Nothing of the refused writes was stored.
      expect((await exportOf(app, tenant.api_key, 'shop-98')).statusCode).toBe(
        404,
      );
      const healthy = await app.inject({
        method: 'GET',
        url: `${BASE}/health`,
      });
      expect(healthy.json()).toMatchObject({
        database: { kind: 'postgres', status: 'up' },
      });
    }, 60_000);
  },
);

describe('tenant keys on reads and the rate limit per tenant (e2e, embedded PostgreSQL)', () => {
  const data = temporaryDataDir();
  let app: NestFastifyApplication;
  let tenant: CreatedTenant;
  const get = (
    url: string,
    headers: Record<string, string> = {},
    remoteAddress = '10.0.0.1',
  ) => app.inject({ method: 'GET', url, headers, remoteAddress });

  afterAll(async () => {
    await app?.close();
    data.remove();
  });

  it('should need a tenant key on the read endpoints with REQUIRE_API_KEY=true, and on them only', async () => {
    app = await createTestApp({
      env: { ADMIN_API_KEY, DATA_DIR: data.dir, REQUIRE_API_KEY: 'true' },
    });
    tenant = await createTenant(app, 'Acme Books');
    expectErrorAnswer(
      await get(`${BASE}/industries`),
      401,
      'Send your tenant key',
    );
    expectErrorAnswer(
      await get(`${BASE}/industries`, bearer('bmk_made-up')),
      401,
      'not valid',
    );
    expectErrorAnswer(await get(`${BASE}/industries`, ADMIN), 401, 'not valid');
    const compare = await app.inject({
      method: 'POST',
      url: `${BASE}/compare`,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({
        industry: 'retail',
        user_values: { profit_margin: 0.1 },
      }),
    });
    expect(compare.statusCode).toBe(401);
    expect(
      (await get(`${BASE}/industries`, bearer(tenant.api_key))).statusCode,
    ).toBe(200);
    for (const open of [
      `${BASE}/health`,
      `${BASE}/health/ready`,
      '/docs-json',
      '/metrics',
    ])
      expect((await get(open)).statusCode).toBe(200);
    // The endpoints with keys of their own keep them.
    expect((await get(`${BASE}/admin/tenants`, ADMIN)).statusCode).toBe(200);
    expect((await exportOf(app, tenant.api_key, 'nobody')).statusCode).toBe(
      404,
    );
    await app.close();
  }, 60_000);

  it("should count a tenant's requests together from every address, and made-up keys against the address", async () => {
    app = await createTestApp({
      env: { ADMIN_API_KEY, DATA_DIR: data.dir, RATE_LIMIT_PER_MINUTE: '4' },
    });
    const key = bearer(tenant.api_key);
    for (const address of ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4'])
      expect((await get(`${BASE}/industries`, key, address)).statusCode).toBe(
        200,
      );
    const fifth = await get(`${BASE}/industries`, key, '10.0.0.5');
    expect(fifth.statusCode).toBe(429);
    // Another address without a key has its own budget.
    expect((await get(`${BASE}/industries`, {}, '10.0.0.6')).statusCode).toBe(
      200,
    );
    // A new made-up key on every request buys nothing.
    for (let i = 0; i < 3; i++)
      expect(
        (
          await get(
            `${BASE}/industries`,
            bearer(`bmk_made-up-${i}`),
            '10.0.0.6',
          )
        ).statusCode,
      ).toBe(200);
    expect(
      (await get(`${BASE}/industries`, bearer('bmk_made-up-9'), '10.0.0.6'))
        .statusCode,
    ).toBe(429);
  }, 60_000);
});
