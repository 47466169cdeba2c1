import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import {
  DATA_SOURCE,
  type DataSource,
} from '../data-sources/data-source.interface';
import {
  findIndustry,
  findMetric,
  INDUSTRY_KEYS,
  type IndustryDefinition,
  type MetricDefinition,
} from '../domain/catalog';

const MAX_ECHO = 80;

/** User input echoed into a message: truncated and JSON-quoted, so control characters and markup stay inert. */
function quoted(value: string): string {
  const cut =
    value.length > MAX_ECHO ? `${value.slice(0, MAX_ECHO)}...` : value;
  return JSON.stringify(cut);
}

export class IndustryNotFoundException extends NotFoundException {
  constructor(industry: string) {
    super(
      `Unknown industry ${quoted(industry)}. Available industries: ${INDUSTRY_KEYS.join(', ')}`,
    );
  }
}

export class MetricNotFoundException extends NotFoundException {
  constructor(
    metrics: readonly string[],
    industry: IndustryDefinition,
    source: Pick<DataSource, 'name' | 'metricNames'>,
  ) {
    const names = metrics.map(quoted).join(', ');
    super(
      `Unknown metric${metrics.length > 1 ? 's' : ''} ${names} for industry ${industry.key} ` +
        `from the ${source.name} data source. ` +
        `Available metrics: ${source.metricNames(industry).join(', ')}`,
    );
  }
}

/**
 * The catalog as the active data source serves it: industries, and the metrics the source has for each. Every
 * feature that takes an industry or metric names from a request looks them up here, and gets its 404s.
 */
@Injectable()
export class IndustriesService {
  constructor(@Inject(DATA_SOURCE) private readonly source: DataSource) {}

  /** The industry, or a 404 naming it and listing the ones that exist. */
  industry(key: string): IndustryDefinition {
    const industry = findIndustry(key);
    if (!industry) throw new IndustryNotFoundException(key);
    return industry;
  }

  /**
   * The requested metrics of the industry that the source serves, in request order (all of them, in catalog order,
   * when none are named), or a 404 naming every unknown one and the source.
   */
  metrics(
    industry: IndustryDefinition,
    names?: readonly string[],
  ): MetricDefinition[] {
    const available = this.source.metricNames(industry);
    const requested = names ?? available;
    const unknown = requested.filter((n) => !available.includes(n));
    if (unknown.length > 0)
      throw new MetricNotFoundException(unknown, industry, this.source);
    return requested.map((n) => findMetric(n)!);
  }
}
