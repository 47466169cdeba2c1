/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-assignment --
   the tests edit an untyped JSON document, as the CLI reads one */
import { breakingChanges } from './breaking-changes';

/** A small document: POST /compare with a request and a response schema, GET /industries/{industry}. */
function contract(
  change: (doc: {
    paths: Record<string, Record<string, any>>;
    components: { schemas: Record<string, any> };
  }) => void = () => undefined,
) {
  const doc = {
    openapi: '3.0.0',
    paths: {
      '/compare': {
        post: {
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: { $ref: '#/components/schemas/CompareRequest' },
              },
            },
          },
          responses: {
            '200': {
              content: {
                'application/json': {
                  schema: {
                    type: 'array',
                    items: { $ref: '#/components/schemas/Result' },
                  },
                },
              },
            },
            '400': { description: 'bad input' },
          },
        },
      },
      '/industries/{industry}': {
        get: {
          parameters: [
            {
              in: 'path',
              name: 'industry',
              required: true,
              schema: { type: 'string', maxLength: 100 },
            },
          ],
          responses: { '200': { description: 'ok' } },
        },
      },
    },
    components: {
      schemas: {
        CompareRequest: {
          type: 'object',
          required: ['industry'],
          properties: {
            industry: { type: 'string' },
            company_size: {
              type: 'string',
              enum: ['small', 'medium', 'large'],
            },
            user_values: {
              type: 'object',
              additionalProperties: { type: 'number' },
            },
          },
        },
        Result: {
          type: 'object',
          required: ['metric_name', 'percentile_rank'],
          properties: {
            metric_name: { type: 'string' },
            percentile_rank: { type: 'number' },
            interpretation: { type: 'string', enum: ['average', 'good'] },
          },
        },
      },
    },
  };
  change(doc);
  return doc;
}

describe('breakingChanges', () => {
  it('should find nothing between a document and itself', () => {
    expect(breakingChanges(contract(), contract())).toEqual([]);
  });

  it('should accept additions: a new operation, an optional request field, a new response field', () => {
    const next = contract((doc) => {
      doc.paths['/scorecard'] = { post: { responses: {} } };
      doc.components.schemas.CompareRequest.properties.weights = {
        type: 'object',
      };
      doc.components.schemas.Result.properties.targets = { type: 'array' };
      doc.components.schemas.CompareRequest.properties.company_size.enum.push(
        'micro',
      );
    });
    expect(breakingChanges(contract(), next)).toEqual([]);
  });

  it('should flag a removed operation and a removed success response', () => {
    const next = contract((doc) => {
      delete doc.paths['/industries/{industry}'];
      delete doc.paths['/compare'].post.responses['200'];
    });
    expect(breakingChanges(contract(), next)).toEqual([
      'POST /compare: response 200 removed',
      'GET /industries/{industry}: operation removed',
    ]);
  });

  it('should flag a response field removed or made optional, through $ref and array items', () => {
    const next = contract((doc) => {
      delete doc.components.schemas.Result.properties.metric_name;
      doc.components.schemas.Result.required = ['metric_name'];
    });
    expect(breakingChanges(contract(), next)).toEqual([
      'POST /compare 200[].metric_name: field removed',
      'POST /compare 200[].percentile_rank: no longer always present',
    ]);
  });

  it('should flag a response type change, a nullable value and a new enum value', () => {
    const next = contract((doc) => {
      doc.components.schemas.Result.properties.percentile_rank = {
        type: 'string',
      };
      doc.components.schemas.Result.properties.metric_name.nullable = true;
      doc.components.schemas.Result.properties.interpretation.enum.push(
        'excellent',
      );
    });
    expect(breakingChanges(contract(), next).sort()).toEqual(
      [
        'POST /compare 200[].interpretation: may now be ["excellent"]',
        'POST /compare 200[].metric_name: may now be null',
        'POST /compare 200[].percentile_rank: type changed from number to string',
      ].sort(),
    );
  });

  it('should flag a request narrowed: removed field, newly required, fewer enum values, tighter bound, narrower type', () => {
    const next = contract((doc) => {
      const request = doc.components.schemas.CompareRequest;
      delete request.properties.industry;
      request.required = ['user_values'];
      request.properties.company_size.enum = ['small', 'medium'];
      request.properties.user_values.additionalProperties = { type: 'integer' };
      doc.paths['/industries/{industry}'].get.parameters[0].schema.maxLength =
        50;
    });
    expect(breakingChanges(contract(), next).sort()).toEqual(
      [
        'GET /industries/{industry} parameter path industry: maxLength tightened from 100 to 50',
        'POST /compare body.company_size: no longer accepts ["large"]',
        'POST /compare body.industry: field removed (clients sending it are refused)',
        'POST /compare body.user_values: newly required',
        'POST /compare body.user_values{}: type narrowed from number to integer',
      ].sort(),
    );
  });

  it('should flag a newly required parameter', () => {
    const next = contract((doc) => {
      doc.paths['/industries/{industry}'].get.parameters.push({
        in: 'query',
        name: 'year',
        required: true,
        schema: { type: 'integer' },
      });
    });
    expect(breakingChanges(contract(), next)).toEqual([
      'GET /industries/{industry}: parameter query year newly required',
    ]);
  });

  it('should not loop on a recursive schema', () => {
    const recursive = () =>
      contract((doc) => {
        doc.components.schemas.Result.properties.children = {
          type: 'array',
          items: { $ref: '#/components/schemas/Result' },
        };
      });
    expect(breakingChanges(recursive(), recursive())).toEqual([]);
  });
});
