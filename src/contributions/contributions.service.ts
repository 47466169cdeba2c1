import {
  BadRequestException,
  HttpException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { validateSync } from 'class-validator';
import { Clock } from '../common/clock';
import { listedProblems } from '../common/listed-problems';
import {
  checkContribution,
  isContribution,
  type Contribution,
  type ContributionInput,
} from '../domain/contribution';
import { lastCompleteMonth, monthToIsoDate } from '../domain/months';
import { VALIDATION_OPTIONS } from '../http/app-validation.pipe';
import { plainToDto } from '../http/shallow-transformer';
import type { Tenant } from '../tenants/tenants.repository';
import { BusinessRefHasher } from './business-ref-hasher';
import { ContributionsMetrics } from './contributions.metrics';
import {
  ContributionsRepository,
  type Erasure,
  type MonthToStore,
  type StoredMonth,
} from './contributions.repository';
import {
  ContributionRecordDto,
  type ContributionRequestDto,
} from './dto/contribution.request.dto';

/** Most problems one refused batch lists (records of 1,000 are worth more than one request's 20). */
const MAX_LISTED_BATCH_PROBLEMS = 100;

/** What a batch stored: records, distinct businesses, values, and when it was committed. */
export interface StoredBatch {
  readonly stored: number;
  readonly businesses: number;
  readonly values: number;
  readonly receivedAt: Date;
}

/** A contribution with the business it is for. */
interface Addressed {
  readonly businessRef: string;
  readonly contribution: Contribution;
}

/** A 404 that does not tell whether the business exists under another tenant. */
function businessNotFound(
  businessRef: string,
  whose: string,
): NotFoundException {
  return new NotFoundException(
    `No contributions stored for business_ref ${JSON.stringify(businessRef)} under ${whose}`,
  );
}

/**
 * Contributions of a tenant's businesses: checked as /compare checks values, stored under keyed hashes of the
 * business references, exported and erased by their own tenant only.
 */
@Injectable()
export class ContributionsService {
  constructor(
    private readonly repository: ContributionsRepository,
    private readonly hasher: BusinessRefHasher,
    private readonly clock: Clock,
    private readonly metrics: ContributionsMetrics,
  ) {}

  /** Counts `records` records by what became of `work`: accepted, refused (a 4xx) or failed (anything else). */
  private async counted<T>(
    records: number,
    work: () => Promise<T>,
  ): Promise<T> {
    try {
      const result = await work();
      this.metrics.records.inc({ outcome: 'accepted' }, records);
      return result;
    } catch (error) {
      const refused = error instanceof HttpException && error.getStatus() < 500;
      this.metrics.records.inc(
        { outcome: refused ? 'refused' : 'failed' },
        records,
      );
      throw error;
    }
  }

  /** PUT: one business's month. 404 for an unknown industry or metric, 400 for an invalid value, region or month. */
  put(
    tenant: Tenant,
    businessRef: string,
    period: string,
    body: ContributionRequestDto,
  ): Promise<StoredMonth> {
    return this.counted(1, () => this.store(tenant, businessRef, period, body));
  }

  private async store(
    tenant: Tenant,
    businessRef: string,
    period: string,
    body: ContributionRequestDto,
  ): Promise<StoredMonth> {
    const checked = checkContribution(this.input(body, period), this.latest());
    if (!isContribution(checked)) {
      if (checked.invalid.length > 0)
        throw new BadRequestException([...checked.unknown, ...checked.invalid]);
      throw new NotFoundException(checked.unknown.join('; '));
    }
    const hash = this.hasher.hash(tenant.tenantId, businessRef);
    await this.repository.store(
      tenant.tenantId,
      [this.toStore(hash, checked)],
      this.clock.now(),
    );
    const [stored] = await this.repository.months(
      tenant.tenantId,
      hash,
      monthToIsoDate(checked.month),
    );
    return stored;
  }

  /**
   * POST batch: every record checked first (400 listing every record's problems, nothing stored), then all stored in
   * one transaction.
   */
  batch(tenant: Tenant, records: readonly unknown[]): Promise<StoredBatch> {
    return this.counted(records.length, () => this.storeBatch(tenant, records));
  }

  private async storeBatch(
    tenant: Tenant,
    records: readonly unknown[],
  ): Promise<StoredBatch> {
    const latest = this.latest();
    const problems: string[] = [];
    const accepted: Addressed[] = [];
    records.forEach((raw, index) => {
      const prefix = `records[${index}].`;
      const dto = this.recordDto(raw, prefix, problems);
      if (!dto) return;
      const checked = checkContribution(
        this.input(dto, dto.period),
        latest,
        prefix,
      );
      if (isContribution(checked))
        accepted.push({ businessRef: dto.business_ref, contribution: checked });
      else problems.push(...checked.unknown, ...checked.invalid);
    });
    if (problems.length > 0)
      throw new BadRequestException(
        listedProblems(problems, MAX_LISTED_BATCH_PROBLEMS),
      );
    const receivedAt = this.clock.now();
    const months = accepted.map(({ businessRef, contribution }) =>
      this.toStore(
        this.hasher.hash(tenant.tenantId, businessRef),
        contribution,
      ),
    );
    const values = await this.repository.store(
      tenant.tenantId,
      months,
      receivedAt,
    );
    return {
      stored: accepted.length,
      businesses: new Set(accepted.map((a) => a.businessRef)).size,
      values,
      receivedAt,
    };
  }

  /**
   * Everything stored for the business under this tenant; 404 when nothing is (whoever else may hold the ref). `whose`
   * names the tenant in that 404 ("your tenant" for the tenant itself).
   */
  async export(
    tenantId: string,
    businessRef: string,
    whose = 'your tenant',
  ): Promise<StoredMonth[]> {
    const months = await this.repository.months(
      tenantId,
      this.hasher.hash(tenantId, businessRef),
    );
    if (months.length === 0) throw businessNotFound(businessRef, whose);
    return months;
  }

  /** Erases the business under this tenant; 404 when nothing is stored. */
  async erase(
    tenantId: string,
    businessRef: string,
    whose = 'your tenant',
  ): Promise<Erasure> {
    const erasure = await this.repository.erase(
      tenantId,
      this.hasher.hash(tenantId, businessRef),
    );
    if (erasure.months === 0) throw businessNotFound(businessRef, whose);
    return erasure;
  }

  /** Erases every business of the tenant (none stored: nothing to do, zeros). */
  eraseTenant(tenantId: string): Promise<Erasure> {
    return this.repository.eraseTenant(tenantId);
  }

  private latest() {
    return lastCompleteMonth(this.clock.now());
  }

  private input(
    body: Pick<
      ContributionRequestDto,
      'industry' | 'company_size' | 'region' | 'values'
    >,
    period: string,
  ): ContributionInput {
    return {
      industry: body.industry,
      companySize: body.company_size,
      region: body.region,
      period,
      values: body.values,
    };
  }

  private toStore(
    businessHash: string,
    contribution: Contribution,
  ): MonthToStore {
    return {
      businessHash,
      period: monthToIsoDate(contribution.month),
      industry: contribution.industry.key,
      companySize: contribution.companySize,
      region: contribution.region,
      values: contribution.values,
    };
  }

  /** A batch record validated as the body of a PUT would be (with its business and month), or its problems. */
  private recordDto(
    raw: unknown,
    prefix: string,
    problems: string[],
  ): ContributionRecordDto | undefined {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      problems.push(
        `${prefix.slice(0, -1)} must be an object {business_ref, period, industry, company_size, region, values}`,
      );
      return undefined;
    }
    const shadowing = Object.keys(raw).filter((key) => key in Object.prototype);
    if (shadowing.length > 0) {
      problems.push(
        ...shadowing.map((key) => `${prefix}${key} should not exist`),
      );
      return undefined;
    }
    const dto = plainToDto(ContributionRecordDto, raw);
    const errors = validateSync(dto, {
      whitelist: VALIDATION_OPTIONS.whitelist,
      forbidNonWhitelisted: VALIDATION_OPTIONS.forbidNonWhitelisted,
      forbidUnknownValues: VALIDATION_OPTIONS.forbidUnknownValues,
      stopAtFirstError: VALIDATION_OPTIONS.stopAtFirstError,
    });
    if (errors.length === 0) return dto;
    for (const error of errors)
      for (const message of Object.values(error.constraints ?? {}))
        problems.push(
          message.startsWith(`property ${error.property} `)
            ? `${prefix}${message.slice('property '.length)}`
            : `${prefix}${message}`,
        );
    return undefined;
  }
}
