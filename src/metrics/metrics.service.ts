import { Injectable } from '@nestjs/common';
import { registered } from '../common/metrics/registered-metric';
import { RequestHistogram } from './request-histogram';

/**
 * The request-duration histogram of GET /metrics, by method, route pattern and status. (The cache's and BLS's
 * metrics are registered by their own modules; the default process metrics by the Prometheus module.)
 */
@Injectable()
export class MetricsService {
  private readonly requestDuration: RequestHistogram;

  constructor() {
    this.requestDuration = registered(
      'http_request_duration_seconds',
      () =>
        new RequestHistogram(
          'http_request_duration_seconds',
          'HTTP request duration in seconds, by method, route pattern and status code.',
          [
            0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
            10,
          ],
        ),
    );
  }

  /** Records one answered request. */
  observeRequest(
    method: string,
    route: string,
    status: number,
    seconds: number,
  ): void {
    this.requestDuration.observe(method, route, status, seconds);
  }
}
