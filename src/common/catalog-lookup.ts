import { NotFoundException } from '@nestjs/common';
import {
  findIndustry,
  INDUSTRY_KEYS,
  industryMetrics,
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
  constructor(metrics: string[], industry: IndustryDefinition) {
    const names = metrics.map(quoted).join(', ');
    super(
      `Unknown metric${metrics.length > 1 ? 's' : ''} ${names} for industry ${industry.key}. ` +
        `Available metrics: ${industry.metrics.join(', ')}`,
    );
  }
}

/** The industry, or a 404 naming it and listing the ones that exist. */
export function requireIndustry(key: string): IndustryDefinition {
  const industry = findIndustry(key);
  if (!industry) throw new IndustryNotFoundException(key);
  return industry;
}

/**
 * The requested metrics of the industry, in request order (all of them, in catalog order, when none are named),
 * or a 404 naming every unknown one.
 */
export function requireMetrics(
  industry: IndustryDefinition,
  names?: readonly string[],
): MetricDefinition[] {
  const all = industryMetrics(industry);
  if (!names) return all;
  const unknown = names.filter((n) => !industry.metrics.includes(n));
  if (unknown.length > 0) throw new MetricNotFoundException(unknown, industry);
  return names.map((n) => all.find((m) => m.name === n)!);
}
