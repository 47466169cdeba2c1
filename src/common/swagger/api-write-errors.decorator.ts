import { applyDecorators } from '@nestjs/common';
import {
  ApiPayloadTooLargeResponse,
  ApiResponse,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import { ErrorResponseDto } from '../dto/error.response.dto';

/** 413 and 415: what any endpoint with a JSON body may answer before validation. */
export function ApiJsonBodyLimits(tooLarge = 'Body over 64 KiB.') {
  return applyDecorators(
    ApiPayloadTooLargeResponse({
      type: ErrorResponseDto,
      description: tooLarge,
    }),
    ApiUnsupportedMediaTypeResponse({
      type: ErrorResponseDto,
      description: 'Body not sent as application/json.',
    }),
  );
}

/** 414: a path parameter longer than the router takes. */
export function ApiPathParamTooLong(what: string) {
  return ApiResponse({
    status: 414,
    type: ErrorResponseDto,
    description: `${what} longer than 100 characters.`,
  });
}
