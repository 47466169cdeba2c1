import {
  ArgumentMetadata,
  BadRequestException,
  Injectable,
  ValidationPipe,
} from '@nestjs/common';

/**
 * The global ValidationPipe (whitelist, forbid unknown fields, transform), plus one check it lacks: a request body
 * must be a JSON object, not an array, string or number.
 */
@Injectable()
export class AppValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      forbidUnknownValues: true,
      // One message per field: the first constraint that fails, type checks first (declared closest to the field).
      stopAtFirstError: true,
      validationError: { target: false, value: false },
    });
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
    }
    return super.transform(value, metadata);
  }
}
