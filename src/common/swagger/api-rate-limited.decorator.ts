import { applyDecorators } from '@nestjs/common';
import { ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from '../dto/error.response.dto';

/** The 429 every rate-limited route can answer (all but health and metrics), with its Retry-After header. */
export function ApiRateLimited(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiTooManyRequestsResponse({
      type: ErrorResponseDto,
      description:
        'More than RATE_LIMIT_PER_MINUTE requests in a minute from this client (all routes together).',
      headers: {
        'Retry-After': {
          description: 'Seconds to wait before the next request.',
          schema: { type: 'integer', example: 42 },
        },
      },
    }),
  );
}
