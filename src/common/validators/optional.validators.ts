import { ValidateIf, type ValidationOptions } from 'class-validator';

/**
 * The field may be left out; when present, its other validators apply, also to `null`. (class-validator's
 * `@IsOptional()` skips `null` too, which would let `"start_date": null` through to the service.)
 */
export function IsOmittable(options?: ValidationOptions): PropertyDecorator {
  return ValidateIf((_object, value) => value !== undefined, options);
}
