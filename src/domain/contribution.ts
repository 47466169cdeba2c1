import {
  findIndustry,
  findMetric,
  INDUSTRY_KEYS,
  type IndustryDefinition,
} from './catalog';
import { valueProblem } from './comparison';
import type { CompanySize, Region } from './enums';
import { monthFromIsoDate, type Month } from './months';
import { servedMonthProblem } from './served-months';

/** One business's figures for one month, as a tenant sends them (already of the right types). */
export interface ContributionInput {
  readonly industry: string;
  readonly companySize: CompanySize;
  readonly region: Region;
  /** Any date in the month, YYYY-MM-DD. */
  readonly period: string;
  readonly values: Readonly<Record<string, number>>;
}

/** A contribution the catalog accepts. */
export interface Contribution {
  readonly industry: IndustryDefinition;
  readonly companySize: CompanySize;
  readonly region: Exclude<Region, 'national'>;
  readonly month: Month;
  readonly values: Readonly<Record<string, number>>;
}

/** What is wrong with a contribution: names or values the catalog does not know (404 alone), or invalid ones. */
export interface ContributionProblems {
  readonly unknown: string[];
  readonly invalid: string[];
}

/**
 * Checks a contribution as /compare checks values: a known industry, metrics of that industry, each value within
 * its metric's valid range, a month from 2000 to the last complete one; and a region of the business (not
 * `national`, which publication computes from all of them). Every message starts with `prefix` and the field's name.
 */
export function checkContribution(
  input: ContributionInput,
  latest: Month,
  prefix = '',
): Contribution | ContributionProblems {
  const unknown: string[] = [];
  const invalid: string[] = [];
  const industry = findIndustry(input.industry);
  if (!industry) {
    unknown.push(
      `${prefix}industry ${JSON.stringify(input.industry.slice(0, 80))} is unknown. Available industries: ${INDUSTRY_KEYS.join(', ')}`,
    );
  } else {
    const names = Object.keys(input.values);
    const foreign = names.filter((n) => !industry.metrics.includes(n));
    if (foreign.length > 0)
      unknown.push(
        `${prefix}values: unknown metric${foreign.length > 1 ? 's' : ''} ${foreign
          .map((n) => JSON.stringify(n.slice(0, 80)))
          .join(
            ', ',
          )} for industry ${industry.key}. Available metrics: ${industry.metrics.join(', ')}`,
      );
    for (const name of names) {
      if (foreign.includes(name)) continue;
      const problem = valueProblem(
        `${prefix}values.${name}`,
        findMetric(name)!,
        input.values[name],
      );
      if (problem) invalid.push(problem);
    }
  }
  if (input.region === 'national')
    invalid.push(
      `${prefix}region must be the business's own region (northeast, southeast, midwest, west or southwest): national figures are computed from all of them`,
    );
  const month = monthFromIsoDate(input.period);
  const monthProblem = servedMonthProblem(`${prefix}period`, month, latest);
  if (monthProblem) invalid.push(monthProblem);
  if (unknown.length > 0 || invalid.length > 0 || !industry)
    return { unknown, invalid };
  return {
    industry,
    companySize: input.companySize,
    region: input.region as Exclude<Region, 'national'>,
    month,
    values: input.values,
  };
}

export function isContribution(
  checked: Contribution | ContributionProblems,
): checked is Contribution {
  return 'month' in checked;
}
