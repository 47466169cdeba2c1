import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

/** The publication of GET /admin/publications/{publication_id}. */
export class PublicationIdParamDto {
  @ApiProperty({
    description: 'The publication number, as POST answered it.',
    example: 8,
  })
  @Matches(/^[1-9][0-9]{0,8}$/, {
    message: 'publication_id must be a publication number (1, 2, 3 ...)',
  })
  publication_id: string;
}
