import { applyDecorators, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ErrorResponseDto } from '../common/dto/error.response.dto';
import { ApiRateLimited } from '../common/swagger/api-rate-limited.decorator';
import { AdminKeyGuard } from './admin-key.guard';

/**
 * A controller of admin endpoints: behind the admin key (401 without it or with a wrong one, 403 when none is
 * configured), rate limited, under the `admin` tag; `unavailable` says what a 503 means for its endpoints.
 */
export function AdminEndpoints(unavailable: string): ClassDecorator {
  return applyDecorators(
    ApiTags('admin'),
    ApiRateLimited(),
    ApiBearerAuth('admin-key'),
    ApiUnauthorizedResponse({
      type: ErrorResponseDto,
      description: 'No admin key, or a wrong one.',
    }),
    ApiForbiddenResponse({
      type: ErrorResponseDto,
      description:
        'The admin endpoints are disabled: ADMIN_API_KEY is not configured.',
    }),
    ApiServiceUnavailableResponse({
      type: ErrorResponseDto,
      description: unavailable,
    }),
    UseGuards(AdminKeyGuard),
  );
}
