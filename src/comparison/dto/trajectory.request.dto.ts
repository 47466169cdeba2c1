import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean } from 'class-validator';
import { isIsoCalendarDate } from '../../common/validators/date.validators';
import { IsOmittable } from '../../common/validators/optional.validators';
import { PeerGroupRequestDto } from '../../common/dto/peer-group.request.dto';
import { ValidateProblems } from '../../common/validators/validate-with.decorator';

export const MAX_TRAJECTORY_METRICS = 10;
export const MAX_TRAJECTORY_POINTS = 120;
const MAX_METRIC_NAME_LENGTH = 100;

/** One period of a business's own series. */
export interface UserSeriesPoint {
  period: string;
  value: number;
}

function shownValue(v: unknown): string {
  return typeof v === 'number' ? String(v) : v === null ? 'null' : typeof v;
}

/** Problems of one metric's list of points, each naming `user_series.<metric>[i].<field>`. */
function pointsProblems(name: string, points: unknown): string[] {
  const field = `user_series.${name.slice(0, 40)}`;
  if (!Array.isArray(points)) {
    return [
      `${field} must be a list of {"period": "YYYY-MM-DD", "value": number}`,
    ];
  }
  if (points.length < 2 || points.length > MAX_TRAJECTORY_POINTS) {
    return [
      `${field} must have 2 to ${MAX_TRAJECTORY_POINTS} points (got ${points.length})`,
    ];
  }
  const problems: string[] = [];
  const months = new Map<string, number>();
  points.forEach((point: unknown, i) => {
    const at = `${field}[${i}]`;
    if (typeof point !== 'object' || point === null || Array.isArray(point)) {
      problems.push(
        `${at} must be an object {"period": "YYYY-MM-DD", "value": number}`,
      );
      return;
    }
    const extra = Object.keys(point).filter(
      (k) => k !== 'period' && k !== 'value',
    );
    if (extra.length > 0) {
      problems.push(
        `${at} may only have period and value (got ${extra.slice(0, 3).join(', ')})`,
      );
    }
    const { period, value } = point as Record<string, unknown>;
    if (!isIsoCalendarDate(period)) {
      problems.push(
        `${at}.period must be a real calendar date in the form YYYY-MM-DD`,
      );
    } else {
      const month = period.slice(0, 7);
      const earlier = months.get(month);
      if (earlier !== undefined) {
        problems.push(
          `${at}.period is in the same month as ${field}[${earlier}].period (${month}): one value per month`,
        );
      } else months.set(month, i);
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      problems.push(
        `${at}.value must be a finite number (got ${shownValue(value)})`,
      );
    }
  });
  return problems;
}

/** Why `value` is not a valid `user_series` map: every problem, or none. */
export function userSeriesProblems(value: unknown): string[] {
  if (value === undefined) {
    return [
      'user_series is required: an object mapping metric names to lists of {"period": "YYYY-MM-DD", "value": number}',
    ];
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [
      'user_series must be an object mapping metric names to lists of {"period": "YYYY-MM-DD", "value": number}',
    ];
  }
  const entries = Object.entries(value);
  if (entries.length === 0)
    return ['user_series must contain at least one metric'];
  if (entries.length > MAX_TRAJECTORY_METRICS) {
    return [
      `user_series may contain at most ${MAX_TRAJECTORY_METRICS} metrics (got ${entries.length})`,
    ];
  }
  return entries.flatMap(([name, points]) =>
    name.length === 0 || name.length > MAX_METRIC_NAME_LENGTH
      ? [
          `user_series keys must be metric names of 1 to ${MAX_METRIC_NAME_LENGTH} characters`,
        ]
      : pointsProblems(name, points),
  );
}

function IsUserSeries(): PropertyDecorator {
  return ValidateProblems('isUserSeries', userSeriesProblems);
}

export class TrajectoryRequestDto extends PeerGroupRequestDto {
  @ApiProperty({
    description: `Your own values over time: metric name -> 2 to ${MAX_TRAJECTORY_POINTS} points {period, value}, one per month (period: any date in it, YYYY-MM-DD, from 2000-01-01 to the last complete month; all periods within ${MAX_TRAJECTORY_POINTS} months of each other), in the metric's unit; at most ${MAX_TRAJECTORY_METRICS} metrics. Points may come in any order; they are answered oldest first.`,
    type: 'object',
    minProperties: 1,
    maxProperties: MAX_TRAJECTORY_METRICS,
    additionalProperties: {
      type: 'array',
      minItems: 2,
      maxItems: MAX_TRAJECTORY_POINTS,
      items: {
        type: 'object',
        properties: {
          period: { type: 'string', format: 'date' },
          value: { type: 'number' },
        },
        required: ['period', 'value'],
      },
    },
    example: {
      revenue_per_employee: [
        { period: '2024-01-01', value: 150000 },
        { period: '2024-06-01', value: 165000 },
        { period: '2024-12-01', value: 190000 },
      ],
    },
  })
  // Taken raw, as user_values is, so every key reaches validation.
  @Transform(({ obj }: { obj: Record<string, unknown> }) => obj.user_series)
  @IsUserSeries()
  user_series: Record<string, UserSeriesPoint[]>;

  @ApiPropertyOptional({
    description:
      "Compare every point with peers' seasonally adjusted figures for its month (send seasonally adjusted values too). Default false: each month's own distribution.",
    default: false,
    example: false,
  })
  @IsOmittable()
  @IsBoolean()
  seasonally_adjusted?: boolean;
}
