import { ApiProperty } from '@nestjs/swagger';

/** Nest's error body, the shape of every 4xx and 5xx answer. */
export class ErrorResponseDto {
  @ApiProperty({ description: 'HTTP status code.', example: 400 })
  statusCode: number;

  @ApiProperty({ description: 'HTTP reason phrase.', example: 'Bad Request' })
  error: string;

  @ApiProperty({
    description:
      'What was wrong: names the field and what is allowed. A list when several fields failed validation.',
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    example: [
      'company_size must be one of the following values: small, medium, large',
    ],
  })
  message: string | string[];
}
