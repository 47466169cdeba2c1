import { BadRequestException } from '@nestjs/common';
import { IsString } from 'class-validator';
import { AppValidationPipe } from './app-validation.pipe';

class NameDto {
  @IsString()
  name!: string;
}

describe('AppValidationPipe', () => {
  const pipe = new AppValidationPipe();
  const body = { type: 'body' as const, metatype: NameDto };

  it('should refuse a body that is not an object, and a key named like an Object.prototype member', async () => {
    await expect(pipe.transform([1], body)).rejects.toBeInstanceOf(
      BadRequestException,
    );
    await expect(
      pipe.transform({ name: 'a', toString: 'x' }, body),
    ).rejects.toMatchObject({
      response: { message: ['property toString should not exist'] },
    });
  });
});
