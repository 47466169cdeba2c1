'use strict';
/**
 * The baseline: bare Fastify answering the benchmarked routes with precomputed bodies of the same size as the
 * service's, validating POST bodies with a JSON schema. What the service is measured against: the same HTTP stack
 * with no Nest, no class-validator, no domain work.
 *
 * Usage: node bench/baseline-server.js <port> <bodies.json>
 *   bodies.json: { "<METHOD> <path>": "<response body>" , ... } captured from the service.
 */
const fastify = require('fastify');
const { readFileSync } = require('node:fs');

const [port, bodiesFile] = process.argv.slice(2);
const bodies = JSON.parse(readFileSync(bodiesFile, 'utf8'));

const peer = {
  industry: { type: 'string', minLength: 1, maxLength: 100 },
  company_size: { type: 'string', enum: ['small', 'medium', 'large'] },
  region: { type: 'string', enum: ['national', 'northeast', 'southeast', 'midwest', 'west', 'southwest'] },
};
const date = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' };
const dataSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['industry'],
  properties: {
    ...peer,
    metrics: { type: 'array', minItems: 1, maxItems: 50, uniqueItems: true, items: { type: 'string', maxLength: 100 } },
    start_date: date,
    end_date: date,
  },
};
const compareSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['industry', 'user_values'],
  properties: {
    ...peer,
    user_values: { type: 'object', minProperties: 1, maxProperties: 50, additionalProperties: { type: 'number' } },
    period: date,
  },
};

const app = fastify({ logger: false });
const send = (key) => (request, reply) => {
  // The body chosen by the request's own shape, as the service would compute it.
  const body = bodies[typeof key === 'function' ? key(request) : key];
  reply.header('content-type', 'application/json; charset=utf-8').send(body);
};
app.get('/api/benchmarks/industries', send('GET /api/benchmarks/industries'));
app.delete('/api/benchmarks/cache', send('DELETE /api/benchmarks/cache'));
app.post(
  '/api/benchmarks/data',
  { schema: { body: dataSchema } },
  send((request) => (request.body.metrics ? 'POST /api/benchmarks/data one' : 'POST /api/benchmarks/data all')),
);
app.post(
  '/api/benchmarks/compare',
  { schema: { body: compareSchema } },
  send((request) =>
    Object.keys(request.body.user_values).length > 2 ? 'POST /api/benchmarks/compare all' : 'POST /api/benchmarks/compare two',
  ),
);

app.listen({ port: Number(port), host: '127.0.0.1' }).then(
  () => console.log(`baseline listening on ${port}`),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
