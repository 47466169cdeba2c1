import {
  ArgumentMetadata,
  BadRequestException,
  Injectable,
  ValidationPipe,
  type ValidationPipeOptions,
} from '@nestjs/common';
import { memoiseValidationMetadata } from './validation-metadata-cache';

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
 */
@Injectable()
export class AppValidationPipe extends ValidationPipe {
  constructor() {
    super(VALIDATION_OPTIONS);
    memoiseValidationMetadata();
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
          shadowing.map((key) => `property ${key} should not exist`),
        );
      }
    }
    return super.transform(value, metadata);
  }
}
