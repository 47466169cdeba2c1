import { BadRequestException, Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import type { BenchmarkSeries, PeerGroup } from '../domain/benchmark';
import { lastCompleteMonth, monthFromIsoDate } from '../domain/months';
import { requestedRange } from '../domain/served-months';
import { IndustriesService } from '../industries/industries.service';
import { BenchmarkReader } from './benchmark-reader';

/** A data request in domain terms: defaults not yet applied to the metrics and dates. */
export interface DataQuery extends PeerGroup {
  readonly metrics?: readonly string[];
  readonly startDate?: string;
  readonly endDate?: string;
}

/** POST /data: the request checked against the catalog and the served months, then read. */
@Injectable()
export class BenchmarksService {
  constructor(
    private readonly industries: IndustriesService,
    private readonly reader: BenchmarkReader,
    private readonly clock: Clock,
  ) {}

  /**
   * Series for a data request, one per metric (all of the industry's by default), over the requested months (the 12
   * ending with the last complete month by default): 404 for an unknown industry or metric, 400 naming `start_date`
   * or `end_date` for a range the service cannot serve.
   */
  async getData(query: DataQuery): Promise<BenchmarkSeries[]> {
    const industry = this.industries.industry(query.industry);
    const metrics = this.industries.metrics(industry, query.metrics);
    const range = requestedRange(
      {
        start:
          query.startDate !== undefined
            ? monthFromIsoDate(query.startDate)
            : undefined,
        end:
          query.endDate !== undefined
            ? monthFromIsoDate(query.endDate)
            : undefined,
      },
      lastCompleteMonth(this.clock.now()),
      { start: 'start_date', end: 'end_date' },
    );
    if (range.problem !== undefined)
      throw new BadRequestException(range.problem);
    return this.reader.peerSeries(query, metrics, range.start, range.end);
  }
}
