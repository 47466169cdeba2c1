import { Controller, Get, Inject, Param } from '@nestjs/common';
import {
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { requireIndustry, requireMetrics } from './catalog-lookup';
import {
  DATA_SOURCE,
  type DataSource,
} from '../data-sources/data-source.interface';
import { ErrorResponseDto } from '../common/dto/error.response.dto';
import { INDUSTRY_KEYS } from '../domain/catalog';
import { IndustryParamDto } from './dto/industry.param.dto';
import {
  IndustryDetailResponseDto,
  IndustryListResponseDto,
  MetricsResponseDto,
  toIndustryDetailResponse,
  toMetricsResponse,
} from './dto/industry.response.dto';
import { ApiRateLimited } from '../common/swagger/api-rate-limited.decorator';

/**
 * The catalog: industries, their metrics and the peer-group dimensions. The metrics are those the configured data
 * source serves (BLS metrics join with DATA_SOURCE=bls or blended). Static, so answered without the cache.
 */
@ApiTags('industries')
@ApiRateLimited()
@Controller()
export class IndustriesController {
  constructor(@Inject(DATA_SOURCE) private readonly source: DataSource) {}

  @Get('industries')
  @ApiOperation({ summary: 'List industries' })
  @ApiOkResponse({ type: IndustryListResponseDto })
  listIndustries(): IndustryListResponseDto {
    return { industries: [...INDUSTRY_KEYS], count: INDUSTRY_KEYS.length };
  }

  @Get('industries/:industry')
  @ApiOperation({
    summary: 'Describe an industry',
    description:
      'Display name, NAICS code, metric definitions, company sizes and regions.',
  })
  @ApiOkResponse({ type: IndustryDetailResponseDto })
  @ApiResponse({
    status: 414,
    type: ErrorResponseDto,
    description: 'Industry key longer than 100 characters.',
  })
  @ApiNotFoundResponse({
    type: ErrorResponseDto,
    description: 'Unknown industry; the message lists the known ones.',
  })
  getIndustry(@Param() params: IndustryParamDto): IndustryDetailResponseDto {
    const industry = requireIndustry(params.industry);
    return toIndustryDetailResponse(
      industry,
      requireMetrics(industry, this.source),
    );
  }

  @Get('metrics/:industry')
  @ApiOperation({
    summary: "List an industry's metrics with their definitions",
  })
  @ApiOkResponse({ type: MetricsResponseDto })
  @ApiResponse({
    status: 414,
    type: ErrorResponseDto,
    description: 'Industry key longer than 100 characters.',
  })
  @ApiNotFoundResponse({
    type: ErrorResponseDto,
    description: 'Unknown industry; the message lists the known ones.',
  })
  getMetrics(@Param() params: IndustryParamDto): MetricsResponseDto {
    const industry = requireIndustry(params.industry);
    return toMetricsResponse(industry, requireMetrics(industry, this.source));
  }
}
