import { Controller, Get, Param } from '@nestjs/common';
import {
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { requireIndustry } from '../common/catalog-lookup';
import { ErrorResponseDto } from '../common/error.response.dto';
import { INDUSTRY_KEYS } from '../domain/catalog';
import { IndustryParamDto } from './dto/industry.param.dto';
import {
  IndustryDetailResponseDto,
  IndustryListResponseDto,
  MetricsResponseDto,
  toIndustryDetailResponse,
  toMetricsResponse,
} from './dto/industry.response.dto';

/** The catalog: industries, their metrics and the peer-group dimensions. Static, so answered without the cache. */
@ApiTags('industries')
@Controller()
export class IndustriesController {
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
    return toIndustryDetailResponse(requireIndustry(params.industry));
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
    return toMetricsResponse(requireIndustry(params.industry));
  }
}
