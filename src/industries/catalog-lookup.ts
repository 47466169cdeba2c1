import { NotFoundException } from '@nestjs/common';
import {
  findIndustry,
  findMetric,
  INDUSTRY_KEYS,
  type IndustryDefinition,
  type MetricDefinition,
} from '../domain/catalog';

const MAX_ECHO = 80;

/** User input echoed into a message: truncated and JSON-quoted, so control characters and markup stay inert. */
export function quoted(value: string): string {
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
    metrics: string[],
    industry: IndustryDefinition,
    source: MetricCatalog,
  ) {
    const names = metrics.map(quoted).join(', ');
    super(
      `Unknown metric${metrics.length > 1 ? 's' : ''} ${names} for industry ${industry.key} ` +
        `from the ${source.name} data source. ` +
        `Available metrics: ${source.metricNames(industry).join(', ')}`,
    );
  }
}

/** What a data source says about its catalog: its name and the metrics it serves for an industry. */
export interface MetricCatalog {
  readonly name: string;
  metricNames(industry: IndustryDefinition): readonly string[];
}

/** The industry, or a 404 naming it and listing the ones that exist. */
export function requireIndustry(key: string): IndustryDefinition {
  const industry = findIndustry(key);
  if (!industry) throw new IndustryNotFoundException(key);
  return industry;
}

/**
 * The requested metrics of the industry that the source serves, in request order (all of them, in catalog order,
 * when none are named), or a 404 naming every unknown one and the source.
 */
export function requireMetrics(
  industry: IndustryDefinition,
  source: MetricCatalog,
  names?: readonly string[],
): MetricDefinition[] {
  const available = source.metricNames(industry);
  const requested = names ?? available;
  const unknown = requested.filter((n) => !available.includes(n));
  if (unknown.length > 0)
    throw new MetricNotFoundException(unknown, industry, source);
  return requested.map((n) => findMetric(n)!);
}
