import { applyDecorators } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiPayloadTooLargeResponse,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import { ErrorResponseDto } from '../dto/error.response.dto';

/** The error answers every JSON-body endpoint documents: 400 (with what is invalid), 404, 413 and 415. */
export function ApiJsonBodyErrors(
  badRequest: string,
): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiBadRequestResponse({ type: ErrorResponseDto, description: badRequest }),
    ApiPayloadTooLargeResponse({
      type: ErrorResponseDto,
      description: 'Body over 64 KiB.',
    }),
    ApiUnsupportedMediaTypeResponse({
      type: ErrorResponseDto,
      description: 'Body not sent as application/json.',
    }),
    ApiNotFoundResponse({
      type: ErrorResponseDto,
      description: 'Unknown industry or metric.',
    }),
  );
}
