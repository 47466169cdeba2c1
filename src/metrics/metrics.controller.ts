import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { PrometheusController } from '@willsoto/nestjs-prometheus';
import type { FastifyReply } from 'fastify';

/** GET /metrics for Prometheus scrapers: kept out of the API docs and of the per-client rate limit. */
@ApiExcludeController()
@SkipThrottle()
@Controller()
export class MetricsController extends PrometheusController {
  @Get()
  async index(
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<string> {
    return super.index(response);
  }
}
