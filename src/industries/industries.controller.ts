import { Controller, Get, Param } from '@nestjs/common';
import {
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { IndustriesService } from './industries.service';
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
  constructor(private readonly industries: IndustriesService) {}

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
    const industry = this.industries.industry(params.industry);
    return toIndustryDetailResponse(
      industry,
      this.industries.metrics(industry),
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
    const industry = this.industries.industry(params.industry);
    return toMetricsResponse(industry, this.industries.metrics(industry));
  }
}
