'use strict';
/**
 * The design's floor: NestJS on the Fastify adapter with Nest's stock ValidationPipe (the service's options)
 * validating the service's own request DTOs (from dist/) with class-validator and class-transformer, answering the
 * benchmarked routes with the same precomputed bodies as the baseline. No hooks, guard, filter, metrics, logging or
 * domain work: what any service of this design pays per request before doing anything of its own. `npm run bench`
 * reports its ratio to the bare-Fastify baseline beside the service's, so the targets can be read against it.
 *
 * Usage: node bench/nest-floor-server.js <port> <bodies.json>  (after `npm run build`)
 */
require('reflect-metadata');
const { NestFactory } = require('@nestjs/core');
const { Body, Controller, Get, Header, HttpCode, Module, Post, ValidationPipe } = require('@nestjs/common');
const { FastifyAdapter } = require('@nestjs/platform-fastify');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { CompareRequestDto } = require(join(__dirname, '../dist/comparison/dto/compare.request.dto'));
const { DataRequestDto } = require(join(__dirname, '../dist/benchmarks/dto/data.request.dto'));
const { VALIDATION_OPTIONS } = require(join(__dirname, '../dist/http/app-validation.pipe'));

const [port, bodiesFile] = process.argv.slice(2);
const bodies = JSON.parse(readFileSync(bodiesFile, 'utf8'));
const JSON_TYPE = 'application/json; charset=utf-8';

class FloorController {
  industries() {
    return bodies['GET /api/benchmarks/industries'];
  }

  data(body) {
    return bodies[body.metrics ? 'POST /api/benchmarks/data one' : 'POST /api/benchmarks/data all'];
  }

  compare(body) {
    return bodies[Object.keys(body.user_values).length > 2 ? 'POST /api/benchmarks/compare all' : 'POST /api/benchmarks/compare two'];
  }
}

// The decorators a TypeScript controller would carry, applied by hand (this file is plain JavaScript).
const method = (name, decorators, dto) => {
  const proto = FloorController.prototype;
  Reflect.decorate(decorators, proto, name, Object.getOwnPropertyDescriptor(proto, name));
  if (dto) {
    Body()(proto, name, 0);
    Reflect.defineMetadata('design:paramtypes', [dto], proto, name);
  }
};
method('industries', [Get('industries'), Header('content-type', JSON_TYPE)]);
method('data', [Post('data'), HttpCode(200), Header('content-type', JSON_TYPE)], DataRequestDto);
method('compare', [Post('compare'), HttpCode(200), Header('content-type', JSON_TYPE)], CompareRequestDto);
Reflect.decorate([Controller('api/benchmarks')], FloorController);

class FloorModule {}
Reflect.decorate([Module({ controllers: [FloorController] })], FloorModule);

async function main() {
  const app = await NestFactory.create(FloorModule, new FastifyAdapter(), { logger: false });
  app.useGlobalPipes(new ValidationPipe(VALIDATION_OPTIONS));
  await app.listen(Number(port), '127.0.0.1');
  console.log(`nest floor listening on ${port}`);
  process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
