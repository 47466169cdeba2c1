import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiJsonBodyErrors } from '../common/swagger/api-json-body-errors.decorator';
import { ApiOkJsonOrCsv } from '../common/swagger/api-ok-json-or-csv.decorator';
import { ApiRateLimited } from '../common/swagger/api-rate-limited.decorator';
import { DATA_WARNINGS_HEADER_DOC } from '../common/swagger/data-warnings-header.doc';
import type { BenchmarkSeries } from '../domain/benchmark';
import { DEFAULT_COMPANY_SIZE, DEFAULT_REGION } from '../domain/enums';
import { AnswerWith } from '../http/answer-interceptors';
import { BenchmarksService } from './benchmarks.service';
import { seriesToCsv } from './dto/benchmark-series.csv';
import { seriesResponseJson } from './dto/benchmark-series.json';
import {
  BenchmarkSeriesDto,
  toSeriesResponse,
} from './dto/benchmark-series.response.dto';
import { DataRequestDto } from './dto/data.request.dto';

@ApiTags('benchmarks')
@ApiRateLimited()
@Controller()
export class BenchmarksController {
  constructor(private readonly benchmarks: BenchmarksService) {}

  @Post('data')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Benchmark series for a peer group',
    description:
      'Monthly benchmark values (the peer median) with 10th-90th percentiles and sample size, one point per month of the range, oldest first, for each requested metric. With `Accept: text/csv`: CSV (RFC 4180, header row), one row per data point.',
  })
  @ApiOkJsonOrCsv({
    type: BenchmarkSeriesDto,
    isArray: true,
    description:
      'JSON by default; with `Accept: text/csv` (preferred to application/json) a CSV document, header row `metric_name,industry,company_size,region,unit,direction,period,value,percentile_10,...,percentile_90,sample_size,source,peer_company_size,peer_region,peer_fallback,warnings` and one row per data point. Any other Accept gets JSON.',
    headers: DATA_WARNINGS_HEADER_DOC,
  })
  @ApiJsonBodyErrors(
    'Invalid field: bad enum value, malformed or impossible date, range out of bounds, unknown field, malformed JSON.',
  )
  // The edge writes the series: their JSON by the one /data writer (cached points bring theirs), or their CSV.
  @AnswerWith<BenchmarkSeries[]>({
    warnings: (series) => series.flatMap((s) => s.warnings),
    csv: (series) => seriesToCsv(series.map(toSeriesResponse)),
    json: seriesResponseJson,
  })
  async getData(@Body() body: DataRequestDto): Promise<BenchmarkSeries[]> {
    const series = await this.benchmarks.getData({
      industry: body.industry,
      companySize: body.company_size ?? DEFAULT_COMPANY_SIZE,
      region: body.region ?? DEFAULT_REGION,
      metrics: body.metrics,
      startDate: body.start_date,
      endDate: body.end_date,
    });
    return series;
  }
}
