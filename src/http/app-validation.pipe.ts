import {
  ArgumentMetadata,
  BadRequestException,
  Injectable,
  ValidationPipe,
  type ValidationPipeOptions,
} from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import { listedProblems } from '../common/listed-problems';
import { plainToDto, SHALLOW_TRANSFORMER } from './shallow-transformer';
import { compileAcceptCheck, type AcceptCheck } from './compiled-validation';

/** The ValidationPipe's options (also the benchmark's Nest floor's, bench/nest-floor-server.js). */
export const VALIDATION_OPTIONS: ValidationPipeOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  forbidUnknownValues: true,
  // One message per field: the first constraint that fails, type checks first (declared closest to the field).
  stopAtFirstError: true,
  validationError: { target: false, value: false },
};

/**
 * The global ValidationPipe (whitelist, forbid unknown fields, transform), plus what it lacks: a request body must
 * be a JSON object (not an array, string or number), and unknown fields named like Object.prototype members are
 * refused like any other unknown field.
 *
 * Validation is compiled (issue 18): an object whose DTO class has an accept-check (compiled-validation.ts, built from
 * class-validator's own metadata on first use) is built into the DTO exactly as the stock pipe builds it and, when
 * the check passes, handed over without class-validator's executor; anything else, and every object the check
 * refuses, goes through the stock pipe, so every 400 is class-validator's own.
 */
@Injectable()
export class AppValidationPipe extends ValidationPipe {
  /** Per DTO class: its accept-check, or null when it has none (the stock pipe validates it). */
  private readonly checks = new Map<unknown, AcceptCheck | null>();

  constructor() {
    // Bodies become DTOs without class-transformer's deep copy (its cost grows with the square of an object's keys).
    super({ ...VALIDATION_OPTIONS, transformerPackage: SHALLOW_TRANSFORMER });
  }

  /** Class-validator's messages, as the stock pipe gives them, the first 20 listed (see listedProblems). */
  override createExceptionFactory(): (
    errors?: ValidationError[],
  ) => BadRequestException {
    return (errors = []) =>
      new BadRequestException(
        listedProblems(this.flattenValidationErrors(errors)),
      );
  }

  override async transform(
    value: unknown,
    metadata: ArgumentMetadata,
  ): Promise<unknown> {
    if (metadata.type === 'body' && value !== undefined) {
      const isObject =
        typeof value === 'object' && value !== null && !Array.isArray(value);
      if (!isObject) {
        throw new BadRequestException('The request body must be a JSON object');
      }
      // class-transformer skips keys that name Object.prototype members ("toString", "valueOf", ...), so the
      // whitelist never sees them and they would be dropped without a word. No DTO field has such a name.
      const shadowing = Object.keys(value).filter(
        (key) => key in Object.prototype,
      );
      if (shadowing.length > 0) {
        throw new BadRequestException(
          listedProblems(
            shadowing.map((key) => `property ${key} should not exist`),
          ),
        );
      }
    }
    return this.accepted(value, metadata) ?? super.transform(value, metadata);
  }

  /**
   * The DTO the stock pipe would return, when the compiled check accepts the value; undefined when the stock pipe
   * must decide (no check for the class, a value that is not a plain object, a check that says no). The steps before
   * validation are the stock pipe's own, in its order.
   */
  private accepted(
    value: unknown,
    metadata: ArgumentMetadata,
  ): object | undefined {
    const metatype = metadata.metatype;
    if (!this.isTransformEnabled || !metatype || !this.toValidate(metadata))
      return undefined;
    if (
      typeof value !== 'object' ||
      value === null ||
      Array.isArray(value) ||
      this.isBinary(value)
    )
      return undefined;
    let check = this.checks.get(metatype);
    if (check === undefined) {
      check =
        compileAcceptCheck(metatype as new (...args: never[]) => object) ??
        null;
      this.checks.set(metatype, check);
    }
    if (!check) return undefined;
    // A key the class does not declare is an error: the stock pipe says which, without the work below done twice.
    for (const key of Object.keys(value))
      if (!check.allowed.has(key)) return undefined;
    this.closeArrayGaps(value);
    this.stripProtoKeys(value);
    const entity = plainToDto(
      metatype as new () => object,
      value,
      this.transformOptions,
    );
    if (entity.constructor !== metatype) return undefined;
    if (this.findNestedBinaryValues(entity).length > 0) return undefined;
    return check(entity) ? entity : undefined;
  }
}
